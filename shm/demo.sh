#!/usr/bin/env bash
# shm/demo.sh -- the instructor's tour of shm/: `make -C shm demo`.
source ../mk/demo.bash

demo_title "shm: attach, write, detach, reattach elsewhere, read back (ALP shm.c)"
demo_run shm "$BIN/shm"
demo_note "the segment size comes from IPC_STAT; the segment is removed at the end"

demo_title "shm_layout: where the segment lands (KHU shm.c)"
demo_run shm_layout "$BIN/shm_layout"

demo_title "sipc1/sipc2: request and reply between unrelated processes (KHU sipc1.c, sipc2.c)"
touch keyfile
demo_note "the server first..."
demo_start sipc1 'waiting for a request' "$BIN/sipc1" -t 10 -k keyfile
demo_run sipc2 "$BIN/sipc2" -t 10 -k keyfile "hello from the client"
demo_stop
demo_note "...or the client first: whichever starts creates the segment"
demo_start sipc2 'request:' "$BIN/sipc2" -t 10 -k keyfile "the client came first"
demo_run sipc1 "$BIN/sipc1" -t 10 -k keyfile
demo_stop
demo_note "the second to attach removed the key at once: nothing is left in ipcs -m"

demo_title "posix_shm_writer/posix_shm_reader: the POSIX counterpart"
name=/lab-demo-$$
demo_run posix_shm_writer "$BIN/posix_shm_writer" "$name" "a message in /dev/shm"
demo_run ls ls -l "/dev/shm${name}"
demo_run posix_shm_reader "$BIN/posix_shm_reader" "$name"
