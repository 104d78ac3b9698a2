/* mmap_file.h -- what mmap_write and mmap_read agree on. */
#ifndef MMAP_FILE_H
#define MMAP_FILE_H

#define FILE_LENGTH 0x100 /* the file holds a number as text, NUL-padded */

#endif
