#!/usr/bin/env bash
# shm/demo.sh -- the instructor's tour of shm/: `make -C shm demo`.
source ../mk/demo.bash

demo_title "shm: attach, write, detach, reattach read-only elsewhere, read back (ALP shm.c)"
demo_run shm "$BIN/shm"
demo_note "the reattach works because a detached segment lives on: only IPC_RMID removes it"

demo_title "shm_ctl: shmctl's commands, one at a time (KHU, System Calls for Shared Memory)"
demo_run shm_ctl "$BIN/shm_ctl"

demo_title "shm_layout: where the segment lands (KHU shm.c)"
demo_run shm_layout "$BIN/shm_layout"

demo_title "sipc1/sipc2: request and reply between unrelated processes (KHU sipc1.c, sipc2.c)"
touch keyfile
demo_note "the server first..."
demo_start sipc1 'waiting for a request' "$BIN/sipc1" -k keyfile
demo_run sipc2 "$BIN/sipc2" -k keyfile "hello from the client"
demo_stop
demo_note "...or the client first: whichever starts creates the segment"
demo_start sipc2 'request:' "$BIN/sipc2" -k keyfile "the client came first"
demo_run sipc1 "$BIN/sipc1" -k keyfile
demo_stop
demo_note "the server removed the segment after its reply: nothing is left in ipcs -m"

demo_title "posix_shm_writer/posix_shm_reader: the POSIX counterpart"
name=/lab-demo-$$
demo_run posix_shm_writer "$BIN/posix_shm_writer" "$name" "a message in /dev/shm"
demo_run ls ls -l "/dev/shm${name}"
demo_run posix_shm_reader "$BIN/posix_shm_reader" "$name"

demo_title "robust_mutex: the lock holder is killed; the next locker repairs (beyond the lectures)"
demo_run robust_mutex "$BIN/robust_mutex"
demo_note "-g: the waiter unlocks without pthread_mutex_consistent, and the mutex is lost for good"
demo_run robust_mutex "$BIN/robust_mutex" -g
