/* shared_file.h -- what mmap_producer and mmap_consumer agree on. */
#ifndef SHARED_FILE_H
#define SHARED_FILE_H

#define SHARED_SIZE 4096 /* the producer sizes the file to this before mapping */

#endif
