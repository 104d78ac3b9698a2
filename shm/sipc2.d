sipc2.o: sipc2.c sipc.h
sipc.h:
