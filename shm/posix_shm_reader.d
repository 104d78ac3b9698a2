posix_shm_reader.o: posix_shm_reader.c posix_shm.h
posix_shm.h:
