mmap_read.o: mmap_read.c mmap_file.h
mmap_file.h:
