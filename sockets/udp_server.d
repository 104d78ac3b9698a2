udp_server.o: udp_server.c
