posix_mq_send.o: posix_mq_send.c
