socket_inet.o: socket_inet.c
