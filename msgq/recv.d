recv.o: recv.c
