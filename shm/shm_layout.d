shm_layout.o: shm_layout.c
