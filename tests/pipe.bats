#!/usr/bin/env bats
# tests/pipe.bats -- pipe/: behaviour through each program's command line.
load helpers

setup() { lab_setup; }
teardown() { lab_teardown; }

# run_eof WHAT CMD ARGS... -- `run --separate-stderr t CMD ARGS...`, for a
# program whose reader stops at EOF. If it had to be stopped at the time limit,
# fail at once with one line, "no EOF: WHAT": the usual cause is a write end of
# the pipe left open somewhere (the caller checks the status otherwise).
run_eof() {
	local what=$1
	shift
	run --separate-stderr t "$@"
	if ((status == 124 || status == 137)); then
		echo "no EOF: $what" >&2
		return 1
	fi
}

# stand_in NAME SCRIPT -- a program NAME of our own, in ./bin, which the test
# puts first on PATH: run a program that execs NAME with PATH="$PWD/bin:$PATH".
stand_in() {
	mkdir -p bin
	printf '#!/bin/sh\n%s\n' "$2" >"bin/$1"
	chmod +x "bin/$1"
}

@test "pipe_fdopen: the child receives every line, in order" {
	run_eof "the child still holds the pipe's write end" "$(prog pipe pipe_fdopen)" -n 3 "ping pong"
	assert_eq 0 "$status" "status"
	assert_eq "$(printf 'child got line %d: ping pong\n' 1 2 3)" "$output"
	assert_eq "" "$stderr" "stderr"
}

@test "pipe_fdopen: zero lines is an empty, successful run" {
	run -0 --separate-stderr t "$(prog pipe pipe_fdopen)" -n 0
	assert_eq "" "$output"
}

@test "pipe_fdopen: bad count and extra arguments get usage and status 2" {
	local bad
	for bad in many -1 ""; do
		run -2 --separate-stderr t "$(prog pipe pipe_fdopen)" -n "$bad"
		assert_usage
	done
	# 2^64 does not fit in a long: refused, not taken as LONG_MAX lines
	# (stdout to /dev/null: a program that takes it prints lines for ever)
	run -2 --separate-stderr t bash -c 'exec "$0" "$@" >/dev/null' \
		"$(prog pipe pipe_fdopen)" -n 18446744073709551616
	assert_match "^usage: " "$stderr" "stderr (a count out of range must be refused, not clamped)"
	run -2 --separate-stderr t "$(prog pipe pipe_fdopen)" a b
	assert_usage
}

@test "pipe_fdopen: a child that dies early (its reader gone) is reported: EPIPE, then its signal" {
	command -v perl >/dev/null || skip "perl makes the pipe without a reader here"
	# The child dies of SIGPIPE at its first line; 100000 lines do not fit in
	# the pipe, so the parent's writes meet a pipe without a reader.
	run -1 --separate-stderr t "${NO_READER[@]}" "$(prog pipe pipe_fdopen)" -n 100000
	assert_match "write to pipe: " "$stderr" "stderr (status $status; 141 is a death by SIGPIPE)"
	assert_match "the child was killed by signal $(kill -l PIPE)" "$stderr" "stderr"
}

@test "pipe_fdopen: a child that cannot write its stdout fails, and so does the parent" {
	run -1 --separate-stderr t bash -c 'exec "$0" >&-' "$(prog pipe pipe_fdopen)"
	assert_match "child: write to stdout" "$stderr" \
		"stderr (the parent must collect the child's status with waitpid and pass it on)"
}

# --- pipe ---

@test "pipe: the child copies exactly the bytes the parent wrote, then sees EOF" {
	run_eof "the child still holds the pipe's write end" "$(prog pipe pipe)"
	assert_eq 0 "$status" "status"
	assert_eq "hello world" "$output"
	assert_eq "child: read 12 bytes, then EOF" "$stderr" "stderr"
}

@test "pipe: a message larger than the pipe arrives whole (short reads and writes handled)" {
	local msg
	msg=$(head -c 100000 /dev/zero | tr '\0' 'm')
	run -0 --separate-stderr t "$(prog pipe pipe)" "$msg"
	assert_eq "$msg" "$output"
	assert_eq "child: read 100001 bytes, then EOF" "$stderr" "stderr"
}

@test "pipe: extra arguments or an option get usage and status 2" {
	run -2 --separate-stderr t "$(prog pipe pipe)" a b
	assert_usage
	run -2 --separate-stderr t "$(prog pipe pipe)" -x
	assert_usage
}

@test "pipe: a child that dies early (its reader gone) is reported: EPIPE, then its signal" {
	command -v perl >/dev/null || skip "perl makes the pipe without a reader here"
	local msg
	msg=$(head -c 100000 /dev/zero | tr '\0' 'm') # more than the pipe holds
	run -1 --separate-stderr t "${NO_READER[@]}" "$(prog pipe pipe)" "$msg"
	assert_match "write to pipe: " "$stderr" "stderr (status $status; 141 is a death by SIGPIPE)"
	assert_match "the child was killed by signal $(kill -l PIPE)" "$stderr" "stderr"
}

@test "pipe: a child that cannot write its stdout fails, and so does the parent" {
	run -1 --separate-stderr t bash -c 'exec "$0" >&-' "$(prog pipe pipe)"
	assert_match "write to stdout" "$stderr" \
		"stderr (the parent must collect the child's status with waitpid and pass it on)"
}

# --- pipe_dup2 ---

@test "pipe_dup2: the parent scanf's from stdin the 5000 the child printf'd to stdout" {
	run -0 --separate-stderr t "$(prog pipe pipe_dup2)"
	assert_eq "child sent value = 5000" "$output"
	assert_eq "" "$stderr" "stderr"
	run -0 --separate-stderr t "$(prog pipe pipe_dup2)" -42
	assert_eq "child sent value = -42" "$output"
	# Started with stdout closed, pipe() hands out descriptor 1 as the read end and
	# the child's dup2 then leaves it no write end: it sends nothing. The parent's
	# scanf must see EOF at once, which it does only if it closed its own write end.
	run_eof "the parent still holds the pipe's write end, so scanf never sees EOF" \
		bash -c 'exec "$0" >&-' "$(prog pipe pipe_dup2)"
	assert_eq 1 "$status" "status when the child sent nothing"
	assert_match "no number arrived from the child" "$stderr" "stderr"
}

@test "pipe_dup2: a number that is not an int gets usage and status 2" {
	local bad
	run -0 --separate-stderr t "$(prog pipe pipe_dup2)" 2147483647 # INT_MAX: the largest
	assert_eq "child sent value = 2147483647" "$output"
	for bad in abc 12x 2147483648 -2147483649 ""; do
		run -2 --separate-stderr t "$(prog pipe pipe_dup2)" "$bad"
		assert_usage
	done
	run -2 --separate-stderr t "$(prog pipe pipe_dup2)" 1 2
	assert_usage
}

# --- pipe_sort and popen_sort: the same behaviour, two ways ---

lecture_lines() {
	printf '%s\n' "This is a test." "Hello, world." "My dog has fleas." \
		"This program is great." "One fish, two fish."
}

# shuffled_file FILE -- 500 numbered lines in an order sort must change.
shuffled_file() {
	local i
	for ((i = 500; i > 0; i--)); do echo "line $((i * 7919 % 1000))"; done >"$1"
}

@test "pipe_sort: sort's output is the lecture's lines, sorted" {
	run_eof "sort still has a write end of its pipe open (its own copy, or the parent's)" \
		"$(prog pipe pipe_sort)"
	assert_eq 0 "$status" "status"
	assert_eq "$(lecture_lines | sort)" "$output"
	assert_eq "" "$stderr" "stderr"
}

@test "pipe_sort: lines from a file and from stdin come out as sort(1) sorts them" {
	shuffled_file in.txt
	run -0 --separate-stderr t "$(prog pipe pipe_sort)" in.txt
	assert_eq "$(sort in.txt)" "$output"
	run -0 --separate-stderr t "$(prog pipe pipe_sort)" - <in.txt
	assert_eq "$(sort in.txt)" "$output"
}

@test "pipe_sort: a missing file or a missing sort fails with status 1 and says why" {
	run -1 --separate-stderr t "$(prog pipe pipe_sort)" nosuch.txt
	assert_match 'nosuch\.txt: No such file' "$stderr" "stderr"
	assert_eq "" "$output"
	run -1 --separate-stderr env PATH=/nonexistent "$(command -v timeout)" 10 "$(prog pipe pipe_sort)"
	assert_match 'exec sort' "$stderr" "stderr"
	assert_match 'sort failed' "$stderr" "stderr"
}

# big_input FILE -- more lines than a pipe holds (64 KiB).
big_input() {
	seq 1 30000 >"$1"
}

@test "pipe_sort: a sort that ends without reading: EPIPE reported, status 1, no hang" {
	stand_in sort 'exit 0'
	big_input in.txt
	run --separate-stderr t env PATH="$PWD/bin:$PATH" "$(prog pipe pipe_sort)" in.txt
	((status != 124 && status != 137)) || {
		echo "pipe_sort hung: the pipe still has a reader (did the parent keep its read end?)" >&2
		return 1
	}
	assert_eq 1 "$status" "status (141 is a death by SIGPIPE: nobody says what happened)"
	assert_match "write to sort: " "$stderr" "stderr"
}

@test "pipe_sort, popen_sort: a directory is refused with status 1; a FIFO is read like a file" {
	local p
	mkdir dir
	for p in pipe_sort popen_sort; do
		run -1 --separate-stderr t "$(prog pipe "$p")" dir
		assert_match "^$p: read input: " "$stderr" "$p dir: stderr"
		rm -f fifo && mkfifo fifo
		printf '%s\n' pear apple >fifo &
		run -0 --separate-stderr t "$(prog pipe "$p")" fifo
		assert_eq "$(printf '%s\n' apple pear)" "$output" "$p fifo: stdout"
		wait
	done
}

@test "pipe_sort: two files or an option get usage and status 2" {
	run -2 --separate-stderr t "$(prog pipe pipe_sort)" a b
	assert_usage
	run -2 --separate-stderr t "$(prog pipe pipe_sort)" -r
	assert_usage
}

@test "popen_sort: sort's output is the lecture's lines, sorted" {
	run -0 --separate-stderr t "$(prog pipe popen_sort)"
	assert_eq "$(lecture_lines | sort)" "$output"
	assert_eq "" "$stderr" "stderr"
}

@test "popen_sort: lines from a file and from stdin come out as sort(1) sorts them" {
	shuffled_file in.txt
	run -0 --separate-stderr t "$(prog pipe popen_sort)" in.txt
	assert_eq "$(sort in.txt)" "$output"
	run -0 --separate-stderr t "$(prog pipe popen_sort)" - <in.txt
	assert_eq "$(sort in.txt)" "$output"
}

@test "popen_sort: a missing file or a missing sort fails with status 1 and says why" {
	run -1 --separate-stderr t "$(prog pipe popen_sort)" nosuch.txt
	assert_match 'nosuch\.txt: No such file' "$stderr" "stderr"
	run -1 --separate-stderr env PATH=/nonexistent "$(command -v timeout)" 10 "$(prog pipe popen_sort)"
	assert_match 'sort failed' "$stderr" "stderr"
}

@test "popen_sort: a sort that ends without reading: EPIPE reported, status 1, no hang" {
	stand_in sort 'exit 0'
	big_input in.txt
	run --separate-stderr t env PATH="$PWD/bin:$PATH" "$(prog pipe popen_sort)" in.txt
	assert_eq 1 "$status" "status (141 is a death by SIGPIPE: nobody says what happened)"
	assert_match "write to sort: " "$stderr" "stderr"
}

@test "popen_sort: two files or an option get usage and status 2" {
	run -2 --separate-stderr t "$(prog pipe popen_sort)" a b
	assert_usage
	run -2 --separate-stderr t "$(prog pipe popen_sort)" -r
	assert_usage
}

# --- mymore ---

@test "mymore: with stdout not a terminal, prints exactly what ls -l (and ls -l | more) prints here" {
	mkdir sub
	touch alpha beta 'with space'
	echo data >beta
	run_eof "more still has a write end of the pipe (its own copy, or the parent's)" \
		"$(prog pipe mymore)"
	assert_eq 0 "$status" "status"
	assert_eq "$(ls -l)" "$output"
	assert_eq "$(ls -l | more)" "$output" "the shell's pipeline"
	assert_eq "" "$stderr" "stderr"
}

@test "mymore: ls's output reaches more through the pipe (a stand-in more marks each line)" {
	# A more of our own, found first on PATH: only what comes in on its
	# stdin gets the mark, so output that bypassed the pipe would show.
	mkdir bin
	printf '#!/bin/sh\nexec sed "s/^/more: /"\n' >bin/more
	chmod +x bin/more
	touch alpha beta
	run -0 --separate-stderr t env PATH="$PWD/bin:$PATH" "$(prog pipe mymore)"
	assert_eq "$(ls -l | sed 's/^/more: /')" "$output"
	assert_eq "" "$stderr" "stderr"
}

@test "mymore: a directory listing bigger than the pipe comes through whole" {
	mkdir big
	(cd big && touch "file-with-a-long-name-"{0001..1500})
	run -0 --separate-stderr t "$(prog pipe mymore)" big
	assert_eq "$(ls -l big)" "$output"
	((${#output} > 65536))
}

@test "mymore: started with stdin closed it works or says why, and never waits forever" {
	# pipe() then hands out descriptor 0 as the read end: close-then-dup
	# cannot put it on stdin (docs/pipe.md). Either answer is fine; a hang is not.
	touch alpha
	run --separate-stderr t bash -c 'exec "$0" <&-' "$(prog pipe mymore)"
	((status != 124 && status != 137)) || { echo "mymore hung" >&2; return 1; }
	if ((status == 0)); then
		assert_eq "$(ls -l)" "$output"
	else
		assert_eq 1 "$status" "status"
		assert_match 'mymore: ' "$stderr" "stderr"
	fi
}

@test "mymore: ls is reaped as soon as it ends, while more still runs (no zombie)" {
	# A more that copies its input, says so, then waits until the test lets it go.
	stand_in more 'cat; echo "more: input ended" >&2; while [ ! -e go ]; do sleep 0.05; done'
	touch alpha
	start_bg log env PATH="$PWD/bin:$PATH" "$(prog pipe mymore)"
	wait_for_line log "more: input ended" # so ls has closed its stdout: it has ended
	if ! wait_until "! ps -o stat= --ppid $BG_PID | grep -q '^Z'" 3 2>/dev/null; then
		echo "zombie: ls has ended, but mymore has not collected it with waitpid" >&2
		ps -o pid,stat,args --ppid "$BG_PID" >&2
		return 1
	fi
	touch go
	wait_bg "$BG_PID"
	assert_eq 0 "$BG_STATUS" "mymore's status"
	assert_match $' alpha\n' "$(cat log)" "the listing, through more"
}

@test "mymore: a more that ends without reading: ls gets SIGPIPE or EPIPE, mymore says so, no hang" {
	stand_in more 'exit 0'
	mkdir big
	(cd big && touch "file-with-a-long-name-"{0001..1500}) # more than the pipe holds
	run --separate-stderr t env PATH="$PWD/bin:$PATH" "$(prog pipe mymore)" big
	((status != 124 && status != 137)) || {
		echo "mymore hung: ls still writes into a pipe that has a reader (does ls, or the parent, keep the read end?)" >&2
		return 1
	}
	assert_eq 1 "$status" "status"
	assert_match "mymore: ls (was killed by signal $(kill -l PIPE)|exited with status)" "$stderr" "stderr"
}

@test "mymore: a reader of its output that goes away: more dies of SIGPIPE, and mymore says so" {
	command -v perl >/dev/null || skip "perl makes the pipe without a reader here"
	touch alpha
	run -1 --separate-stderr t "${NO_READER[@]}" "$(prog pipe mymore)"
	assert_match "more was killed by signal $(kill -l PIPE)" "$stderr" "stderr"
}

@test "mymore: started with stdout closed it fails with a message, and never waits forever" {
	# pipe() then hands out descriptor 1 as the read end (docs/pipe.md): nowhere to print.
	touch alpha
	run --separate-stderr t bash -c 'exec "$0" >&-' "$(prog pipe mymore)"
	((status != 124 && status != 137)) || { echo "mymore hung" >&2; return 1; }
	assert_eq 1 "$status" "status"
	assert_match "mymore: " "$stderr" "stderr"
}

@test "mymore: a missing directory fails with status 1, naming ls" {
	run -1 --separate-stderr t "$(prog pipe mymore)" nosuch
	assert_match 'nosuch' "$stderr" "stderr"
	assert_match 'ls exited with status' "$stderr" "stderr"
	assert_eq "" "$output"
}

@test "mymore: extra arguments or an option get usage and status 2" {
	run -2 --separate-stderr t "$(prog pipe mymore)" a b
	assert_usage
	run -2 --separate-stderr t "$(prog pipe mymore)" -a
	assert_usage
}

# --- sync ---

# turns N -- the lines of N strictly alternating turns.
turns() {
	local i
	for ((i = 1; i <= $1; i++)); do printf 'parent: turn %d\nchild: turn %d\n' "$i" "$i"; done
}

@test "sync: parent and child take strict turns, every line whole" {
	run -0 --separate-stderr t "$(prog pipe sync)" -n 20
	assert_eq "$(turns 20)" "$output"
	assert_eq "" "$stderr" "stderr"
	run -0 --separate-stderr t "$(prog pipe sync)"
	assert_eq "$(turns 3)" "$output"
}

# byte_counts FILE -- how many times each byte occurs in FILE, whatever the order.
byte_counts() {
	od -An -v -tx1 -w1 "$1" | sort | uniq -c
}

@test "sync: without TELL/WAIT (-u) every character still arrives, in any order" {
	t "$(prog pipe sync)" -u -n 200 >out.txt
	turns 200 >expected.txt
	assert_eq "$(byte_counts expected.txt)" "$(byte_counts out.txt)" "bytes written"
}

# broken_lines FILE -- how many lines of FILE are not a whole "who: turn N".
broken_lines() {
	grep -c -v -E '^(parent|child): turn [0-9]+$' "$1" || true
}

@test "sync: -u really races (lines broken), and with TELL/WAIT the same run breaks none" {
	local try broken=0
	for try in 1 2 3; do
		t "$(prog pipe sync)" -u -n 300 >race.txt
		broken=$(broken_lines race.txt)
		((broken > 0)) && break
	done
	((broken > 0)) || skip "could not show the race here: 3 runs of sync -u -n 300 broke no line"
	t "$(prog pipe sync)" -n 300 >synced.txt
	assert_eq 0 "$(broken_lines synced.txt)" "broken lines with TELL/WAIT ($broken without)"
	assert_eq "$(turns 300)" "$(cat synced.txt)" "the turns with TELL/WAIT"
}

@test "sync: when one side dies, the other's WAIT ends (EOF), it does not wait for ever" {
	local victim survivor
	for victim in parent child; do
		start_bg /dev/null "$(prog pipe sync)" -n 1000000
		wait_until "pgrep -P $BG_PID >/dev/null"
		child=$(pgrep -P "$BG_PID")
		if [[ $victim == parent ]]; then
			kill -KILL "$BG_PID"
			survivor=$child
		else
			kill -KILL "$child"
			survivor=$BG_PID
		fi
		if ! wait_until "! kill -0 $survivor 2>/dev/null || [[ \$(ps -o stat= -p $survivor) == Z* ]]" 5; then
			echo "the $victim died, and the other still waits: it keeps a write end of the pipe it reads" >&2
			return 1
		fi
		stop_bg "$BG_PID"
		# The parent, when it survives: status 1 and a word (EOF or EPIPE), not 141.
		[[ $victim == parent ]] || assert_eq 1 "$BG_STATUS" "the parent's status once the child died"
	done
}

@test "sync: a bad round count or an operand gets usage and status 2" {
	run -2 --separate-stderr t "$(prog pipe sync)" -n x
	assert_usage
	run -2 --separate-stderr t "$(prog pipe sync)" -n -1
	assert_usage
	run -2 --separate-stderr t "$(prog pipe sync)" -n 1000001
	assert_usage
	run -2 --separate-stderr t "$(prog pipe sync)" now
	assert_usage
}

# --- pipe_capacity ---

# measured -- the byte counts pipe_capacity printed: "WRITTEN GETPIPE_SZ".
measured() {
	local w s
	w=$(sed -n 's/^wrote \([0-9][0-9]*\) bytes before write(2) failed with EAGAIN$/\1/p' <<<"$output")
	s=$(sed -n 's/^F_GETPIPE_SZ: \([0-9][0-9]*\) bytes.*/\1/p' <<<"$output")
	echo "$w $s"
}

@test "pipe_capacity: a new pipe holds 16 pages, and F_GETPIPE_SZ agrees" {
	# pipe(7): the default capacity is 16 pages (since Linux 2.6.11).
	local page
	page=$(getconf PAGESIZE)
	run -0 --separate-stderr t "$(prog pipe pipe_capacity)"
	assert_eq "$((16 * page)) $((16 * page))" "$(measured)" "written and F_GETPIPE_SZ"
}

@test "pipe_capacity: -s sets the size, rounded up to a power-of-two number of pages" {
	local page pages=1
	page=$(getconf PAGESIZE)
	while ((pages * page < 100000)); do pages=$((pages * 2)); done
	run -0 --separate-stderr t "$(prog pipe pipe_capacity)" -s 100000
	assert_eq "$((pages * page)) $((pages * page))" "$(measured)" "written and F_GETPIPE_SZ"
	run -0 --separate-stderr t "$(prog pipe pipe_capacity)" -s 1
	assert_eq "$page $page" "$(measured)" "written and F_GETPIPE_SZ"
}

@test "pipe_capacity: a size above pipe-max-size is refused to an unprivileged user (status 1)" {
	local max
	max=$(cat /proc/sys/fs/pipe-max-size)
	((2 * max <= 16777216)) || skip "pipe-max-size $max is above what pipe_capacity accepts"
	local cmd=(timeout -k 2 "$LAB_TIMEOUT" "$(prog pipe pipe_capacity)" -s $((2 * max)))
	if ((EUID == 0)); then
		command -v setpriv >/dev/null || skip "needs setpriv to drop root's CAP_SYS_RESOURCE"
		cmd=(setpriv --reuid=65534 --regid=65534 --clear-groups "${cmd[@]}")
	fi
	run -1 --separate-stderr "${cmd[@]}"
	assert_match 'F_SETPIPE_SZ.*Operation not permitted' "$stderr" "stderr"
	assert_eq "" "$output"
}

@test "pipe_capacity: a bad size or an operand gets usage and status 2" {
	local bad
	for bad in 0 -5 abc 16777217; do
		run -2 --separate-stderr t "$(prog pipe pipe_capacity)" -s "$bad"
		assert_usage
	done
	# 16 MiB is the most it asks for: granted, or refused by the kernel (status 1)
	run --separate-stderr t "$(prog pipe pipe_capacity)" -s 16777216
	((status == 0 || status == 1)) || { echo "-s 16777216 got status $status" >&2; return 1; }
	run -2 --separate-stderr t "$(prog pipe pipe_capacity)" 4096
	assert_usage
}

@test "every pipe program: -h, --help and junk arguments get usage and status 2, and make nothing" {
	local p a path
	mkdir empty && cd empty
	for p in pipe_fdopen pipe pipe_dup2 pipe_sort popen_sort mymore sync pipe_capacity coprocess pipe2_cloexec; do
		path=$(prog pipe "$p")
		for a in -h --help "j1 j2 j3 j4 j5 j6 j7 j8"; do
			# shellcheck disable=SC2086 # the junk is eight words
			quick_run -2 "$path" $a </dev/null
			assert_match $'(^|\n)usage: '"$p " "$stderr" "$p $a: stderr"
			assert_eq "" "$output" "$p $a: stdout"
		done
	done
	assert_eq "" "$(ls -A)" "files left in the directory"
}

# --- coprocess (beyond: APUE 15.4) ---

@test "coprocess: each line goes to add2 and its answer comes back, in order" {
	run_eof "the coprocess still holds a write end of its own stdin pipe" \
		"$(prog pipe coprocess)" < <(printf '3 4\n10 -2\nfoo\n%s\n5 5' "$(printf '%0300d' 1)")
	assert_eq 0 "$status" "status"
	assert_eq "$(printf '%s\n' 7 8 'invalid args' 'invalid args' 10)" "$output" \
		"the answers (the last line had no newline; a 300-byte line gets one answer)"
	assert_eq "" "$stderr" "stderr"
}

@test "coprocess: 2000 lines through add2, one answer each" {
	seq 1 2000 | awk '{ print $1, 2 * $1 }' >in.txt
	run -0 --separate-stderr t "$(prog pipe coprocess)" <in.txt
	assert_eq "$(awk '{ print 3 * $1 }' in.txt)" "$output" "the sums"
}

@test "coprocess: add2 with stdio (-s) deadlocks; it is said, and the answer comes at EOF" {
	run -1 --separate-stderr t "$(prog pipe coprocess)" -s -w 1 < <(printf '3 4\n5 6\n')
	assert_match "no answer within 1 s: .*stdio.*deadlock" "$stderr" "stderr"
	local expected="after EOF, the coprocess flushed: 7"
	# musl writes a stream's first line at once (it learns only then that stdout
	# is no terminal): its add2 answers the first line and deadlocks on the second.
	[[ ${output%%$'\n'*} != 7 ]] || expected=$'7\nafter EOF, the coprocess flushed: 11'
	assert_eq "$expected" "$output" "stdout"
}

@test "coprocess: a command as the filter: sed -u answers, plain sed keeps its answer in stdio" {
	run -0 --separate-stderr t "$(prog pipe coprocess)" -w 1 -- sed -u 's/^/x/' < <(printf 'a\nb\n')
	assert_eq "$(printf 'xa\nxb')" "$output" "sed -u's answers"
	run -1 --separate-stderr t "$(prog pipe coprocess)" -w 1 -- sed 's/^/x/' < <(printf 'a\nb\n')
	assert_match "no answer within 1 s" "$stderr" "plain sed: stderr"
	assert_eq "after EOF, the coprocess flushed: xa" "$output" "plain sed: stdout"
	# An answer longer than the 4096-byte buffer is read on to its '\n': cut at
	# the buffer, its rest would pass for the next line's answer.
	local long
	printf -v long '%010000d' 0
	run -0 --separate-stderr t "$(prog pipe coprocess)" -w 5 -- sed -u 's/^/x/' <<<"$long"$'\nnext'
	assert_eq "x$long"$'\nxnext' "$output" \
		"a 10001-byte answer, then the next line's (each answer whole, in its turn)"
}

@test "coprocess: a filter that ends at once is reported (EOF or EPIPE), not waited for" {
	run -1 --separate-stderr t "$(prog pipe coprocess)" -w 5 -- true < <(seq 1 20000)
	assert_match "closed its output without answering|write to the coprocess: " "$stderr" \
		"stderr (an EOF must come at once: does coprocess keep the write end of its answer pipe?)"
	[[ $stderr != *"no answer within"* ]] || {
		echo "coprocess waited for an answer from a filter that had ended: it keeps a write end of the answer pipe" >&2
		return 1
	}
}

@test "coprocess: the filter's exit status is collected and reported" {
	run -1 --separate-stderr t "$(prog pipe coprocess)" -- sh -c 'read x; echo "got $x"; exit 3' < <(echo hi)
	assert_eq "got hi" "$output"
	assert_match "the coprocess exited with status 3" "$stderr" "stderr (waitpid, then its status)"
}

@test "coprocess: a filter that neither answers nor ends at EOF is killed after -w, no hang" {
	run -1 --separate-stderr t "$(prog pipe coprocess)" -w 1 -- sleep 30 < <(echo 1 2)
	assert_match "no answer within 1 s" "$stderr"
	assert_match "did not end at EOF within 1 s: killing it" "$stderr"
	assert_match "killed by signal $(kill -l KILL)" "$stderr"
}

@test "coprocess: bad -w, -s with a command, a command without --, or a missing one: usage or said" {
	local bad
	for bad in 0 3601 x ""; do
		run -2 --separate-stderr t "$(prog pipe coprocess)" -w "$bad"
		assert_usage
	done
	run -0 --separate-stderr t "$(prog pipe coprocess)" -w 3600 < <(echo 1 2)
	assert_eq 3 "$output" "-w 3600, the largest"
	run -2 --separate-stderr t "$(prog pipe coprocess)" -s -- cat
	assert_usage
	run -2 --separate-stderr t "$(prog pipe coprocess)" cat # a command comes after --
	assert_usage
	run -1 --separate-stderr t "$(prog pipe coprocess)" -- no-such-command-here < <(echo 1)
	assert_match "exec no-such-command-here" "$stderr"
	assert_match "exited with status 127" "$stderr"
}

# --- pipe2_cloexec (beyond: TLPI 27.4) ---

@test "pipe2_cloexec: a plain pipe leaks into sleep across exec, and the EOF waits for sleep" {
	run_eof "the parent still holds the write end" "$(prog pipe pipe2_cloexec)" 1
	assert_eq 0 "$status" "status"
	assert_match "write end: descriptor [0-9]+, FD_CLOEXEC not set" "$output"
	assert_match "read: hello through the pipe" "$output"
	assert_match "no EOF yet: a write end is still open, and sleep holds it" "$output" \
		"without FD_CLOEXEC sleep keeps the write end across exec"
	assert_match "EOF after (0\.[5-9]|[1-9][0-9]*\.[0-9]) s, when sleep ended" "$output"
}

@test "pipe2_cloexec: -c (pipe2 O_CLOEXEC) and -f (fcntl FD_CLOEXEC): exec closes them, EOF at once" {
	local how
	for how in -c -f; do
		run_eof "the parent still holds the write end" "$(prog pipe pipe2_cloexec)" "$how" 1
		assert_eq 0 "$status" "$how: status"
		assert_match "read end: descriptor [0-9]+, FD_CLOEXEC set"$'\n'"write end: descriptor [0-9]+, FD_CLOEXEC set" \
			"$output" "$how: the flags"
		assert_match "EOF at once: exec closed sleep's copy of the write end" "$output" \
			"$how: the EOF (FD_CLOEXEC must be set on the ends sleep inherits)"
	done
}

@test "pipe2_cloexec: a sleep that cannot be run is reported through its close-on-exec pipe" {
	run -1 --separate-stderr t env PATH=/nonexistent "$(command -v timeout)" 10 "$(prog pipe pipe2_cloexec)" -c 1
	assert_match "exec sleep: " "$stderr"
}

@test "pipe2_cloexec: both options, or seconds out of 1..60, get usage" {
	local bad
	for bad in "-c -f" "0" "61" "x" "1 2"; do
		# shellcheck disable=SC2086 # the words of bad are the arguments
		run -2 --separate-stderr t "$(prog pipe pipe2_cloexec)" $bad
		assert_usage
	done
}
