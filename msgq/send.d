send.o: send.c
