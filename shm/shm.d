shm.o: shm.c
