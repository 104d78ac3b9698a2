http_server.o: http_server.c
