#!/usr/bin/env bash
# files/demo.sh -- the instructor's tour of files/ (make -C files demo).
source ../mk/demo.bash

# demo_fails NAME CMD... -- a run whose failure IS the lesson: show its status.
demo_fails() {
	local name=$1
	shift
	demo_run "$name" bash -c '"$@"; echo "(exit status $?)"' "$name" "$@"
}

demo_title "lockfile: O_CREAT|O_EXCL lets one process in"
demo_start holder 'holds' "$BIN/lockfile" L
demo_fails second "$BIN/lockfile" -t 0 L
demo_note "the holder is killed with SIGKILL: it cannot remove its lock"
kill -KILL "${DEMO_PIDS[-1]}"
demo_stop
demo_run "cat L" cat L
demo_run third "$BIN/lockfile" -t 0 L

demo_title "spool: jobs renamed into new/, claimed by renaming into work/PID/"
for job in "print the report" "send the mail" "rotate the logs"; do
	demo_run spool_submit "$BIN/spool_submit" q "$job"
done
demo_start worker 'working on [0-9]' "$BIN/spool_run" -w 5000 q
demo_note "the worker is killed in the middle of its first job"
kill -KILL "${DEMO_PIDS[-1]}"
demo_stop
demo_run "find q" find q -type f
demo_run spool_run "$BIN/spool_run" -e q
