#!/usr/bin/env bats
# tests/signals.bats -- signals/: behaviour through each program's command line.
#
# Programs that catch SIGINT are started with start_bg (setsid, in the
# background of a non-interactive shell, where SIGINT starts out ignored):
# each test that sends SIGINT also checks the program's handler really ran.
load helpers

setup() { lab_setup; }
teardown() { lab_teardown; }

# pid_in LOG -- the pid a program printed on its readiness line ("pid N").
pid_in() {
	sed -n 's/.*pid \([0-9][0-9]*\).*/\1/p' "$1" | head -n 1
}

@test "handler: names SIGUSR1 and SIGINT as they really arrive" {
	start_bg log "$(prog signals handler)" -n 2
	local pid=$BG_PID
	wait_for_line log 'waiting for SIGUSR1 or SIGINT'
	assert_eq "$pid" "$(pid_in log)" "pid on the readiness line"
	kill -USR1 "$pid"
	wait_for_line log '^caught SIGUSR1'
	wait_asleep "$pid"
	kill -INT "$pid"
	wait_bg "$pid"
	assert_eq 0 "$BG_STATUS" "exit status"
	assert_eq "$(printf '%s\n' \
		"handler: pid $pid waiting for SIGUSR1 or SIGINT" \
		"  (in the handler: SIGUSR1)" \
		"caught SIGUSR1 (signal $(kill -l USR1))" \
		"  (in the handler: SIGINT)" \
		"caught SIGINT (signal $(kill -l INT))")" "$(cat log)"
}

@test "handler: SIGTERM ends it cleanly" {
	start_bg log "$(prog signals handler)"
	wait_for_line log 'waiting'
	stop_bg "$BG_PID"
	assert_eq 0 "$BG_STATUS" "exit status"
	assert_match 'SIGTERM, stopping after 0 signal' "$(cat log)"
}

@test "handler: SIGTERM right after the readiness line is not missed" {
	start_bg log "$(prog signals handler)"
	local pid=$BG_PID
	wait_for_line log 'waiting'
	kill -TERM "$pid" # maybe before sigsuspend: it stays pending until then
	wait_bg "$pid"
	assert_eq 0 "$BG_STATUS" "exit status"
	assert_match 'SIGTERM, stopping after 0 signal' "$(cat log)"
}

@test "handler: bad count and extra arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog signals handler)" -n 0
	assert_usage
	run -2 --separate-stderr t "$(prog signals handler)" extra
	assert_usage
}

@test "sleep_alarm: alarm + pause sleeps and SIGALRM wakes it" {
	run -0 --separate-stderr t "$(prog signals sleep_alarm)" 1
	assert_eq "$(printf '%s\n' "sleep_alarm: alarm(1), wait 0 ms, then pause()" \
		"woke up: SIGALRM ended the wait, 0 s left unslept")" "$output"
	assert_eq "" "$stderr" "stderr"
}

@test "sleep_alarm: the race on demand: SIGALRM before pause() is a lost wakeup" {
	run -1 --separate-stderr t "$(prog signals sleep_alarm)" -d 1500 -t 2 1
	assert_match 'SIGALRM had arrived before pause\(\): the wakeup was lost' "$output"
	assert_match 'never ended by SIGALRM: the watchdog stopped it after 2 s' "$stderr"
}

@test "sleep_alarm: -s (sigsuspend) survives the same widened window" {
	run -0 --separate-stderr t "$(prog signals sleep_alarm)" -s -d 1500 1
	assert_match 'then sigsuspend\(\)' "$output"
	assert_match 'woke up: SIGALRM ended the wait' "$output"
	assert_eq "" "$stderr" "stderr"
}

@test "sleep_alarm: bad arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog signals sleep_alarm)"
	assert_usage
	run -2 --separate-stderr t "$(prog signals sleep_alarm)" 0
	assert_usage
	run -2 --separate-stderr t "$(prog signals sleep_alarm)" -d soon 1
	assert_usage
}

@test "sleep_longjmp: the jump closes the race: SIGALRM before pause() still wakes" {
	run -0 --separate-stderr t "$(prog signals sleep_longjmp)" -d 1500 1
	assert_eq "$(printf '%s\n' "sleep 1: alarm(1), wait 1500 ms, then pause()" \
		"sleep 1: woke by siglongjmp from the SIGALRM handler, 0 s left")" "$output"
	assert_eq "" "$stderr" "stderr"
}

@test "sleep_longjmp: -n (no saved mask) leaves SIGALRM blocked: the next sleep hangs" {
	run -1 --separate-stderr t "$(prog signals sleep_longjmp)" -n -c 2 -t 2 1
	assert_match 'sleep 1: woke by siglongjmp' "$output"
	assert_match 'sleep 2: SIGALRM is still blocked since the last jump' "$output"
	assert_match 'sleep 2 never woke up: the watchdog stopped it' "$stderr"
}

@test "sleep_longjmp: bad arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog signals sleep_longjmp)" -c 0 1
	assert_usage
	run -2 --separate-stderr t "$(prog signals sleep_longjmp)" 1 2
	assert_usage
}

@test "signal_timing: the alarm's siglongjmp abandons a slow SIGINT handler" {
	start_bg log "$(prog signals signal_timing)" -w 4000 2
	local pid=$BG_PID
	wait_for_line log 'send SIGINT now'
	wait_asleep "$pid"
	kill -INT "$pid"
	wait_bg "$pid"
	assert_eq 1 "$BG_STATUS" "exit status"
	assert_match 'SIGINT handler: starting' "$(cat log)"
	assert_match 'the SIGINT handler never finished' "$(cat log)"
	if grep -q 'SIGINT handler: finished' log; then
		echo "the SIGINT handler was not cut short" >&2
		return 1
	fi
}

@test "signal_timing: -s (sigsuspend sleep) lets the SIGINT handler finish" {
	start_bg log "$(prog signals signal_timing)" -s -w 2500 2
	local pid=$BG_PID
	wait_for_line log 'send SIGINT now'
	wait_asleep "$pid"
	kill -INT "$pid"
	wait_bg "$pid"
	assert_eq 0 "$BG_STATUS" "exit status"
	assert_eq "$(printf '%s\n' "SIGINT handler: starting" "SIGINT handler: finished" \
		"sleep returned, 0 s left unslept" "the SIGINT handler ran to its end")" \
		"$(sed 1d log)"
}

@test "signal_timing: bad arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog signals signal_timing)" -w x 1
	assert_usage
	run -2 --separate-stderr t "$(prog signals signal_timing)"
	assert_usage
}

@test "read_timeout: data that arrives in time is read; its FIFO is removed" {
	start_bg log "$(prog signals read_timeout)" f 10
	local pid=$BG_PID
	wait_for_line log 'waiting up to 10 s for data on f \(SA_RESTART off\)'
	[[ -p f ]]
	t bash -c 'echo "hello there" > f'
	wait_bg "$pid"
	assert_eq 0 "$BG_STATUS" "exit status"
	assert_match 'read 11 bytes: hello there' "$(cat log)"
	assert_gone f
}

@test "read_timeout: no writer: open gives up after the time limit, status 1" {
	run -1 --separate-stderr t "$(prog signals read_timeout)" f 1
	assert_eq "read_timeout: open interrupted by SIGALRM (EINTR): no writer within 1 s" "$stderr"
	assert_gone f
}

@test "read_timeout: a writer that sends nothing: read gets EINTR after the limit" {
	mkfifo f
	exec 4<>f # a writer (and reader) that never writes: read blocks, no EOF
	run -1 --separate-stderr t "$(prog signals read_timeout)" f 1
	exec 4>&-
	assert_eq "read_timeout: read interrupted by SIGALRM (EINTR): no data within 1 s" "$stderr"
	[[ -p f ]] # the caller's FIFO is left alone
	rm f
}

@test "read_timeout: -r (SA_RESTART): read is restarted, the program escapes with siglongjmp" {
	mkfifo f
	exec 4<>f
	run -1 --separate-stderr t "$(prog signals read_timeout)" -r f 1
	exec 4>&-
	rm f
	assert_match 'SA_RESTART on' "$output"
	assert_match 'SIGALRM: the blocked call is restarted \(SA_RESTART\), no EINTR' "$output"
	assert_eq "read_timeout: no data within 1 s: left the restarted call with siglongjmp" "$stderr"
}

@test "read_timeout: SIGINT and SIGTERM end the wait and remove the FIFO" {
	local sig
	for sig in INT TERM; do
		start_bg "log.$sig" "$(prog signals read_timeout)" "f.$sig" 60
		wait_for_line "log.$sig" 'waiting up to 60 s'
		stop_bg "$BG_PID" "$sig"
		assert_eq 1 "$BG_STATUS" "exit status after SIG$sig"
		assert_match 'stopped by a signal during open' "$(cat "log.$sig")"
		assert_gone "f.$sig"
	done
}

# Sent at once, the signal may land before open() has begun: the handler
# cleans up and exits itself, so that one is not missed either.
@test "read_timeout: SIGTERM right after the readiness line still stops it and removes the FIFO" {
	start_bg log "$(prog signals read_timeout)" f 60
	local pid=$BG_PID
	wait_for_line log 'waiting up to 60 s'
	kill -TERM "$pid"
	wait_bg "$pid"
	assert_eq 1 "$BG_STATUS" "exit status"
	assert_match 'stopped by a signal during open' "$(cat log)"
	assert_gone f
}

@test "read_timeout: a path that is not a FIFO, or cannot be made, is an error" {
	echo data >plain
	run -1 --separate-stderr t "$(prog signals read_timeout)" plain 1
	assert_eq "read_timeout: plain exists and is not a FIFO" "$stderr"
	assert_eq "data" "$(cat plain)"
	run -1 --separate-stderr t "$(prog signals read_timeout)" no/such/dir/f 1
	assert_match '^read_timeout: mkfifo no/such/dir/f: No such file or directory' "$stderr"
}

@test "read_timeout: bad arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog signals read_timeout)" f
	assert_usage
	run -2 --separate-stderr t "$(prog signals read_timeout)" f 0
	assert_usage
	run -2 --separate-stderr t "$(prog signals read_timeout)" -x f 1
	assert_usage
	assert_gone f
}

@test "sigqueue: realtime signals queue with their values, in the kernel's order; SIGUSR1 coalesces" {
	start_bg log "$(prog signals sigqueue_recv)"
	local pid=$BG_PID
	wait_for_line log 'send them, then SIGUSR2'
	assert_eq "$pid" "$(pid_in log)" "pid on the readiness line"
	run -0 --separate-stderr t "$(prog signals sigqueue_send)" "$pid" \
		RTMIN+1:11 RTMAX:99 RTMIN:1 USR1:100 RTMIN+1:12 RTMIN:2 SIGUSR1:101 RTMIN:3 USR1:102
	assert_eq "$(printf 'sent %s\n' 'SIGRTMIN+1 value 11' \
		"SIGRTMIN+$(($(kill -l RTMAX) - $(kill -l RTMIN))) value 99" 'SIGRTMIN value 1' \
		'SIGUSR1 value 100' 'SIGRTMIN+1 value 12' 'SIGRTMIN value 2' \
		'SIGUSR1 value 101' 'SIGRTMIN value 3' 'SIGUSR1 value 102')" "$output"
	kill -s RTMIN+1 "$pid" # one by kill(2): it carries no value of its own
	run -0 --separate-stderr t "$(prog signals sigqueue_send)" "$pid" USR2
	wait_bg "$pid"
	assert_eq 0 "$BG_STATUS" "exit status"
	# Linux: standard signals first (three SIGUSR1 became one, the first),
	# then lowest-numbered realtime signal first, each in the order sent.
	assert_eq "$(printf '%s\n' 'SIGUSR1 value 100 (sigqueue)' \
		'SIGRTMIN value 1 (sigqueue)' 'SIGRTMIN value 2 (sigqueue)' \
		'SIGRTMIN value 3 (sigqueue)' 'SIGRTMIN+1 value 11 (sigqueue)' \
		'SIGRTMIN+1 value 12 (sigqueue)' 'SIGRTMIN+1 value 0 (kill)' \
		"SIGRTMIN+$(($(kill -l RTMAX) - $(kill -l RTMIN))) value 99 (sigqueue)" \
		'received 8 signal(s)')" "$(sed 1d log)"
}

@test "sigqueue_send: a pid that does not exist is an error, status 1" {
	local pid
	pid=$(dead_pid)
	run -1 --separate-stderr t "$(prog signals sigqueue_send)" "$pid" RTMIN:1
	assert_eq "sigqueue_send: sigqueue SIGRTMIN to pid $pid: No such process" "$stderr"
	assert_eq "" "$output"
}

@test "sigqueue_send/sigqueue_recv: bad arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog signals sigqueue_send)" 0 RTMIN
	assert_usage
	run -2 --separate-stderr t "$(prog signals sigqueue_send)" 1
	assert_usage
	run -2 --separate-stderr t "$(prog signals sigqueue_send)" 1 HUP
	assert_usage
	run -2 --separate-stderr t "$(prog signals sigqueue_send)" 1 RTMIN:many
	assert_usage
	run -2 --separate-stderr t "$(prog signals sigqueue_send)" 1 "RTMIN+$(($(kill -l RTMAX) - $(kill -l RTMIN) + 1))"
	assert_usage
	run -2 --separate-stderr t "$(prog signals sigqueue_recv)" extra
	assert_usage
}
