/* file_proto.h -- file_server's and copy_server's request is a file name (with its NUL);
 * this is their reply. */
#ifndef FILE_PROTO_H
#define FILE_PROTO_H

#define FILE_NAME_MAX 1024

struct file_reply {
    int error;  /* 0, or the errno of the server's open or write */
    long bytes; /* bytes written into the caller's descriptor (copy_server) */
};

#endif
