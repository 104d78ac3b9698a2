read_timeout.o: read_timeout.c
