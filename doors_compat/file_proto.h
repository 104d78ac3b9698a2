/* file_proto.h -- the request is a file name (with its NUL); this is the reply. */
#ifndef FILE_PROTO_H
#define FILE_PROTO_H

#define FILE_NAME_MAX 1024

struct file_reply {
    int error;  /* 0, or the errno of the server's open or write */
    long bytes; /* bytes written into the caller's descriptor (file_client -s) */
};

#endif
