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

demo_note "a FIFO in new/ is no job: set aside as .fifo, never waited on"
mkfifo q/new/fifo
demo_run spool_run "$BIN/spool_run" -e q
demo_run "ls -A q/new" ls -A q/new

demo_title "spool_workers (beyond): three workers on one folder, each job at least once"
for w in 1 2 3; do
	demo_start "worker$w" 'working on q' "$BIN/spool_workers" -w 300 q
done
for job in one two three four five six; do
	"$BIN/spool_submit" q "job $job" >/dev/null
done
timeout 10 bash -c 'until [[ -z $(find q/new q/work -type f) ]]; do sleep 0.1; done'
demo_stop

demo_title "spool_watch (beyond): inotify wakes the daemon; idle, it makes no system call"
demo_start watch 'watching' "$BIN/spool_watch" q
"$BIN/spool_submit" q "job after the start" >/dev/null
timeout 10 bash -c 'until [[ -z $(find q/new -type f) ]]; do sleep 0.1; done'
demo_stop

demo_title "flock_demo (beyond): the kernel's lock dies with its holder"
demo_start holder 'holds' "$BIN/flock_demo" F
demo_start waiter 'waiting' "$BIN/flock_demo" -t 1 F
demo_note "the holder is killed with SIGKILL: the waiter gets the lock at once"
kill -KILL "${DEMO_PIDS[-2]}"
timeout 10 tail --pid="${DEMO_PIDS[-1]}" -f /dev/null
demo_stop
demo_run "4 counters under the lock" bash -c 'for i in 1 2 3 4; do "$0" -c 5000 C & done; wait; cat C' \
	"$BIN/flock_demo"
rm C
demo_run "4 counters without it" bash -c 'for i in 1 2 3 4; do "$0" -c 5000 -u C & done; wait; cat C' \
	"$BIN/flock_demo"

demo_title "fcntl_lock (beyond): record locks; the kernel finds a deadlock"
demo_start holder 'holds' "$BIN/fcntl_lock" -r 0,10 R
demo_fails other "$BIN/fcntl_lock" -n -r 5,10 R
demo_stop
demo_run fcntl_lock "$BIN/fcntl_lock" -D R
