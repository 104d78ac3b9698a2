#!/usr/bin/env bash
# signals/demo.sh -- the instructor's tour of signals/ (make -C signals demo).
source ../mk/demo.bash

# demo_fails NAME CMD... -- a run whose failure IS the lesson: show its status.
demo_fails() {
	local name=$1
	shift
	demo_run "$name" bash -c '"$@"; echo "(exit status $?)"' "$name" "$@"
}

# demo_wait -- until the program demo_start started last ends by itself.
demo_wait() {
	timeout 10 tail --pid="${DEMO_PIDS[-1]}" -f /dev/null
	demo_stop
}

demo_title "handler: which signal really arrived (the lecture printed SIGHUP for SIGINT)"
demo_start handler 'waiting' "$BIN/handler" -n 2
kill -USR1 "${DEMO_PIDS[-1]}"
sleep 0.2 # let its output come first, for the audience
kill -INT "${DEMO_PIDS[-1]}"
demo_wait

demo_title "sleep_alarm: alarm() + pause(), and the race between them"
demo_run sleep_alarm "$BIN/sleep_alarm" 1
demo_note "now 1.5 s pass between alarm(1) and pause(): the alarm comes too early"
demo_fails sleep_alarm "$BIN/sleep_alarm" -d 1500 -t 2 1
demo_note "-s: SIGALRM blocked until sigsuspend() unblocks it and waits, atomically"
demo_run sleep_alarm "$BIN/sleep_alarm" -s -d 1500 1

demo_title "sleep_longjmp: the jump out of the handler skips the pause()"
demo_run sleep_longjmp "$BIN/sleep_longjmp" -d 1500 1

demo_title "signal_timing: ... but the jump also abandons a slow SIGINT handler"
demo_start signal_timing 'send SIGINT now' "$BIN/signal_timing" -w 2000 1
kill -INT "${DEMO_PIDS[-1]}"
demo_wait

demo_title "read_timeout: alarm() as a time limit on a FIFO read"
demo_fails read_timeout "$BIN/read_timeout" f 1
demo_start read_timeout 'waiting' "$BIN/read_timeout" f 5
echo "just in time" >f
demo_wait
demo_note "with SA_RESTART the read is restarted; a second alarm leaves it by siglongjmp"
mkfifo f
exec 4<>f # a writer that never writes
demo_fails read_timeout "$BIN/read_timeout" -r f 1
exec 4>&-
rm f

demo_title "sigqueue: realtime signals queue with values; SIGUSR1 does not"
demo_start sigqueue_recv 'then SIGUSR2' "$BIN/sigqueue_recv"
demo_run sigqueue_send "$BIN/sigqueue_send" "${DEMO_PIDS[-1]}" \
	RTMIN+1:11 RTMIN:1 USR1:100 RTMIN+1:12 RTMIN:2 USR1:101 RTMIN:3 USR2
demo_wait
