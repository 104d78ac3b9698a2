#!/usr/bin/env bash
# files/demo.sh -- the instructor's tour of files/ (make -C files demo).
source ../mk/demo.bash

# demo_fails NAME CMD... -- a run whose failure IS the lesson: show its status.
demo_fails() {
	local name=$1
	shift
	demo_run "$name" bash -c '"$@"; echo "(exit status $?)"' "$name" "$@"
}

demo_title "exposing current state: the kernel's state as files in /proc"
demo_run "head /proc/loadavg" head -c 200 /proc/loadavg
demo_run "grep /proc/self/status" grep -E '^(Name|State|Pid|PPid):' /proc/self/status

demo_title "lockfile: O_CREAT|O_EXCL lets one process in"
demo_start holder 'holds' "$BIN/lockfile" L
demo_fails second "$BIN/lockfile" L
demo_note "the holder is killed with SIGKILL: it cannot remove its lock"
kill -KILL "${DEMO_PIDS[-1]}"
demo_stop
demo_run "cat L" cat L
demo_fails third "$BIN/lockfile" L
demo_note "stale_lock (beyond) takes a dead holder's lock over"
demo_run stale_lock "$BIN/stale_lock" -t 0 L

demo_title "spool: jobs renamed into new/, run in name order, then removed"
for job in "print the report" "send the mail" "rotate the logs"; do
	demo_run spool_submit "$BIN/spool_submit" q "$job"
done
demo_start daemon 'working on [0-9]' "$BIN/spool_run" -w 5000 q
demo_note "the daemon is killed in the middle of its first job"
kill -KILL "${DEMO_PIDS[-1]}"
demo_stop
demo_run "find q" find q -type f
demo_run spool_run "$BIN/spool_run" -e q

demo_title "spool_workers (beyond): three workers on one folder, each job once"
for w in 1 2 3; do
	demo_start "worker$w" 'working on q' "$BIN/spool_workers" -w 300 q
done
for job in one two three four five six; do
	"$BIN/spool_submit" q "job $job" >/dev/null
done
timeout 10 bash -c 'until [[ -z $(find q/new q/work -type f) ]]; do sleep 0.1; done'
demo_stop
