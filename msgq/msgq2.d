msgq2.o: msgq2.c
