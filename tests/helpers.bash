# tests/helpers.bash -- what every tests/DIR.bats loads with `load helpers`.
#
# Programs are found through BIN_DIR (default: the lab's own tree), laid out
# as the lab is: $BIN_DIR/pipe/mymore. A grader tests another build with
#     BIN_DIR=/path/to/their/lab tests/run tests/pipe.bats
#
# Each test runs in its own $BATS_TEST_TMPDIR (the current directory during the
# test) and names every IPC object from it; lab_teardown stops what the test
# started in the background.
bats_require_minimum_version 1.5.0

LAB_TOP=${BATS_TEST_DIRNAME%/*} # Bats makes it absolute; no subshell per test
BIN_DIR=${BIN_DIR:-$LAB_TOP}
# Seconds a single program may run before a test gives up on it.
LAB_TIMEOUT=${LAB_TIMEOUT:-10}

# prog DIR NAME -- the path of a program under test. A program that was not
# built (its compile failed, or a student's build lacks it) gives a stand-in
# that says so and exits 127; every wait of this file then gives up at once, and
# lab_teardown fails the test with "not built: DIR/NAME".
prog() {
	local path=$BIN_DIR/$1/$2 stub
	if [[ -x $path ]]; then
		printf '%s\n' "$path"
		return 0
	fi
	echo "not built: $1/$2 (see the compiler's errors above)" >>"$LAB_NOT_BUILT"
	stub=$BATS_FILE_TMPDIR/not-built/$1/$2
	mkdir -p "${stub%/*}"
	printf '#!/bin/sh\necho "not built: %s/%s (see the compiler'"'"'s errors above)" >&2\nexit 127\n' \
		"$1" "$2" >"$stub"
	chmod +x "$stub"
	printf '%s\n' "$stub"
}
LAB_NOT_BUILT=${BATS_FILE_TMPDIR:-${TMPDIR:-/tmp}}/not-built.${BATS_TEST_NUMBER:-0}

# not_built_yet -- true (after saying why) once this test has asked for a
# program that is not built: no wait of this test can succeed any more.
not_built_yet() {
	[[ -s $LAB_NOT_BUILT ]] || return 1
	sort -u "$LAB_NOT_BUILT" >&2
}

# lab_setup / lab_teardown -- call them from setup() and teardown().
# Bats (1.8.2) runs a DEBUG trap before every command of a test and of every
# function it calls, to record where a failure happened: about a millisecond a
# command, more than most of what the helpers do (a wait loop spent most of its
# time in it). `set +T` here keeps the trap on the test's own lines (the test
# function was entered with it) and off inside the functions it calls (run, t,
# prog, the waits and asserts): a failure still names the test's line and
# command, and the helper's own message says what went wrong.
lab_setup() {
	set +T
	cd "$BATS_TEST_TMPDIR" || return 1
	LAB_BG=() # pids of the programs this test started with start_bg
}
lab_teardown() {
	local pid
	for pid in "${LAB_BG[@]}"; do
		stop_bg "$pid"
	done
	LAB_BG=()
	not_built_yet && return 1
	[[ -n ${BATS_TEST_COMPLETED:-} ]] || lab_dump
	return 0
}

# lab_dump -- after a failure: what the last `run` got, cut to its last 40
# lines (Bats has said in one line what failed, just before this).
lab_dump() {
	local n
	[[ ${status:-} == 124 ]] &&
		echo "the program ran past its time limit (${LAB_TIMEOUT} s) and was stopped: was it waiting for an EOF or a peer that never came?"
	for n in output stderr; do
		[[ -n ${!n:-} ]] || continue
		echo "--- last 40 lines of the program's $n (exit status ${status:-?}) ---"
		printf '%s\n' "${!n}" | tail -n 40
	done
}

# t CMD ARGS... -- CMD under a time limit, so no test can hang:
#     run -0 --separate-stderr t "$(prog pipe pipe)"
t() {
	local rc=0
	timeout -k 2 "$LAB_TIMEOUT" "$@" || rc=$?
	((rc != 124 && rc != 137)) ||
		echo "t: ${1##*/} ran past ${LAB_TIMEOUT} s and was stopped" >&2
	return "$rc"
}

# start_bg LOG CMD ARGS... -- start CMD in the background in a process group of
# its own (setsid), stdin from /dev/null, stdout and stderr to LOG, fd 3 closed
# so Bats does not wait for it. Sets BG_PID. tests/run kills it if the test
# does not.
start_bg() {
	local log=$1
	shift
	: >"$log" # empty now: a reused log must not show the last program's lines
	setsid "$@" </dev/null >"$log" 2>&1 3>&- &
	BG_PID=$!
	LAB_BG+=("$BG_PID")
	[[ -n ${LAB_PIDS:-} ]] && echo "$BG_PID" >>"$LAB_PIDS"
	return 0
}

# stop_bg PID [SIGNAL] -- SIGNAL (default TERM) to the program's process group,
# KILL after a deadline, then reap it. Sets BG_STATUS to its exit status
# (128+n when a signal ended it).
stop_bg() {
	local pid=$1 sig=${2:-TERM}
	wait_asleep "$pid" 1 || true # a program still busy gets the signal anyway
	# Bats runs tests under errexit: a program that already ended is no failure.
	kill "-$sig" -- "-$pid" 2>/dev/null || true
	lab_poll "! kill -0 $pid 2>/dev/null" 5 || true
	kill -KILL -- "-$pid" 2>/dev/null || true
	BG_STATUS=0
	wait "$pid" 2>/dev/null || BG_STATUS=$?
	local kept=() p
	for p in "${LAB_BG[@]}"; do [[ $p == "$pid" ]] || kept+=("$p"); done
	LAB_BG=("${kept[@]}")
}

# wait_asleep PID [SECONDS] -- wait until PID sleeps in the kernel (state S in
# /proc/PID/stat: inside a call that waits, like open, read, accept, msgrcv) or
# has ended. A test that means "a signal while the program waits" sends it only
# then: sent just after the readiness line, it could land before the program
# has entered its wait, which is another case (see docs/CONTRIBUTING.md).
# Returns 1 if PID still runs at the deadline.
wait_asleep() {
	lab_poll "! lab_running $1" "${2:-$LAB_TIMEOUT}"
}
# lab_running PID -- PID exists and is running (state R), read with builtins.
lab_running() {
	local stat
	{ read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
	stat=${stat##*) } # the name in parentheses may hold spaces
	[[ ${stat%% *} == R ]]
}

# wait_bg PID -- wait (with a deadline) for a background program to end by
# itself; sets BG_STATUS. Fails if it is still running at the deadline.
wait_bg() {
	local pid=$1
	wait_until "! kill -0 $pid 2>/dev/null" || return 1
	stop_bg "$pid"
}

# wait_until 'SHELL CONDITION' [SECONDS] -- poll the condition until it holds;
# fail (printing it) at the deadline. This is a readiness check, not a sleep.
wait_until() {
	lab_poll "$1" "${2:-$LAB_TIMEOUT}" && return 0
	echo "timed out after ${2:-$LAB_TIMEOUT}s waiting for: $1" >&2
	return 1
}

# lab_poll 'SHELL CONDITION' SECONDS -- true as soon as the condition holds,
# false once SECONDS of real time have passed (or a program was not built).
# It looks at once, then after 5, 10, 20, 40 ms and every 50 ms from then on:
# quick for a program that is ready at once, and no busy loop for a long wait
# (a condition that runs grep or ps costs a fork and an exec each time). The
# first naps start no process; the 50 ms ones are sleep(1), which also has bash
# reap a background program that ended (until then a zombie answers kill -0:
# without a child to wait for, a loop of builtins was seen to wait 10 s on one).
lab_poll() {
	# (lab_ names: the condition may name the caller's variables)
	local lab_end lab_naps=(0.005 0.01 0.02 0.04) lab_i=0 lab_slack=0
	[[ -n ${EPOCHREALTIME:-} ]] || lab_slack=1
	lab_clock
	lab_end=$((LAB_CLOCK + ($2 + lab_slack) * 1000000))
	while :; do
		eval "$1" && return 0
		not_built_yet && return 1
		lab_clock
		((LAB_CLOCK < lab_end)) || return 1
		if ((lab_i < ${#lab_naps[@]})); then
			lab_nap "${lab_naps[lab_i++]}"
		else
			sleep 0.05
		fi
	done
}

# lab_clock -- LAB_CLOCK: now, in microseconds (before bash 5, whole seconds,
# and lab_poll waits a second more so as never to give up early).
lab_clock() {
	if [[ -n ${EPOCHREALTIME:-} ]]; then
		LAB_CLOCK=${EPOCHREALTIME//[!0-9]/}
	else
		LAB_CLOCK=$((SECONDS * 1000000))
	fi
}

# lab_nap SECONDS -- sleep without starting a process: `read` with a time
# limit on a FIFO nobody writes to (made once per test file). In a poll loop
# a `sleep` costs a fork and an exec each time.
lab_nap() {
	if [[ ! -p ${LAB_NAP:-} ]]; then
		LAB_NAP=${BATS_FILE_TMPDIR:-}/lab-nap
		if [[ -z ${BATS_FILE_TMPDIR:-} ]] || ! { mkfifo "$LAB_NAP" 2>/dev/null || [[ -p $LAB_NAP ]]; }; then
			LAB_NAP= && sleep "$1" && return 0
		fi
	fi
	local lab_none # (a plain `read` would clobber the test's REPLY)
	read -rt "$1" lab_none <>"$LAB_NAP" || :
}

# wait_for_line FILE REGEX [SECONDS] -- wait until a line of FILE matches
# (grep runs only once FILE has something in it).
wait_for_line() {
	local file re
	printf -v file %q "$1"
	printf -v re %q "$2"
	wait_until "[[ -s $file ]] && grep -qE -- $re $file 2>/dev/null" "${3:-$LAB_TIMEOUT}" || {
		echo "--- the last 40 lines of $1 ---" >&2
		tail -n 40 "$1" >&2 2>/dev/null
		return 1
	}
}

# wait_for_file PATH [SECONDS] -- wait until PATH exists (a FIFO, socket, file).
wait_for_file() {
	local path
	printf -v path %q "$1"
	wait_until "[[ -e $path ]]" "${2:-$LAB_TIMEOUT}"
}

# dead_pid -- the pid of a process that has ended and been reaped (for
# "that pid is gone" cases: stale locks, signals to nobody).
dead_pid() {
	sh -c 'echo $$'
}

# unique_name [STEM] -- a name no other test or user shares: for POSIX
# objects ("/lab-..."), and for anything else that lives outside the test dir.
unique_name() {
	printf '/lab-%s-%s-%s-%s\n' "${1:-obj}" "$$" "${BATS_SUITE_TEST_NUMBER:-0}" "$RANDOM"
}

# ftok_key PATH PROJ_ID -- the key ftok(3) gives on Linux, computed here
# independently of the program under test: proj_id's low 8 bits, the device's
# low 8 bits, the inode's low 16 bits.
ftok_key() {
	local dev ino
	read -r dev ino < <(stat -L -c '%d %i' "$1") || return 1
	printf '0x%08x\n' $(((($2 & 0xff) << 24) | ((dev & 0xff) << 16) | (ino & 0xffff)))
}

# sysv_exists KEY -- true if any System V queue, semaphore set or segment has
# this key (as ipcs prints it: 0x%08x).
sysv_exists() {
	local want f key rest
	# /proc/sysvipc (what ipcs reads) lists every queue, set and segment, the
	# key first as a signed decimal: read there with builtins, as a poll may.
	if [[ $1 =~ ^0x[0-9a-fA-F]{1,8}$ && -r /proc/sysvipc/msg && -r /proc/sysvipc/sem &&
		-r /proc/sysvipc/shm ]]; then
		want=$(($1))
		((want < 0x80000000)) || want=$((want - 0x100000000))
		for f in msg sem shm; do
			while read -r key rest; do
				[[ $key == "$want" ]] && return 0
			done <"/proc/sysvipc/$f"
		done
		return 1
	fi
	ipcs -q -s -m 2>/dev/null | awk -v k="$1" '$1 == k { found = 1 } END { exit !found }'
}

# err_re ERRNO_NAME -- a regex for that error's text as the C library words it:
# glibc's or musl's (make CC=musl-gcc test). A test pins which error a program
# met, never one library's wording of it.
err_re() {
	case $1 in
	EADDRINUSE) echo 'Address (already )?in use' ;;
	EADDRNOTAVAIL) echo '(Cannot assign requested|Address not available)( address)?' ;;
	EBUSY) echo '(Device or r|R)esource busy' ;;
	ENOTSUP) echo '(Operation )?[Nn]ot supported' ;;
	*) echo "err_re: no entry for $1" >&2 && return 1 ;;
	esac
}

# assert_no_sysv KEY -- fail, naming what is left, if KEY still has an object.
assert_no_sysv() {
	if sysv_exists "$1"; then
		echo "System V object with key $1 was left behind:" >&2
		ipcs -q -s -m | awk -v k="$1" 'NR <= 3 || $1 == k' >&2
		return 1
	fi
}

# assert_gone PATH... -- fail if any PATH (FIFO, socket, file, /dev/shm entry)
# still exists.
assert_gone() {
	local p
	for p in "$@"; do
		if [[ -e $p || -L $p ]]; then
			echo "left behind: $p" >&2
			return 1
		fi
	done
}

# assert_posix_gone NAME -- a POSIX shared memory object or named semaphore
# called NAME ("/lab-...") is gone. Both live in /dev/shm: a semaphore as
# sem.NAME under glibc, as NAME under musl (see sem_file).
assert_posix_gone() {
	assert_gone "/dev/shm/${1#/}" "/dev/shm/sem.${1#/}"
}

# sem_file NAME -- the file in /dev/shm of the named semaphore NAME, if it
# exists (sem.NAME with glibc, NAME with musl); fails if there is none.
sem_file() {
	local f
	for f in "/dev/shm/sem.${1#/}" "/dev/shm/${1#/}"; do
		[[ -e $f ]] && echo "$f" && return 0
	done
	return 1
}

# quick_run -N CMD ARGS... -- for a loop that runs many programs (every
# program with -h, --help and junk): what `run -N --separate-stderr t CMD
# ARGS...` does, without the subshell and the mktemp Bats spends on each run
# (half the cost). Sets status, output and stderr as run does (trailing
# newlines cut); fails, saying so, unless the exit status is N.
quick_run() {
	local want=${1#-} out=$BATS_TEST_TMPDIR/separate-stderr-quick_run
	shift
	status=0
	t "$@" >"$out.out" 2>"$out.err" || status=$?
	lab_read output "$out.out"
	lab_read stderr "$out.err"
	((status == want)) && return 0
	echo "${1##*/} ${*:2}: expected exit status $want, got $status" >&2
	return 1
}

# lab_read VAR FILE -- VAR=$(cat FILE) without a subshell: what FILE holds but
# NUL bytes (as $(...) drops them), trailing newlines cut.
lab_read() {
	local -n lab_var=$1
	local lab_chunk
	lab_var=
	while IFS= read -r -d '' lab_chunk; do lab_var+=$lab_chunk; done <"$2"
	lab_var+=$lab_chunk
	while [[ $lab_var == *$'\n' ]]; do lab_var=${lab_var%$'\n'}; done
}

# assert_eq EXPECTED ACTUAL [WHAT] / assert_match REGEX ACTUAL [WHAT] --
# comparisons that say what differed, so a student sees why a test failed.
assert_eq() {
	[[ $2 == "$1" ]] && return 0
	printf '%s differs\n--- expected ---\n%s\n--- actual ---\n%s\n' "${3:-value}" "$1" "$2" >&2
	return 1
}
assert_match() {
	[[ $2 =~ $1 ]] && return 0
	printf '%s does not match /%s/\n--- actual ---\n%s\n' "${3:-value}" "$1" "$2" >&2
	return 1
}

# assert_usage -- after `run -2 --separate-stderr ...`: a line of stderr starts
# with "usage: " (getopt's own "invalid option" line may come before it), and
# nothing went to stdout.
assert_usage() {
	assert_match $'(^|\n)usage: ' "$stderr" "stderr" || return 1
	assert_eq "" "$output" "stdout"
}

# assert_fd_flag PID REGEX FLAG -- (appended for signals/ and files/, whose
# beyond programs make inotify, signalfd, eventfd and timerfd descriptors and
# pipes) every descriptor of PID whose target (readlink /proc/PID/fd/N)
# matches REGEX, and that PID did not inherit from this test's shell, has FLAG
# (O_CLOEXEC or O_NONBLOCK) set in /proc/PID/fdinfo/N. A descriptor without
# O_CLOEXEC leaks into every program PID execs. Fails if none matched.
assert_fd_flag() {
	local pid=$1 re=$2 flag=$3 bit fd target flags n=0 ours
	case $flag in
	O_CLOEXEC) bit=$((8#2000000)) ;;
	O_NONBLOCK) bit=$((8#4000)) ;;
	*) echo "assert_fd_flag: unknown flag $flag" >&2 && return 1 ;;
	esac
	ours=$(for fd in "/proc/$BASHPID/fd/"*; do readlink "$fd" || true; done 2>/dev/null)
	for fd in "/proc/$pid/fd/"*; do
		target=$(readlink "$fd") || continue
		[[ $target =~ $re ]] || continue
		grep -qxF -- "$target" <<<"$ours" && continue
		n=$((n + 1))
		flags=$(sed -n 's/^flags:[[:space:]]*//p' "/proc/$pid/fdinfo/${fd##*/}")
		if (((8#$flags & bit) == 0)); then
			echo "descriptor ${fd##*/} ($target) of pid $pid lacks $flag" >&2
			return 1
		fi
	done
	((n > 0)) || {
		echo "pid $pid has no descriptor like /$re/ of its own" >&2
		return 1
	}
}

# t "${NO_READER[@]}" CMD ARGS... -- (added for pipe/ and msgq/) run CMD with
# its stdout on a pipe whose reader has already gone, as `CMD | head -n 1`
# leaves it once head has ended: its first write to stdout fails with EPIPE, or
# kills it with SIGPIPE if it has not ignored that signal. Needs perl (skip
# the test without it: `command -v perl`).
NO_READER=(perl -e 'pipe(my $r, my $w) or die "pipe: $!\n"; close $r;
	open(STDOUT, ">&", $w) or die "dup: $!\n"; exec @ARGV or die "exec: $!\n"')
