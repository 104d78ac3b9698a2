#!/usr/bin/env bash
# bench/demo.sh -- the instructor's tour of bench/: the hierarchy in a few seconds.
source ../mk/demo.bash

demo_title "bench: the same message, moved by different mechanisms"
demo_note "round trips of a 4-byte message: both processes on one CPU, then on two"
demo_run ipcbench "$BIN/ipcbench" -m cacheline,shm-spin,posix-shm,pipe,unix-stream,tcp \
	-k lat -r 3 -t 10
demo_note "on one CPU a spinner must yield; without (-y) each round trip waits out a time slice"
demo_run ipcbench "$BIN/ipcbench" -m shm-spin -k lat -p same -y -r 3 -t 20
demo_note "a message a mechanism cannot carry is refused, never cut down:"
"$BIN/ipcbench" -m sysv-msg -k bw -s 65536 2>&1 | label ipcbench
