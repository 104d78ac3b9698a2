mipc.o: mipc.c synclib.h
synclib.h:
