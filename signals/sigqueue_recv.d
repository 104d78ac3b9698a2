sigqueue_recv.o: sigqueue_recv.c
