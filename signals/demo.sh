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

demo_title "signal_table: each signal of the lecture's table, and its default action"
demo_run signal_table "$BIN/signal_table"

demo_title "handler: signal() and pause(); the lecture printed SIGHUP for SIGINT"
demo_start handler 'waiting' "$BIN/handler"
for sig in USR1 USR1 INT; do
	kill -"$sig" "${DEMO_PIDS[-1]}"
	sleep 0.2 # let its output come first, for the audience
done
demo_note "kill PID: SIGTERM, whose default action ends it"
demo_stop 2>/dev/null # bash would announce the "Terminated" job

demo_title "sleep_alarm: alarm() + pause(), and the race between them"
demo_run sleep_alarm "$BIN/sleep_alarm" 1
demo_note "now 1.5 s pass between alarm(1) and pause(): the alarm comes too early"
demo_fails sleep_alarm timeout 3 "$BIN/sleep_alarm" 1 1500
demo_note "status 124: timeout ended it; the wakeup was lost"

demo_title "sleep_longjmp: the jump skips the pause, but setjmp saved no mask"
demo_fails sleep_longjmp timeout 4 "$BIN/sleep_longjmp"
demo_note "-s: sigsetjmp(env, 1) and siglongjmp restore the mask"
demo_run sleep_longjmp "$BIN/sleep_longjmp" -s

demo_title "signal_timing: the jump also abandons a slow SIGINT handler"
demo_start signal_timing 'send SIGINT' "$BIN/signal_timing" 2
sleep 0.5 # inside sleepFor by now: the alarm will fire in the middle of sig_int
kill -INT "${DEMO_PIDS[-1]}"
demo_wait

demo_title "sleep_sigsuspend: block SIGALRM, then sigsuspend(): none of those races"
demo_run sleep_sigsuspend "$BIN/sleep_sigsuspend" -d 1500 1

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

demo_title "self_pipe (beyond): a handler writes a byte, poll sees it beside stdin"
demo_start self_pipe 'waiting for' bash -c 'exec "$0" < <(sleep 0.5; echo "a line"; sleep 10)' \
	"$BIN/self_pipe"
kill -USR1 "${DEMO_PIDS[-1]}"
sleep 0.8 # the line comes meanwhile, for the audience
kill -TERM "${DEMO_PIDS[-1]}"
demo_wait

demo_title "signalfd_demo (beyond): signals read from a descriptor, with the sender's pid"
for mode in "" -w; do
	demo_start signalfd_demo 'waiting for' bash -c 'exec "$0" $1 < <(sleep 10)' \
		"$BIN/signalfd_demo" "$mode"
	"$BIN/sigqueue_send" "${DEMO_PIDS[-1]}" USR1:7 >/dev/null
	kill -TERM "${DEMO_PIDS[-1]}"
	demo_wait
done

demo_title "eventfd_demo (beyond): one counter for four processes; a timerfd's ticks"
demo_run eventfd_demo "$BIN/eventfd_demo"
demo_run eventfd_demo "$BIN/eventfd_demo" -p 2 -n 6 -i 60
