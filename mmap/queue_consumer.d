queue_consumer.o: queue_consumer.c mapped_queue.h
mapped_queue.h:
