posix_mq_recv.o: posix_mq_recv.c
