client.o: client.c
