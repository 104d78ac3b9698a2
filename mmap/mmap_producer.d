mmap_producer.o: mmap_producer.c shared_file.h
shared_file.h:
