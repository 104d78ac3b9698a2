/* fifos.h -- what the servers (fifos, robust_fifos) and their client fifoc
 * agree on. A request is one line, "PID NUMBER\n", written with one write(2)
 * of fewer than PIPE_BUF bytes, so requests from many clients never mix in the
 * server's FIFO. fifoc sends a '\n' first, in the same write: half a line left
 * by a client that stopped mid-request then ends there, and cannot join this
 * request; the servers skip empty lines. The answer goes to the FIFO named
 * "<server-fifo>.<PID>", which the client made before asking: one line, the
 * square of NUMBER, or "error: why". */
#ifndef FIFOS_H
#define FIFOS_H

#define FIFOS_LINE_MAX 64             /* a request line; an answer line and its '\0' */
#define FIFOS_NUMBER_MAX 3037000499LL /* the largest number whose square fits */
#define FIFOS_REPLY_PATH "%s.%ld"     /* server FIFO path, client pid */

#endif
