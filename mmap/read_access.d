read_access.o: read_access.c
