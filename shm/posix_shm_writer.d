posix_shm_writer.o: posix_shm_writer.c posix_shm.h
posix_shm.h:
