mmap_write.o: mmap_write.c mmap_file.h
mmap_file.h:
