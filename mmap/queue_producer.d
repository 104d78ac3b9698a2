queue_producer.o: queue_producer.c mapped_queue.h
mapped_queue.h:
