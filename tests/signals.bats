#!/usr/bin/env bats
# tests/signals.bats -- signals/: behaviour through each program's command line.
#
# Programs that catch SIGINT are started with start_bg (setsid, in the
# background of a non-interactive shell, where SIGINT starts out ignored):
# each test that sends SIGINT also checks the program's handler really ran.
load helpers

setup() { lab_setup; }
teardown() { lab_teardown; }

# refuses_with_usage DIR PROG ARGS... -- PROG ARGS... exits 2 with a usage line
# on stderr and nothing on stdout (run directly, not through `run`: many of
# these in one test must stay fast).
refuses_with_usage() {
	local dir=$1 p=$2
	shift 2
	quick_run -2 "$(prog "$dir" "$p")" "$@" &&
		assert_match '(^|'$'\n'')usage: ' "$stderr" "stderr of $p $*" &&
		assert_eq "" "$output" "stdout of $p $*"
}

# pid_in LOG -- the pid a program printed on its readiness line ("pid N").
pid_in() {
	sed -n 's/.*pid \([0-9][0-9]*\).*/\1/p' "$1" | head -n 1
}

# sig_in PID FIELD SIG -- true if SIG is in the mask FIELD (SigBlk, ShdPnd,
# SigPnd, ...) of /proc/PID/status: how a test sees a signal's state from the
# outside.
sig_in() {
	local mask
	mask=$(sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" 2>/dev/null) || return 1
	[[ -n $mask ]] && (((0x$mask >> ($(kill -l "$3") - 1)) & 1))
}

# handler_run OPTION... -- start handler, send SIGUSR1, SIGUSR1, SIGINT, each
# once the previous one was answered, then SIGTERM; check all it printed.
handler_run() {
	start_bg log "$(prog signals handler)" "$@"
	local pid=$BG_PID sig n=0
	wait_for_line log 'waiting for SIGUSR1 or SIGINT'
	assert_eq "$pid" "$(pid_in log)" "pid on the readiness line"
	for sig in USR1 USR1 INT; do
		wait_asleep "$pid"
		kill -"$sig" "$pid"
		n=$((n + 1))
		wait_until "(( \$(grep -c '^received' log) == $n ))"
	done
	stop_bg "$pid"
	assert_eq 143 "$BG_STATUS" "exit status (SIGTERM's default action: 128 + 15)"
	assert_eq "$(printf '%s\n' "handler: pid $pid waiting for SIGUSR1 or SIGINT" \
		"received SIGUSR1" "received SIGUSR1" "received SIGINT")" "$(cat log)"
}

@test "handler: signal() and pause(): names each signal, again and again; SIGTERM ends it" {
	handler_run
}

@test "handler -s: sigaction and sigsuspend: the same, printed by main" {
	handler_run -s
}

@test "handler: SIGTERM right after the readiness line ends it too" {
	local opt
	for opt in "" -s; do
		start_bg log "$(prog signals handler)" $opt
		wait_for_line log 'waiting'
		kill -TERM "$BG_PID"
		wait_bg "$BG_PID"
		assert_eq 143 "$BG_STATUS" "exit status of handler $opt"
	done
}

@test "handler: extra arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog signals handler)" -n 2
	assert_usage
	run -2 --separate-stderr t "$(prog signals handler)" -s extra
	assert_usage
}

@test "sleep_alarm: alarm + pause sleeps, and SIGALRM wakes it" {
	run -0 --separate-stderr t "$(prog signals sleep_alarm)" 1
	assert_eq "$(printf '%s\n' "sleep_alarm: alarm(1), then pause() after 0 ms" \
		"SIGALRM caught" "woke up: 0 s left unslept")" "$output"
	assert_eq "" "$stderr" "stderr"
}

# pause() comes 1.5 s after alarm(1): SIGALRM has come and gone, and nothing
# ends the wait. timeout ends it: status 124 says the wakeup was lost.
@test "sleep_alarm: the race on demand: SIGALRM before pause() is a lost wakeup" {
	run -124 --separate-stderr timeout 3 "$(prog signals sleep_alarm)" 1 1500
	assert_eq "$(printf '%s\n' "sleep_alarm: alarm(1), then pause() after 1500 ms" \
		"SIGALRM caught")" "$output" "output (no 'woke up': the wakeup was lost)"
}

@test "sleep_alarm: bad arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog signals sleep_alarm)"
	assert_usage
	run -2 --separate-stderr t "$(prog signals sleep_alarm)" 0
	assert_usage
	run -2 --separate-stderr t "$(prog signals sleep_alarm)" 1 soon
	assert_usage
	run -2 --separate-stderr t "$(prog signals sleep_alarm)" 1 2 3
	assert_usage
}

# Sleep 1 has the early alarm and still wakes (the jump skips pause()). Sleep 2
# then waits with SIGALRM both blocked and pending: it can never be delivered.
@test "sleep_longjmp: the jump skips pause(), but setjmp leaves SIGALRM blocked: sleep 2 never wakes" {
	start_bg log "$(prog signals sleep_longjmp)"
	local pid=$BG_PID
	wait_for_line log '^sleep 2: alarm\(1\)'
	wait_until "sig_in $pid SigBlk ALRM && { sig_in $pid ShdPnd ALRM || sig_in $pid SigPnd ALRM; }"
	stop_bg "$pid"
	assert_eq "$(printf '%s\n' "sleep 1: alarm(1), then pause() after 1500 ms" \
		"sleep 1: woke up, 0 s left unslept" "sleep 2: alarm(1), then pause() after 0 ms")" \
		"$(cat log)" "output (no second 'woke up': SIGALRM stays blocked after longjmp)"
}

@test "sleep_longjmp -s: sigsetjmp/siglongjmp restore the mask: both sleeps wake" {
	run -0 --separate-stderr t "$(prog signals sleep_longjmp)" -s
	assert_eq "$(printf '%s\n' "sleep 1: alarm(1), then pause() after 1500 ms" \
		"sleep 1: woke up, 0 s left unslept" "sleep 2: alarm(1), then pause() after 0 ms" \
		"sleep 2: woke up, 0 s left unslept")" "$output" \
		"output (sleep 2 must wake: sigsetjmp(env, 1) saves the mask, siglongjmp puts it back)"
	assert_eq "" "$stderr" "stderr"
}

@test "sleep_longjmp: bad arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog signals sleep_longjmp)" 1
	assert_usage
	run -2 --separate-stderr t "$(prog signals sleep_longjmp)" -s -s
	assert_usage
}

# sigint_in_time PID T0 SECONDS MARK -- SIGINT to PID, started at T0
# (EPOCHREALTIME's digits) and asleep for SECONDS, then wait_bg. On a machine
# so loaded that SECONDS had passed before the kill, the sleep may have ended
# first (the program gone, or a zombie that takes the signal unseen): if its
# log then lacks MARK, the test is skipped, saying so. In time, nothing is
# excused.
sigint_in_time() {
	local late=$((${EPOCHREALTIME/[.,]/} - $2 >= $3 * 1000000))
	kill -INT "$1" 2>/dev/null || ((late)) ||
		{ echo "the program ended before its $3 s sleep was over" >&2 && return 1; }
	wait_bg "$1" || return 1
	((late)) && ! grep -q "$4" log &&
		skip "could not send SIGINT within the $3 s sleep (a loaded machine)"
	return 0
}

@test "signal_timing: the longjmp out of sig_alrm abandons a slow sig_int" {
	local t0=${EPOCHREALTIME/[.,]/}
	start_bg log "$(prog signals signal_timing)" 2
	local pid=$BG_PID
	wait_for_line log 'send SIGINT'
	assert_eq "$pid" "$(pid_in log)" "pid on the readiness line"
	wait_asleep "$pid"
	sigint_in_time "$pid" "$t0" 2 'sig_int enter'
	assert_eq 0 "$BG_STATUS" "exit status"
	assert_eq "$(printf '%s\n' "sig_int enter" "sleepFor returned: 0")" "$(sed 1d log)" \
		"output after the readiness line (no 'sig_int done': sig_int was abandoned)"
}

@test "signal_timing: with no SIGINT it just sleeps" {
	run -0 --separate-stderr t "$(prog signals signal_timing)"
	assert_match '^signal_timing: pid [0-9]+, sleepFor\(1\): send SIGINT
sleepFor returned: 0$' "$output"
}

@test "signal_timing: bad arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog signals signal_timing)" 0
	assert_usage
	run -2 --separate-stderr t "$(prog signals signal_timing)" 1x
	assert_usage
	run -2 --separate-stderr t "$(prog signals signal_timing)" 1 2
	assert_usage
}

@test "sleep_sigsuspend: an alarm before sigsuspend() stays pending; every sleep wakes" {
	run -0 --separate-stderr t "$(prog signals sleep_sigsuspend)" -d 1500 1
	assert_eq "$(printf '%s\n' "sleep 1: alarm(1), then sigsuspend() after 1500 ms" \
		"sleep 1: woke up, 0 s left unslept; mask and action as before" \
		"sleep 2: alarm(1), then sigsuspend() after 1500 ms" \
		"sleep 2: woke up, 0 s left unslept; mask and action as before")" "$(sed 1d <<<"$output")" \
		"output (an early alarm must stay pending; sleepFor must put back the mask and the action)"
	assert_eq "" "$stderr" "stderr"
}

@test "sleep_sigsuspend: SIGINT's slow handler runs to its end, then the sleep ends" {
	local t0=${EPOCHREALTIME/[.,]/}
	start_bg log "$(prog signals sleep_sigsuspend)" -n 1 2
	local pid=$BG_PID
	wait_for_line log '^sleep 1: alarm'
	assert_eq "$pid" "$(pid_in log)" "pid on the first line"
	wait_asleep "$pid"
	sigint_in_time "$pid" "$t0" 2 'sig_int enter'
	assert_eq 0 "$BG_STATUS" "exit status"
	assert_eq "$(printf '%s\n' "sleep 1: alarm(2), then sigsuspend() after 0 ms" \
		"sig_int enter" "sig_int done" "sleep 1: woke up, 0 s left unslept; mask and action as before")" \
		"$(sed 1d log)" "output (sig_int must run to its end: nothing may jump out of it)"
}

@test "sleep_sigsuspend: bad arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog signals sleep_sigsuspend)" -n 0 1
	assert_usage
	run -2 --separate-stderr t "$(prog signals sleep_sigsuspend)" -d soon 1
	assert_usage
	run -2 --separate-stderr t "$(prog signals sleep_sigsuspend)" 1 2
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

@test "signal_table: each signal of the lecture's table under its default action" {
	run -0 --separate-stderr t "$(prog signals signal_table)"
	local name line
	for name in ABRT ALRM BUS FPE HUP ILL INT KILL PIPE SEGV TERM CHLD STOP; do
		line=$(grep "^SIG$name " <<<"$output") || true
		case $name in
		CHLD) assert_match ' -> lived on \(exit 0\)$' "$line" "the SIG$name line" ;;
		# A child that exits at once after SIGCONT may be reaped before its
		# "continued" is seen: waitpid then reports the exit (seen under load).
		STOP) assert_match ' -> stopped, (continued, )?lived on \(exit 0\)$' "$line" "the SIG$name line" ;;
		*) assert_match " -> killed: .* \\($(kill -l "$name")\\)\$" "$line" "the SIG$name line" ;;
		esac
	done
	assert_eq 13 "$(wc -l <<<"$output")" "lines"
	assert_eq "" "$stderr" "stderr"
}

@test "signal_table: an argument gets usage and status 2" {
	run -2 --separate-stderr t "$(prog signals signal_table)" SIGSEGV
	assert_usage
}

@test "sigqueue: realtime signals queue with their values, in the kernel's order; SIGUSR1 coalesces" {
	start_bg log "$(prog signals sigqueue_recv)"
	local pid=$BG_PID
	wait_for_line log 'send them, then SIGUSR2'
	assert_eq "$pid" "$(pid_in log)" "pid on the readiness line"
	# The program's own SIGRTMIN and SIGRTMAX: C libraries keep a few for themselves
	# (glibc 2, musl 3), so they are not the shell's.
	local rtmin rtmax
	IFS=. read -r rtmin _ rtmax < <(grep -o '([0-9]*\.\.[0-9]*)' log | tr -d '()')
	assert_match "^[0-9]+ [0-9]+$" "$rtmin $rtmax" "SIGRTMIN..SIGRTMAX on the readiness line"
	run -0 --separate-stderr t "$(prog signals sigqueue_send)" "$pid" \
		RTMIN+1:11 RTMAX:99 RTMIN:1 USR1:100 RTMIN+1:12 RTMIN:2 SIGUSR1:101 RTMIN:3 USR1:102
	assert_eq "$(printf 'sent %s\n' 'SIGRTMIN+1 value 11' \
		"SIGRTMIN+$((rtmax - rtmin)) value 99" 'SIGRTMIN value 1' \
		'SIGUSR1 value 100' 'SIGRTMIN+1 value 12' 'SIGRTMIN value 2' \
		'SIGUSR1 value 101' 'SIGRTMIN value 3' 'SIGUSR1 value 102')" "$output"
	kill -n $((rtmin + 1)) "$pid" # one by kill(2): it carries no value of its own
	run -0 --separate-stderr t "$(prog signals sigqueue_send)" "$pid" USR2
	wait_bg "$pid"
	assert_eq 0 "$BG_STATUS" "exit status"
	# Linux: standard signals first (three SIGUSR1 became one, the first),
	# then lowest-numbered realtime signal first, each in the order sent.
	assert_eq "$(printf '%s\n' 'SIGUSR1 value 100 (sigqueue)' \
		'SIGRTMIN value 1 (sigqueue)' 'SIGRTMIN value 2 (sigqueue)' \
		'SIGRTMIN value 3 (sigqueue)' 'SIGRTMIN+1 value 11 (sigqueue)' \
		'SIGRTMIN+1 value 12 (sigqueue)' 'SIGRTMIN+1 value 0 (kill)' \
		"SIGRTMIN+$((rtmax - rtmin)) value 99 (sigqueue)" \
		'received 8 signal(s)')" "$(sed 1d log)"
}

@test "sigqueue_recv: of 1025 queued signals it records its 1024 and says more came" {
	(($(ulimit -i) > 1100)) || skip "RLIMIT_SIGPENDING $(ulimit -i) cannot queue 1025 signals"
	start_bg log "$(prog signals sigqueue_recv)"
	local pid=$BG_PID i args=() out
	wait_for_line log 'send them, then SIGUSR2'
	for ((i = 1; i <= 1025; i++)); do args+=("RTMIN:$i"); done
	run -0 --separate-stderr t "$(prog signals sigqueue_send)" "$pid" "${args[@]}" USR2
	wait_bg "$pid"
	assert_eq 0 "$BG_STATUS" "exit status"
	lab_read out log
	# MAX_RECORDS is the table's size: the 1024th fits, the 1025th must not be written.
	assert_match $'\nSIGRTMIN value 1024 \(sigqueue\)\nreceived 1024 signal\(s\)\n\(more arrived than the 1024 this program records\)$' \
		"$out" "the end of its report (the table's limit checked with == MAX_RECORDS, not >)"
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

@test "sleep_sigsuspend: SIGTERM right after its first line ends it (default action)" {
	start_bg log "$(prog signals sleep_sigsuspend)" 60
	wait_for_line log '^sleep 1: alarm'
	kill -TERM "$BG_PID"
	wait_bg "$BG_PID"
	assert_eq 143 "$BG_STATUS" "exit status (128 + SIGTERM)"
}

@test "read_timeout: a folder given as the FIFO is refused at once" {
	mkdir d
	run -1 --separate-stderr t "$(prog signals read_timeout)" d 10
	assert_eq "read_timeout: d exists and is not a FIFO" "$stderr"
	[[ -d d ]]
}

@test "read_timeout: the writer's control bytes are printed as '?'" {
	start_bg log "$(prog signals read_timeout)" f 10
	local pid=$BG_PID
	wait_for_line log 'waiting up to 10 s'
	t bash -c 'printf "red \\033[31m text\\tend\\n" > f'
	wait_bg "$pid"
	assert_eq 0 "$BG_STATUS" "exit status"
	assert_eq 'read 18 bytes: red ?[31m text?end' "$(sed 1d log)" \
		"what was read (an escape sequence must not reach the terminal)"
}

# SIGNAL_PROGS -- every program of signals/, for the tests of bad arguments.
SIGNAL_PROGS=(handler sleep_alarm sleep_longjmp signal_timing sleep_sigsuspend read_timeout
	signal_table sigqueue_send sigqueue_recv self_pipe signalfd_demo eventfd_demo)

@test "every signals program: -h and --help print usage and exit 2, never taken as a path" {
	local p
	mkdir scratch && cd scratch
	for p in "${SIGNAL_PROGS[@]}"; do
		refuses_with_usage signals "$p" -h
		refuses_with_usage signals "$p" --help
	done
	# read_timeout's FIFO argument: -h there is no FIFO's name either
	run -2 --separate-stderr t "$(prog signals read_timeout)" -h 5
	assert_usage
	run -2 --separate-stderr t "$(prog signals read_timeout)" -r --help 5
	assert_usage
	assert_eq "" "$(ls -A)" "files made in the test directory"
}

@test "every signals program: eight junk arguments get usage and status 2" {
	local p
	mkdir scratch && cd scratch
	for p in "${SIGNAL_PROGS[@]}"; do
		refuses_with_usage signals "$p" j1 j2 j3 j4 j5 j6 j7 j8
	done
	assert_eq "" "$(ls -A)" "files made in the test directory"
}

# start_reading PROG ARGS... -- start PROG with stdin from the FIFO `in`, which
# this test holds open on fd 5 (close it: the program reads the end of input);
# its log is `log`. The program itself must not hold fd 5, or it never sees EOF.
start_reading() {
	mkfifo in
	exec 5<>in
	start_bg log bash -c 'exec "$@" <in 5>&-' _ "$(prog signals "$1")" "${@:2}"
	wait_for_line log 'waiting for'
}

# ---- self_pipe: the self-pipe trick ----

@test "self_pipe: lines and signals are handled in one loop, in the order they come; SIGTERM stops it" {
	start_reading self_pipe
	local pid=$BG_PID
	assert_eq "$pid" "$(pid_in log)" "pid on the readiness line"
	echo hello >&5
	wait_for_line log '^line: hello$'
	wait_asleep "$pid"
	kill -USR1 "$pid"
	wait_for_line log '^signal: SIGUSR1$'
	wait_asleep "$pid"
	kill -USR2 "$pid"
	wait_for_line log '^signal: SIGUSR2$'
	printf 'red \033[31m text\n' >&5
	wait_for_line log '^line: red'
	stop_bg "$pid"
	exec 5>&-
	assert_eq 0 "$BG_STATUS" "status after SIGTERM"
	assert_eq "$(printf '%s\n' 'line: hello' 'signal: SIGUSR1' 'signal: SIGUSR2' \
		'line: red ?[31m text' 'signal: SIGTERM' 'self_pipe: stopped by a signal')" "$(sed 1d log)"
}

@test "self_pipe: the end of input ends it; a last line without a newline is still a line" {
	start_reading self_pipe
	printf 'one\ntwo' >&5
	exec 5>&-
	wait_bg "$BG_PID"
	assert_eq 0 "$BG_STATUS" "status"
	assert_eq "$(printf '%s\n' 'line: one' 'line: two' 'self_pipe: end of input')" "$(sed 1d log)"
	# A line longer than its 4096-byte buffer: the full buffer is printed as a
	# piece, the rest follows, and the input goes on (a full buffer must not be
	# read into with 0 bytes to spare: that read returns 0, taken for the end).
	local x want
	printf -v x '%05000d' 0
	run -0 --separate-stderr t "$(prog signals self_pipe)" <<<"$x"$'\nnext'
	printf -v want 'line: %s\n' "${x:0:4096}" "${x:4096}" next
	assert_eq "${want}self_pipe: end of input" "${output#*$'\n'}" \
		"a 5000-byte line, then 'next' (a full buffer that is not flushed ends the input early)"
}

# Sent at once, the signal may land before poll() has begun: its byte waits in
# the pipe, and poll returns at once.
@test "self_pipe: SIGTERM or SIGINT right after the readiness line stops it (the byte waits in the pipe)" {
	local sig
	for sig in TERM INT; do
		start_reading self_pipe
		kill "-$sig" "$BG_PID"
		wait_bg "$BG_PID"
		exec 5>&-
		rm in
		assert_eq 0 "$BG_STATUS" "status after SIG$sig"
		assert_match "signal: SIG$sig" "$(cat log)"
	done
}

@test "self_pipe: both ends of its pipe are O_NONBLOCK (a full pipe must not block the handler) and O_CLOEXEC" {
	start_reading self_pipe
	assert_fd_flag "$BG_PID" '^pipe:' O_NONBLOCK
	assert_fd_flag "$BG_PID" '^pipe:' O_CLOEXEC
}

@test "self_pipe: a thousand signals while it runs: none blocks it, and it still stops" {
	start_reading self_pipe
	local pid=$BG_PID
	run -0 --separate-stderr t bash -c 'for i in $(seq 1000); do kill -USR1 "$0" || exit 1; done' "$pid"
	wait_for_line log '^signal: SIGUSR1$'
	echo "still here" >&5
	wait_for_line log '^line: still here$'
	stop_bg "$pid"
	exec 5>&-
	assert_eq 0 "$BG_STATUS" "status after SIGTERM"
}

# ---- signalfd_demo: signalfd, and sigwaitinfo in a thread ----

@test "signalfd_demo (signalfd, and -w: sigwaitinfo in a thread): who sent each signal, and sigqueue's value" {
	local mode
	for mode in "" -w; do
		start_reading signalfd_demo $mode
		local pid=$BG_PID
		echo hello >&5
		wait_for_line log '^stdin: 6 bytes$'
		kill -USR1 "$pid"
		wait_for_line log '^signal: SIGUSR1'
		run -0 --separate-stderr t "$(prog signals sigqueue_send)" "$pid" USR2:42
		wait_for_line log '^signal: SIGUSR2'
		kill -TERM "$pid"
		wait_bg "$pid"
		exec 5>&-
		rm in
		assert_eq 0 "$BG_STATUS" "status after SIGTERM (signalfd_demo $mode: were the signals blocked?)"
		assert_match "^signal: SIGUSR1 from pid $BASHPID
signal: SIGUSR2 from pid [0-9]+, value 42
signal: SIGTERM from pid $BASHPID
signalfd_demo: stopped by a signal\$" "$(sed 1,2d log)" "signalfd_demo $mode"
	done
}

@test "signalfd_demo: the end of input ends it; SIGINT right after the readiness line stops it" {
	local mode
	for mode in "" -w; do
		start_reading signalfd_demo $mode
		exec 5>&-
		wait_bg "$BG_PID"
		rm in
		assert_eq 0 "$BG_STATUS" "status at the end of input ($mode)"
		assert_eq "signalfd_demo: end of input" "$(tail -n 1 log)"
		start_reading signalfd_demo $mode
		kill -INT "$BG_PID"
		wait_bg "$BG_PID"
		exec 5>&-
		rm in
		assert_eq 0 "$BG_STATUS" "status after SIGINT ($mode)"
		assert_match 'signal: SIGINT' "$(cat log)"
	done
}

@test "signalfd_demo: its signalfd (or -w's pipe) is O_CLOEXEC" {
	start_reading signalfd_demo
	assert_fd_flag "$BG_PID" 'signalfd' O_CLOEXEC
	stop_bg "$BG_PID"
	exec 5>&-
	rm in
	start_reading signalfd_demo -w
	assert_fd_flag "$BG_PID" '^pipe:' O_CLOEXEC
}

# ---- eventfd_demo: eventfd as a counter, timerfd ----

@test "eventfd_demo: 4 x 1000 adds: the reads add up to 4000, in fewer reads; a late timerfd read counts its ticks" {
	run -0 --separate-stderr t "$(prog signals eventfd_demo)"
	assert_eq "" "$stderr" "stderr"
	local line reads total
	line=$(grep '^eventfd: ' <<<"$output")
	assert_match '^eventfd: [0-9]+ reads added up to 4000 of 4000$' "$line" \
		"the eventfd line (a read must take all 8 bytes of the counter)"
	reads=$(awk '{print $2}' <<<"$line")
	((reads >= 1 && reads <= 4000))
	line=$(grep '^timerfd: ' <<<"$output")
	assert_match '^timerfd: [0-9]+ ticks' "$line"
	(($(awk '{print $2}' <<<"$line") >= 3)) || {
		echo "a timerfd read after 3.5 intervals must count at least 3 ticks: $line" >&2
		return 1
	}
}

@test "eventfd_demo -s: EFD_SEMAPHORE: one read per add" {
	run -0 --separate-stderr t "$(prog signals eventfd_demo)" -s -p 3 -n 50
	assert_match '^eventfd: 150 reads added up to 150 of 150$' "$(grep '^eventfd: ' <<<"$output")"
}

@test "eventfd_demo: the timerfd ticks while slow children add; every child is reaped" {
	run -0 --separate-stderr t "$(prog signals eventfd_demo)" -p 2 -n 6 -i 60 -t 100
	assert_match '^tick: [0-9]+ expiration\(s\); the reads add up to [0-9]+ so far$' \
		"$(grep -m 1 '^tick:' <<<"$output")" "a tick line (poll must watch the timerfd too)"
	assert_match '^eventfd: [0-9]+ reads added up to 12 of 12$' "$(grep '^eventfd: ' <<<"$output")"
	# Once its children have ended it sleeps (the late timerfd read, 3.5 s with
	# -t 1000): by then it must have reaped them all, not left them zombies.
	[[ -r /proc/$$/task/$$/children ]] || skip "no /proc/PID/task/PID/children to list children"
	start_bg log "$(prog signals eventfd_demo)" -p 2 -n 3 -i 500 -t 1000
	local pid=$BG_PID kids
	wait_for_line log 'children add 1'
	wait_until "lab_read kids /proc/$pid/task/$pid/children && [[ -n \$kids ]]" # they add for 1 s
	wait_until "children_settled $pid"
	lab_read kids "/proc/$pid/task/$pid/children"
	assert_eq "" "$kids" "children left while it sleeps (zombies: a wait() was dropped)"
}

# children_settled PID -- true once PID has no child left, or sleeps (not
# running) while every child it still has is a zombie: a wait() was missed.
children_settled() {
	local kids k stat
	{ lab_read kids "/proc/$1/task/$1/children"; } 2>/dev/null || return 0
	[[ -n $kids ]] || return 0
	! lab_running "$1" || return 1
	for k in $kids; do
		{ read -r stat <"/proc/$k/stat"; } 2>/dev/null || continue
		stat=${stat##*) }
		[[ ${stat%% *} == Z ]] || return 1
	done
}

@test "eventfd_demo: its eventfd and timerfd are O_CLOEXEC" {
	# 600 adds 100 ms apart: it still runs when a loaded machine gets to the checks
	start_bg log "$(prog signals eventfd_demo)" -p 1 -n 600 -i 100
	wait_for_line log 'children add 1'
	wait_until "[[ -n \$(for f in /proc/$BG_PID/fd/*; do readlink \$f; done | grep timerfd) ]]"
	assert_fd_flag "$BG_PID" 'eventfd' O_CLOEXEC
	assert_fd_flag "$BG_PID" 'timerfd' O_CLOEXEC
}

@test "self_pipe/signalfd_demo/eventfd_demo: bad arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog signals self_pipe)" x
	assert_usage
	run -2 --separate-stderr t "$(prog signals signalfd_demo)" -w x
	assert_usage
	run -2 --separate-stderr t "$(prog signals eventfd_demo)" -p 0
	assert_usage
	run -2 --separate-stderr t "$(prog signals eventfd_demo)" -n 99999999999999999999
	assert_usage
	run -2 --separate-stderr t "$(prog signals eventfd_demo)" -t 0
	assert_usage
}
