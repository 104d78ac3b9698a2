/* usock.h -- what the pairs of domain_sock/ agree on: the shape and the size of
 * a message. Every socket call is written out in the programs themselves.
 *
 * server, client (SYS) and peercred: a message is one line of text, ended by
 * '\n' or by the sender's end of writing, so that a raw stream client can talk
 * to them (`nc -U PATH`, `socat - UNIX-CONNECT:PATH`). The server answers with
 * one line and closes the connection: the reply ends where the stream ends. */
#ifndef USOCK_H
#define USOCK_H

#define MESSAGE_MAX 255 /* bytes of text in a message, without its '\n' */

/* socket_server, socket_client (ALP): a text is framed, as ALP frames it, by
 * its length first: 4 bytes in network byte order (ALP: a host-order int),
 * then that many bytes of text, no NUL. A length over TEXT_MAX is refused. */
#define TEXT_MAX 4096

/* dgram_server, dgram_client: a datagram is a message by itself (no framing);
 * the longest one either takes. */
#define DGRAM_MAX 4096

#endif
