#!/usr/bin/env bash
# domain_sock/demo.sh -- the tour of domain_sock/ for `make demo`: every pair,
# in lecture order, then what happens to a socket file when a server is killed.
source ../mk/demo.bash

demo_title "domain_sock: UNIX domain sockets"

demo_note "SYS: a stream socket at a path; the server forks a child per client"
demo_start server 'listening on' "$BIN/server" demo.sock
demo_run client "$BIN/client" demo.sock "hello from a client"
demo_run client "$BIN/client" demo.sock "and from another one"
demo_note "a message is a line: a raw stream client (nc -U, socat, rawclient) talks to it too"
printf 'typed by hand\n' | demo_run rawclient "$BIN/rawclient" -r demo.sock
demo_note "a second server on a path where one is answering is refused:"
"$BIN/server" demo.sock 2>&1 | label server-2 || true
demo_stop
demo_note "SIGTERM: the server removed its socket file"
ls demo.sock 2>&1 | label ls || true

demo_note "ALP: socket_server prints each text (framed by its length) until one is quit"
demo_start socket_server 'listening on' "$BIN/socket_server" alp.sock
printf 'first text\nsecond text\n' | demo_run socket_client "$BIN/socket_client" alp.sock
demo_run socket_client "$BIN/socket_client" alp.sock quit
demo_stop

demo_note "socketpair: one pair of sockets, both directions at once"
demo_run socketpair "$BIN/socketpair" -n 3

demo_note "datagrams: the client binds an address of its own to get the reply"
demo_start dgram_server 'listening on' "$BIN/dgram_server" dgram.sock
demo_run dgram_client "$BIN/dgram_client" -b me.sock dgram.sock "one datagram"
demo_stop

demo_note "SCM_RIGHTS: fd_recv reads a file through a descriptor fd_send opened"
echo "these bytes came through a passed descriptor" >shared.txt
demo_start fd_send 'listening on' "$BIN/fd_send" fd.sock shared.txt
demo_run fd_recv "$BIN/fd_recv" fd.sock
demo_stop

demo_note "SO_PEERCRED: the kernel says who connected (this client is pid, uid, gid...)"
demo_start peercred 'listening on' "$BIN/peercred" cred.sock
demo_run client "$BIN/client" cred.sock "who am I?"
demo_stop

demo_note "memfd (Linux): a sealed buffer in memory, passed to any client; nobody can change it"
echo "one buffer, sealed, shared by every client" >buffer.txt
demo_start memfd_send 'listening on' bash -c 'exec "$1" m.sock <buffer.txt' _ "$BIN/memfd_send"
demo_run memfd_recv "$BIN/memfd_recv" -v m.sock
demo_stop

demo_note "SCM_CREDENTIALS (Linux): who sent each message, on an abstract name (no file)"
demo_start scm_credentials 'listening on' "$BIN/scm_credentials" -l "lab-demo-$$"
demo_run scm_credentials "$BIN/scm_credentials" "lab-demo-$$" "from the process that connected"
demo_note "-f: a child forked after connect() sends: SO_PEERCRED and SCM_CREDENTIALS differ"
demo_run scm_credentials "$BIN/scm_credentials" -f "lab-demo-$$" "from a child"
demo_stop
ls | label ls

demo_note "SIGKILL cannot be caught: the socket file stays behind, and refuses clients"
demo_start server 'listening on' "$BIN/server" stale.sock
kill -KILL -- "-${DEMO_PIDS[-1]}"
demo_stop 2>/dev/null # without bash's "Killed" job report
ls -l stale.sock | cut -c1-10 | label ls
"$BIN/client" stale.sock 2>&1 | label client || true
demo_note "the next server finds no one answering there, and replaces the file"
demo_start server 'listening on' "$BIN/server" stale.sock
demo_run client "$BIN/client" stale.sock "back again"
demo_stop
