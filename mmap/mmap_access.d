mmap_access.o: mmap_access.c
