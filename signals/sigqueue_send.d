sigqueue_send.o: sigqueue_send.c
