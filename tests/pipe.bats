#!/usr/bin/env bats
# tests/pipe.bats -- pipe/: behaviour through each program's command line.
load helpers

setup() { lab_setup; }
teardown() { lab_teardown; }

@test "pipe_fdopen: the child receives every line, in order" {
	run -0 --separate-stderr t "$(prog pipe pipe_fdopen)" -n 3 "ping pong"
	assert_eq "$(printf 'child got line %d: ping pong\n' 1 2 3)" "$output"
	assert_eq "" "$stderr" "stderr"
}

@test "pipe_fdopen: zero lines is an empty, successful run" {
	run -0 --separate-stderr t "$(prog pipe pipe_fdopen)" -n 0
	assert_eq "" "$output"
}

@test "pipe_fdopen: bad count and extra arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog pipe pipe_fdopen)" -n many
	assert_usage
	run -2 --separate-stderr t "$(prog pipe pipe_fdopen)" a b
	assert_usage
}

# --- pipe ---

@test "pipe: the child copies exactly the bytes the parent wrote, then sees EOF" {
	run -0 --separate-stderr t "$(prog pipe pipe)"
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

# --- pipe_dup2 ---

@test "pipe_dup2: the parent scanf's from stdin the 5000 the child printf'd to stdout" {
	run -0 --separate-stderr t "$(prog pipe pipe_dup2)"
	assert_eq "child sent value = 5000" "$output"
	assert_eq "" "$stderr" "stderr"
	run -0 --separate-stderr t "$(prog pipe pipe_dup2)" -42
	assert_eq "child sent value = -42" "$output"
}

@test "pipe_dup2: a number that is not an int gets usage and status 2" {
	local bad
	for bad in abc 12x 2147483648 ""; do
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
	run -0 --separate-stderr t "$(prog pipe pipe_sort)"
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
	run -0 --separate-stderr t "$(prog pipe mymore)"
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

@test "sync: a bad round count or an operand gets usage and status 2" {
	run -2 --separate-stderr t "$(prog pipe sync)" -n x
	assert_usage
	run -2 --separate-stderr t "$(prog pipe sync)" -n -1
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
	run -2 --separate-stderr t "$(prog pipe pipe_capacity)" 4096
	assert_usage
}
