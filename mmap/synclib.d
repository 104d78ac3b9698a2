synclib.o: synclib.c synclib.h
synclib.h:
