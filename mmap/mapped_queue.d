mapped_queue.o: mapped_queue.c mapped_queue.h
mapped_queue.h:
