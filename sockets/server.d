server.o: server.c
