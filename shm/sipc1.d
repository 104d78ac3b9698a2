sipc1.o: sipc1.c sipc.h
sipc.h:
