mmap_consumer.o: mmap_consumer.c shared_file.h
shared_file.h:
