#!/usr/bin/env bats
# tests/doors_compat.bats -- doors_compat/: the door library through its programs.
load helpers

setup() { lab_setup; }
teardown() {
	lab_teardown
	if [[ -n ${SHARED:-} ]]; then rm -rf "$SHARED"; fi
}

# start_door NAME ARGS... -- start door server NAME (options, then its path) and wait
# for its readiness line. Sets BG_PID; the log is NAME.log.
start_door() {
	local name=$1
	shift
	start_bg "$name.log" "$(prog doors_compat "$name")" "$@"
	wait_for_line "$name.log" 'door attached to'
}

# door_sockets PID -- the listening sockets of the door library in process PID, one
# "INODE NAME" a line (NAME "@door-compat:DEV:INO"). A socket's inode number is
# never given to another socket of this boot, while a name can be bound again at
# once by another test's server (the file's inode reused): checks go by inode.
door_sockets() {
	local inodes
	inodes=$(find "/proc/$1/fd" -lname 'socket:*' -printf '%l\n' 2>/dev/null |
		sed 's/^socket:\[\(.*\)\]$/\1/')
	awk -v list="$inodes" 'BEGIN { n = split(list, a, "\n"); for (i = 1; i <= n; i++) want[a[i]] = 1 }
		want[$7] && $8 ~ /^@door-compat:/ { print $7, $8 }' /proc/net/unix | sort
}

# assert_sockets_gone LIST -- none of these sockets (door_sockets' lines) is left.
assert_sockets_gone() {
	local inode name
	while read -r inode name; do
		[[ -z $inode ]] && continue
		if awk -v i="$inode" '$7 == i { found = 1 } END { exit !found }' /proc/net/unix; then
			echo "hidden socket left behind: $name (inode $inode)" >&2
			return 1
		fi
	done <<<"$1"
	local files
	files=$(find . -type s)
	assert_eq "" "$files" "socket files left in the test directory"
}

# binary_long_bits PROG -- 32 or 64: the size of a long in PROG (its ELF class),
# which may differ from this machine's (a -m32 build).
binary_long_bits() {
	local class
	class=$(od -An -tu1 -j4 -N1 "$1" | tr -d ' ')
	if [[ $class == 1 ]]; then echo 32; else echo 64; fi
}

# shared_dir -- a directory every user may enter (the test directory's parents are
# private to the user running the tests): sets SHARED; teardown removes it.
shared_dir() {
	SHARED=$(mktemp -d /tmp/lab-doors.XXXXXX) && chmod 755 "$SHARED"
}

need_root() {
	[[ $EUID -eq 0 ]] || skip "needs root to run a program as another user"
}

@test "door_server/door_client: the request's id goes through the door, the server answers" {
	start_door door_server hello.door
	local server=$BG_PID hidden
	hidden=$(door_sockets "$server")
	assert_eq 2 "$(wc -l <<<"$hidden")" "hidden sockets: the door's own name and the file's"
	run -0 --separate-stderr t "$(prog doors_compat door_client)" hello.door 41
	assert_eq "door_client: request 41 answered" "$output"
	assert_eq "" "$stderr" "stderr"
	run -0 --separate-stderr t "$(prog doors_compat door_client)" hello.door -42
	assert_eq "door_client: request -42 answered" "$output"
	stop_bg "$server"
	assert_eq 0 "$BG_STATUS" "server's exit status"
	assert_eq "$(printf '%s\n' 'door_server: door attached to hello.door' \
		'door_server: request 41' 'door_server: request -42')" "$(cat door_server.log)"
	assert_gone hello.door
	assert_sockets_gone "$hidden"
}

# The slide's creat() leaks its descriptor. fattach holds the file open (O_PATH) while
# attached: exactly one descriptor of the server may name it.
@test "door_server: keeps no descriptor of its file but the library's own" {
	start_door door_server hello.door
	local held
	held=$(find "/proc/$BG_PID/fd" -lname "*/hello.door" | wc -l)
	assert_eq 1 "$held" "descriptors of hello.door in the server"
	# None of them may leak into a program the server would exec.
	assert_fd_flag "$BG_PID" '^(socket|anon_inode):|/hello\.door$' O_CLOEXEC
}

# Solaris' fattach hides a file and fdetach gives it back: a path given to a
# server is the caller's file, never emptied (the slide's creat would) nor removed.
@test "door_server: a file already at the path is attached as it is, and left" {
	echo "precious" >given.door
	start_door door_server given.door
	run -0 --separate-stderr t "$(prog doors_compat door_client)" given.door 7
	assert_eq "door_client: request 7 answered" "$output"
	assert_eq "precious" "$(cat given.door)" "the given file's content while attached"
	run -0 --separate-stderr t "$(prog doors_compat fdetach)" given.door
	assert_eq "precious" "$(cat given.door)" "the given file's content after fdetach"
	stop_bg "$BG_PID"
	assert_eq 0 "$BG_STATUS" "server's exit status"
	assert_eq "precious" "$(cat given.door)" "the given file's content"
}

@test "door_client: bad arguments get usage; no file, a plain file, a stale path fail" {
	run -2 --separate-stderr t "$(prog doors_compat door_client)" hello.door
	assert_usage
	run -2 --separate-stderr t "$(prog doors_compat door_client)" hello.door seven
	assert_usage
	run -2 --separate-stderr t "$(prog doors_compat door_client)" hello.door 1 hi
	assert_usage
	run -2 --separate-stderr t "$(prog doors_compat door_client)" hello.door 2147483648
	assert_usage
	run -1 --separate-stderr t "$(prog doors_compat door_client)" missing.door 1
	assert_match '^door_client: open missing.door: No such file or directory$' "$stderr"
	echo "just a file" >plain
	run -1 --separate-stderr t "$(prog doors_compat door_client)" plain 1
	assert_match '^door_client: door_call plain: Bad file descriptor$' "$stderr"
	assert_eq "" "$output"
}

@test "door_server: usage, and a path it cannot create" {
	run -2 --separate-stderr t "$(prog doors_compat door_server)"
	assert_usage
	run -1 --separate-stderr t "$(prog doors_compat door_server)" no/such/dir/hello.door
	assert_match '^door_server: creat no/such/dir/hello.door: No such file or directory$' "$stderr"
}

@test "a server killed by SIGKILL: its path gives EBADF, and a new server starts cleanly" {
	start_door door_server hello.door
	local hidden
	hidden=$(door_sockets "$BG_PID")
	stop_bg "$BG_PID" KILL
	[[ -f hello.door ]] # SIGKILL leaves the file: a stale path
	assert_sockets_gone "$hidden" # abstract names go with the process, even now
	run -1 --separate-stderr t "$(prog doors_compat door_client)" hello.door 1
	assert_match '^door_client: door_call hello.door: Bad file descriptor$' "$stderr"
	start_door door_server hello.door
	run -0 --separate-stderr t "$(prog doors_compat door_client)" hello.door 2
	assert_eq "door_client: request 2 answered" "$output"
	wait_for_line door_server.log 'request 2$'
	hidden=$(door_sockets "$BG_PID")
	stop_bg "$BG_PID"
	[[ -f hello.door ]] # there when it started: not the new server's to remove
	assert_sockets_gone "$hidden"
}

@test "square_server/square_client: the square comes back in rbuf" {
	start_door square_server square.door
	local max=3037000499 # the largest n whose square fits a long
	[[ $(binary_long_bits "$(prog doors_compat square_client)") == 32 ]] && max=46340
	run -0 --separate-stderr t "$(prog doors_compat square_client)" square.door -12
	assert_eq "-12 squared is $((-12 * -12))" "$output"
	run -0 --separate-stderr t "$(prog doors_compat square_client)" square.door "$max"
	assert_eq "$max squared is $((max * max))" "$output"
	run -0 --separate-stderr t "$(prog doors_compat square_client)" square.door "-$max"
	assert_eq "-$max squared is $((max * max))" "$output"
	run -2 --separate-stderr t "$(prog doors_compat square_client)" square.door "$((max + 1))"
	assert_usage
	stop_bg "$BG_PID"
	assert_gone square.door
}

@test "square_client: a result larger than rbuf (or rsize 0) arrives in a mapped buffer" {
	start_door square_server square.door
	local page # illumos maps whole pages for results that do not fit
	page=$(getconf PAGESIZE)
	run -0 --separate-stderr t "$(prog doors_compat square_client)" -b 3 square.door 9
	assert_eq "9 squared is 81
square_client: result buffer of 3 bytes too small: the result came in a new buffer of $page bytes" "$output"
	run -0 --separate-stderr t "$(prog doors_compat square_client)" -b 0 square.door 9
	assert_match "result buffer of 0 bytes too small: the result came in a new buffer of $page bytes" "$output"
}

@test "square_client/square_server: bad arguments get usage" {
	run -2 --separate-stderr t "$(prog doors_compat square_client)" -b 9 square.door 2
	assert_usage
	run -2 --separate-stderr t "$(prog doors_compat square_client)" square.door two
	assert_usage
	run -2 --separate-stderr t "$(prog doors_compat square_server)" a b
	assert_usage
}

@test "square_server: a path with a door on it gives EBUSY, until fdetach frees it" {
	start_door square_server square.door
	local first=$BG_PID
	run -1 --separate-stderr t "$(prog doors_compat square_server)" square.door
	assert_match "^square_server: fattach square.door: $(err_re EBUSY)$" "$stderr"
	[[ -f square.door ]] # the refused server did not make the file: it leaves it
	run -0 --separate-stderr t "$(prog doors_compat square_client)" square.door 5
	assert_eq "5 squared is 25" "$output"
	wait_for_line square_server.log 'squared is 25$'
	run -0 --separate-stderr t "$(prog doors_compat fdetach)" square.door
	assert_eq "fdetach: square.door detached" "$output"
	run -1 --separate-stderr t "$(prog doors_compat square_client)" square.door 6
	assert_eq "square_client: door_call square.door: Bad file descriptor" "$stderr"
	start_bg second.log "$(prog doors_compat square_server)" square.door
	wait_for_line second.log 'door attached to'
	run -0 --separate-stderr t "$(prog doors_compat square_client)" square.door 7
	assert_eq "7 squared is 49" "$output"
	wait_for_line second.log 'squared is 49$'
	kill -0 "$first" # detached, it runs on
	stop_bg "$BG_PID"
	[[ -f square.door ]] # the second server found the file there
	stop_bg "$first"
	assert_gone square.door # the first made it
}

@test "unref_server: fdetach brings its DOOR_UNREF call; stopped then, it leaves the path" {
	start_door unref_server u.door
	local unref=$BG_PID
	run -0 --separate-stderr t "$(prog doors_compat square_client)" u.door 12
	assert_eq "12 squared is 144" "$output"
	wait_for_line unref_server.log 'unref_server: 12 squared is 144$'
	grep -q unreferenced unref_server.log && return 1 # not before the fdetach
	run -0 --separate-stderr t "$(prog doors_compat fdetach)" u.door
	wait_for_line unref_server.log '^unref_server: the door is unreferenced: no path leads to it$'
	start_door door_server u.door # takes the path the unreferenced door left
	local server=$BG_PID
	stop_bg "$unref"
	assert_eq 0 "$BG_STATUS" "unref_server's exit status"
	run -0 --separate-stderr t "$(prog doors_compat door_client)" u.door 4
	assert_eq "door_client: request 4 answered" "$output"
	wait_for_line door_server.log 'request 4$'
	stop_bg "$server"
	[[ -f u.door ]] # neither removes it: one lost it, the other found it there
}

@test "unref_server: usage" {
	run -2 --separate-stderr t "$(prog doors_compat unref_server)"
	assert_usage
}

@test "slow_server/slow_client: one call waits while the procedure sleeps, then answers" {
	start_door slow_server slow.door 1
	run -0 --separate-stderr t "$(prog doors_compat slow_client)" slow.door
	assert_eq "call 1: 1 in progress at its start, at most 1 at once" "$output"
	assert_eq "" "$stderr" "stderr"
	wait_for_line slow_server.log 'call 1 ended$'
	run -0 --separate-stderr t "$(prog doors_compat slow_client)" slow.door
	assert_eq "call 2: 1 in progress at its start, at most 1 at once" "$output" \
		"the second call, after the first ended"
	stop_bg "$BG_PID"
	assert_eq 0 "$BG_STATUS" "server's exit status"
	assert_gone slow.door
}

# The lesson: every call gets a thread of its own. Three calls of 3 s each, started
# together: queued, the last would start alone after 6 s; overlapping, they start
# while the others sleep (overlap_server proves it without a clock).
@test "slow_server: three calls at once run at once" {
	start_door slow_server slow.door 3
	local pids=() i
	for i in 1 2 3; do
		t "$(prog doors_compat slow_client)" slow.door >"client$i.out" 2>&1 &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i"; done
	run cat client1.out client2.out client3.out
	assert_eq "$(seq 3)" "$(sed -n 's/.*: \([0-9]*\) in progress at its start.*/\1/p' \
		<<<"$output" | sort -n)" "calls in progress as each started"
}

@test "slow_server/slow_client: bad arguments get usage" {
	run -2 --separate-stderr t "$(prog doors_compat slow_server)"
	assert_usage
	run -2 --separate-stderr t "$(prog doors_compat slow_server)" slow.door soon
	assert_usage
	run -2 --separate-stderr t "$(prog doors_compat slow_server)" slow.door -1
	assert_usage
	run -2 --separate-stderr t "$(prog doors_compat slow_client)" slow.door extra
	assert_usage
	assert_gone slow.door
}

@test "a server killed mid-call: the client's door_call fails with EINTR" {
	start_door slow_server slow.door 20
	local server=$BG_PID
	start_bg client.log "$(prog doors_compat slow_client)" slow.door
	local client=$BG_PID
	wait_for_line slow_server.log 'call 1 started'
	stop_bg "$server" KILL
	wait_bg "$client" || return 1 # within LAB_TIMEOUT, not after the 20 s the call would take
	assert_eq 1 "$BG_STATUS" "client's exit status"
	assert_eq "slow_client: door_call slow.door: Interrupted system call" "$(cat client.log)"
	rm slow.door
}

# illumos cancels the server thread of a call whose caller went away (sleep is a
# cancellation point): call 1 never ends, and the server serves on.
@test "a client killed mid-call: its call's thread is cancelled, the server serves on" {
	start_door slow_server slow.door 2
	local server=$BG_PID
	start_bg client.log "$(prog doors_compat slow_client)" slow.door
	wait_for_line slow_server.log 'call 1 started'
	stop_bg "$BG_PID" KILL
	run -0 --separate-stderr t "$(prog doors_compat slow_client)" slow.door
	assert_match '^call 2: [12] in progress at its start' "$output"
	kill -0 "$server"
	wait_for_line slow_server.log 'call 2 ended'
	if grep -q 'call 1 ended' slow_server.log; then
		echo "call 1 ran to its end: its thread was not cancelled when its caller died" >&2
		return 1
	fi
	stop_bg "$server"
	assert_eq 0 "$BG_STATUS" "server's exit status"
	assert_gone slow.door
}

@test "overlap_client: a big argument goes in, its echo (larger than rbuf) comes back intact" {
	start_door overlap_server -t 0 slow.door
	run -0 --separate-stderr t "$(prog doors_compat overlap_client)" -z 1000000 slow.door
	assert_match '^call 1: 1 in progress at its start, at most 1 at once$' "${lines[0]}"
	assert_match '^echo: 1000000 bytes intact, in a buffer of [0-9]+ bytes the library mapped$' \
		"${lines[1]}"
}

@test "overlap_client: past the library's data limit door_call fails with E2BIG" {
	start_door overlap_server -t 0 slow.door
	run -1 --separate-stderr t "$(prog doors_compat overlap_client)" -z $((4 * 1024 * 1024 + 1)) slow.door
	assert_eq "overlap_client: door_call slow.door: Argument list too long" "$stderr"
	grep -q 'call 1 started' overlap_server.log && return 1 # refused before the server
	# At the limit itself: an argument of 4 MiB reaches the server, whose echo
	# (the reply's counters, then the argument) is then over the limit of
	# door_return: it says so and answers with nothing. The largest echo comes whole.
	local max=$((4 * 1024 * 1024)) head=16
	[[ $(binary_long_bits "$(prog doors_compat overlap_client)") == 32 ]] && head=12
	run -1 --separate-stderr t "$(prog doors_compat overlap_client)" -z "$max" slow.door
	assert_eq "overlap_client: reply of 0 bytes, expected $((max + head))" "$stderr" \
		"door_call of exactly the limit (it must be taken)"
	wait_for_line overlap_server.log "door_return of $((max + head)) bytes: Argument list too long"
	run -0 --separate-stderr t "$(prog doors_compat overlap_client)" -z $((max - head)) slow.door
	assert_match "^echo: $((max - head)) bytes intact" "${lines[1]}" \
		"a result of exactly the limit (door_return must take it)"
	run -2 --separate-stderr t "$(prog doors_compat overlap_client)" -z lots slow.door
	assert_usage
	run -2 --separate-stderr t "$(prog doors_compat overlap_server)" -n 0 slow.door
	assert_usage
}

@test "overlap_server: eight concurrent calls overlap instead of queueing" {
	# Each call waits until 8 calls are in progress at once (or 8 s): calls that
	# queued would never get there, and each would report at most 1.
	start_door overlap_server -n 8 -t 8000 slow.door
	local pids=() i
	for i in 1 2 3 4 5 6 7 8; do
		t "$(prog doors_compat overlap_client)" slow.door >"client$i.out" 2>&1 &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i"; done
	run cat client1.out client2.out client3.out client4.out client5.out client6.out \
		client7.out client8.out
	assert_eq 8 "$(grep -c 'at most 8 at once$' <<<"$output")" "calls that saw 8 at once"
	# and each started with a different number of calls in progress: 1, 2, ..., 8
	assert_eq "$(seq 8)" "$(sed -n 's/.*: \([0-9]*\) in progress at its start.*/\1/p' \
		<<<"$output" | sort -n)"
}

@test "overlap_server -x: a procedure that returns without door_return: the client gets EINTR" {
	start_door overlap_server -x -t 0 slow.door
	run -1 --separate-stderr t "$(prog doors_compat overlap_client)" slow.door
	assert_eq "overlap_client: door_call slow.door: Interrupted system call" "$stderr"
	run -1 --separate-stderr t "$(prog doors_compat overlap_client)" slow.door
	wait_for_line overlap_server.log 'call 2 ended' # and the server is still serving
}

@test "file_server/file_client: a descriptor comes back from the server, which closes its copy" {
	seq 1 5000 >data.txt
	start_door file_server files.door
	local server=$BG_PID
	t "$(prog doors_compat file_client)" files.door data.txt >copy.txt
	cmp data.txt copy.txt
	wait_for_line file_server.log 'sent a descriptor for data.txt'
	# DOOR_RELEASE: the server keeps no descriptor of the file it sent. The library
	# closes it once the reply is sent, which may be just after the client has read
	# it all: wait for that (a server without DOOR_RELEASE keeps it for good).
	wait_until "! find /proc/$server/fd -lname '*/data.txt' | grep -q ." || {
		ls -l "/proc/$server/fd" >&2
		return 1
	}
}

@test "copy_server/copy_client: the client's descriptor goes to the server, which writes into it" {
	seq 1 5000 >data.txt
	start_door copy_server copy.door
	local server=$BG_PID
	t "$(prog doors_compat copy_client)" copy.door data.txt >copy.txt
	cmp data.txt copy.txt
	wait_for_line copy_server.log 'wrote data.txt into the caller'
	run ls -l "/proc/$server/fd"
	[[ $output != *copy.txt* ]] || { echo "$output" >&2; return 1; }
	stop_bg "$server"
	assert_gone copy.door
}

@test "copy_client: a file the server cannot open, a door that refuses descriptors, bad arguments" {
	start_door copy_server copy.door
	run -1 --separate-stderr t "$(prog doors_compat copy_client)" copy.door nothing.txt
	assert_eq "copy_client: server: nothing.txt: No such file or directory" "$stderr"
	assert_eq "" "$output"
	start_door file_server files.door # DOOR_REFUSE_DESC: it has no use for them
	run -1 --separate-stderr t "$(prog doors_compat copy_client)" files.door nothing.txt
	assert_match "^copy_client: door_call files.door: $(err_re ENOTSUP)$" "$stderr"
	run -2 --separate-stderr t "$(prog doors_compat copy_client)" copy.door
	assert_usage
	run -2 --separate-stderr t "$(prog doors_compat copy_server)"
	assert_usage
}

@test "file_client: a file the server cannot open, and bad arguments" {
	start_door file_server files.door
	run -1 --separate-stderr t "$(prog doors_compat file_client)" files.door nothing.txt
	assert_eq "file_client: server: nothing.txt: No such file or directory" "$stderr"
	assert_eq "" "$output"
	run -2 --separate-stderr t "$(prog doors_compat file_client)" -x files.door a
	assert_usage
	run -2 --separate-stderr t "$(prog doors_compat file_client)" files.door
	assert_usage
	run -2 --separate-stderr t "$(prog doors_compat file_server)"
	assert_usage
}

@test "doorinfo: a door names its server; a plain file and a pipe are not doors" {
	start_door door_server hello.door
	run -0 --separate-stderr t "$(prog doors_compat doorinfo)" hello.door
	assert_match "^hello.door: door of server $BG_PID, unique id [0-9]+, attributes none\$" "$output"
	start_door unref_server unref.door
	run -0 --separate-stderr t "$(prog doors_compat doorinfo)" unref.door
	assert_match "^unref.door: door of server $BG_PID, unique id [0-9]+, attributes DOOR_UNREF\$" "$output"
	echo text >plain
	run -0 --separate-stderr t "$(prog doors_compat doorinfo)" plain
	assert_eq "plain: not a door" "$output"
	run -0 --separate-stderr bash -c "echo hi | timeout 10 '$(prog doors_compat doorinfo)' -"
	assert_eq "-: not a door" "$output"
	run -1 --separate-stderr t "$(prog doors_compat doorinfo)" missing
	assert_eq "doorinfo: open missing: No such file or directory" "$stderr"
	run -2 --separate-stderr t "$(prog doors_compat doorinfo)" -v
	assert_usage
}

@test "cred_server: sees the caller's pid and ids without being told them" {
	need_root
	shared_dir
	start_door cred_server "$SHARED/cred.door"
	chmod 644 "$SHARED/cred.door"
	run -0 --separate-stderr t bash -c "echo \$\$; exec setpriv --reuid=65534 --regid=65534 \
		--clear-groups '$(prog doors_compat cred_client)' '$SHARED/cred.door'"
	local pid=${lines[0]}
	assert_eq "the server saw: pid $pid, euid 65534, egid 65534, ruid 65534, rgid 65534" "${lines[1]}"
	wait_for_line cred_server.log "call from pid $pid: euid 65534, egid 65534, ruid 65534, rgid 65534"
	run -0 --separate-stderr t "$(prog doors_compat cred_client)" "$SHARED/cred.door"
	assert_match "euid $(id -u), egid $(id -g), ruid $(id -u), rgid $(id -g)\$" "$output"
	run -2 --separate-stderr t "$(prog doors_compat cred_client)"
	assert_usage
}

@test "who may call: only who may open the attached file" {
	need_root
	shared_dir
	start_door cred_server "$SHARED/cred.door" # created 0600, owned by root
	run -1 --separate-stderr t setpriv --reuid=65534 --regid=65534 --clear-groups "$(prog doors_compat cred_client)" "$SHARED/cred.door"
	assert_eq "cred_client: open $SHARED/cred.door: Permission denied" "$stderr"
	chmod 644 "$SHARED/cred.door"
	run -0 --separate-stderr t setpriv --reuid=65534 --regid=65534 --clear-groups "$(prog doors_compat cred_client)" "$SHARED/cred.door"
	assert_match "euid 65534, egid 65534, ruid 65534, rgid 65534\$" "$output"
	stop_bg "$BG_PID"
	assert_gone "$SHARED/cred.door"
}

# The slide's fdetach before fattach: a second server takes the path from a first
# one still running. The first serves on, unreachable by that path; stopped, it
# removes the file it made, from under the second: the slide's design, kept
# (unref_server shows how a server learns that its path was taken).
@test "door_server: a second server takes the path from a running one (the slide's fdetach)" {
	start_door door_server hello.door
	local first=$BG_PID
	run -0 --separate-stderr t "$(prog doors_compat door_client)" hello.door 1
	wait_for_line door_server.log 'request 1$'
	start_bg second.log "$(prog doors_compat door_server)" hello.door
	local second=$BG_PID
	wait_for_line second.log 'door attached to'
	run -0 --separate-stderr t "$(prog doors_compat door_client)" hello.door 2
	wait_for_line second.log 'request 2$'
	grep -q 'request 2' door_server.log && return 1 # the first no longer gets calls
	kill -0 "$first" # but runs on
	stop_bg "$second"
	[[ -f hello.door ]] # the second found the file there: not its to remove
	stop_bg "$first"
	assert_gone hello.door # the first made it
}

# Sent at once, SIGTERM may come before the server sleeps in pause(): its handler
# removes the path and ends the process wherever it lands (the library's threads
# block every signal, so it lands in the main thread).
@test "every server: SIGTERM right after the readiness line stops it and removes its path" {
	local name hidden
	for name in door_server square_server unref_server file_server slow_server cred_server \
		overlap_server copy_server pool_server bind_server ucred_server; do
		start_door "$name" "$name.door"
		hidden=$(door_sockets "$BG_PID")
		kill -TERM "$BG_PID"
		wait_bg "$BG_PID"
		assert_eq 0 "$BG_STATUS" "$name's status after SIGTERM"
		assert_gone "$name.door"
		assert_sockets_gone "$hidden"
	done
}

@test "fdetach: a path with no door, a missing path, another user's door, bad arguments" {
	echo text >plain
	run -1 --separate-stderr t "$(prog doors_compat fdetach)" plain
	assert_eq "fdetach: fdetach plain: Invalid argument" "$stderr"
	run -1 --separate-stderr t "$(prog doors_compat fdetach)" missing
	assert_eq "fdetach: fdetach missing: No such file or directory" "$stderr"
	run -2 --separate-stderr t "$(prog doors_compat fdetach)"
	assert_usage
	need_root
	shared_dir
	start_door door_server "$SHARED/hello.door"
	run -1 --separate-stderr t setpriv --reuid=65534 --regid=65534 --clear-groups "$(prog doors_compat fdetach)" "$SHARED/hello.door"
	assert_eq "fdetach: fdetach $SHARED/hello.door: Operation not permitted" "$stderr"
	run -0 --separate-stderr t "$(prog doors_compat door_client)" "$SHARED/hello.door" 1
	assert_eq "door_client: request 1 answered" "$output"
}

@test "door_errors: each error as illumos documents it" {
	run -0 --separate-stderr t "$(prog doors_compat door_errors)" scratch.door
	assert_eq "door_call on a plain file: EBADF
door_info on a plain file: EBADF
door_call on a pipe: EBADF
door_call on a closed descriptor: EBADF
fattach of a plain file's descriptor: EINVAL
fdetach of a path with no door: EINVAL
door_revoke of a plain file's descriptor: EBADF
door_cred outside a door call: EINVAL
door_create with an unknown attribute: EINVAL
door_create with DOOR_UNREF|DOOR_UNREF_MULTI: EINVAL
door descriptor close-on-exec: yes
door_call with a descriptor to a DOOR_REFUSE_DESC door: ENOTSUP
door_info of our own door: our pid, DOOR_LOCAL|DOOR_REFUSE_DESC
door_info(DOOR_QUERY) outside a door call: EBADF
door_setparam DOOR_PARAM_DESC_MAX 1 on a DOOR_REFUSE_DESC door: ENOTSUP
door_setparam DOOR_PARAM_DATA_MIN above DATA_MAX: EINVAL
door_call with less data than DOOR_PARAM_DATA_MIN: ENOBUFS
door_bind of a door without DOOR_PRIVATE: EINVAL
door_unbind of a thread that is not bound: EBADF
door_call with more descriptors than DOOR_PARAM_DESC_MAX: ENFILE
fattach to a directory: EISDIR
fattach of a second door to the same path: EBUSY
door_call with too many descriptors: E2BIG
door_call with too much data: E2BIG
door_call with a descriptor not marked DOOR_DESCRIPTOR: EINVAL
door_call through an O_PATH descriptor: EBADF
door_call to a procedure that forgets door_return: EINTR
door_call to a procedure that calls pthread_exit: EINTR
door_return of too much data: E2BIG
door_call through the door descriptor itself: ok
door_call on the path after door_revoke: EBADF
door_info after door_revoke: DOOR_REVOKED" "$output"
	assert_eq "" "$stderr" "stderr"
	assert_gone scratch.door
	run -2 --separate-stderr t "$(prog doors_compat door_errors)"
	assert_usage
	echo taken >scratch.door
	run -1 --separate-stderr t "$(prog doors_compat door_errors)" scratch.door
	assert_eq "door_errors: creat scratch.door: File exists" "$stderr"
}

@test "every program: junk arguments get usage and status 2" {
	local p path
	for p in door_server door_client square_server square_client unref_server doorinfo \
		cred_server cred_client slow_server slow_client file_server file_client fdetach \
		door_errors overlap_server overlap_client copy_server copy_client pool_server \
		bind_server ucred_server unref_multi; do
		path=$(prog doors_compat "$p")
		quick_run -2 "$path" j1 j2 j3 j4 j5 j6 j7 j8
		assert_usage || { echo "($p)" >&2; return 1; }
		for h in -h --help; do
			quick_run -2 "$path" "$h" x.door 1
			assert_usage || { echo "($p $h)" >&2; return 1; }
		done
	done
	assert_eq "" "$(ls | grep -v '^separate-stderr-')" "files left by the junk and -h runs"
}

# The pool: a call is served by a thread that waits for calls, and the same
# thread serves the next one; the library makes one more only when none is left
# waiting (the create function, door_server_create).
@test "pool_server: calls one after another reuse a thread; no thread per call" {
	start_door pool_server pool.door
	local server=$BG_PID n # (not i: Bats' run sets i)
	for n in $(seq 1 12); do
		run -0 --separate-stderr t "$(prog doors_compat square_client)" pool.door "$n"
		assert_eq "$n squared is $((n * n))" "$output"
	done
	wait_for_line pool_server.log ': 12 squared is 144$'
	local created served tasks
	created=$(grep -c 'created$' pool_server.log)
	served=$(sed -n 's/.*: thread \([0-9]*\): .*squared.*/\1/p' pool_server.log | sort -u | wc -l)
	tasks=$(ls "/proc/$server/task" | wc -l)
	# A thread that has just answered may not be waiting again when the next call
	# comes (then one more is made): a few threads, never one per call.
	((created <= 4)) || { echo "$created threads created for 12 calls one after another: a thread per call?" >&2; return 1; }
	((served <= 4)) || { echo "12 calls served by $served threads" >&2; return 1; }
	((tasks <= 5)) || { echo "the server has $tasks threads after 12 calls" >&2; return 1; }
}

@test "pool_server: calls at once make the pool grow, through the create function" {
	start_door pool_server pool.door 2
	local pids=() i
	for i in 1 2 3; do
		t "$(prog doors_compat square_client)" pool.door "$i" >"client$i.out" 2>&1 &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i"; done
	assert_eq "$(printf '%s\n' '1 squared is 1' '2 squared is 4' '3 squared is 9')" \
		"$(cat client1.out client2.out client3.out)"
	local served
	served=$(sed -n 's/.*: thread \([0-9]*\): .*squared.*/\1/p' pool_server.log | sort -u | wc -l)
	assert_eq 3 "$served" "threads that served the three calls at once"
	run -2 --separate-stderr t "$(prog doors_compat pool_server)" pool.door soon
	assert_usage
}

# A private pool: only threads bound with door_bind serve the door, and the create
# function makes at most -n of them: four calls at once, two at a time.
@test "bind_server: a private pool of two threads serves four calls two at a time" {
	start_door bind_server -n 2 -t 400 bind.door
	local pids=() i
	for i in 1 2 3 4; do
		t "$(prog doors_compat square_client)" bind.door "$i" >"client$i.out" 2>&1 &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i"; done
	assert_eq "$(printf '%s\n' '1 squared is 1' '2 squared is 4' '3 squared is 9' '4 squared is 16')" \
		"$(cat client1.out client2.out client3.out client4.out)"
	local most threads
	most=$(sed -n 's/.*, \([0-9]*\) in progress$/\1/p' bind_server.log | sort -n | tail -1)
	threads=$(grep -c 'bound to the door$' bind_server.log)
	assert_eq 2 "$threads" "threads bound to the door"
	assert_eq 2 "$most" "the most calls in progress at once (the pool has two threads)"
	run -2 --separate-stderr t "$(prog doors_compat bind_server)" -n 0 bind.door
	assert_usage
}

@test "ucred_server: door_ucred gives real, effective and saved ids apart" {
	need_root
	shared_dir
	start_door ucred_server "$SHARED/ucred.door"
	chmod 644 "$SHARED/ucred.door"
	# What matters is what the server saw. (A client built with LeakSanitizer dies
	# at its exit when its real and effective ids differ: its status is not checked.)
	run --separate-stderr t bash -c "echo \$\$; exec setpriv --euid=65534 --egid=65534 \
		--clear-groups '$(prog doors_compat cred_client)' '$SHARED/ucred.door'"
	local pid=${lines[0]}
	wait_for_line ucred_server.log "call from pid $pid: euid 65534, ruid 0, suid 65534, egid 65534, rgid 0, sgid 65534\$"
	stop_bg "$BG_PID"
	assert_gone "$SHARED/ucred.door"
}

@test "unref_multi: an unreferenced call each time the references drop to one, after the calls in progress" {
	run -0 --separate-stderr t "$(prog doors_compat unref_multi)"
	assert_eq "our descriptor only: DOOR_IS_UNREF
a copy handed out: referenced
closing the copy
unreferenced call 1
after the unreferenced call: DOOR_IS_UNREF
a copy handed out: referenced
closing the copy
unreferenced call 2
after the unreferenced call: DOOR_IS_UNREF
closing the copy while a call is in progress
2 unreferenced calls so far
ending the call
unreferenced call 3" "$output"
	assert_eq "" "$stderr" "stderr"
}

# UNP's serverunref1 sleeps in its procedure: an fdetach during the call makes the
# door unreferenced, but the call comes only once the call in progress has ended.
@test "unref_server: the unreferenced call waits for the call in progress, and comes once" {
	start_door unref_server u.door 2
	local server=$BG_PID
	start_bg client.log "$(prog doors_compat square_client)" u.door 12
	local client=$BG_PID
	wait_for_line unref_server.log 'call for 12$'
	run -0 --separate-stderr t "$(prog doors_compat fdetach)" u.door
	wait_bg "$client"
	assert_eq "12 squared is 144" "$(cat client.log)"
	wait_for_line unref_server.log 'unreferenced'
	assert_eq "unref_server: door attached to u.door
unref_server: call for 12
unref_server: 12 squared is 144
unref_server: the door is unreferenced: no path leads to it" "$(cat unref_server.log)" \
		"the unreferenced call after the call in progress ended, and only once"
	run -1 --separate-stderr t "$(prog doors_compat fdetach)" u.door
	assert_eq 1 "$(grep -c unreferenced unref_server.log)" "unreferenced calls"
	stop_bg "$server"
	rm -f u.door
}

# illumos: a caller interrupted by a signal gets EINTR even with SA_RESTART, and the
# server thread of its call is cancelled (its cleanup handlers run).
@test "overlap_client: SIGINT during the call (SA_RESTART): EINTR, and the server cancels the call" {
	start_door overlap_server -t 20000 over.door
	local server=$BG_PID
	start_bg client.log "$(prog doors_compat overlap_client)" over.door
	local client=$BG_PID
	wait_for_line overlap_server.log 'call 1 started'
	kill -INT "$client"
	wait_bg "$client" || return 1 # at once, not after the 20 s the call would take
	assert_eq 1 "$BG_STATUS" "client's status"
	assert_eq "overlap_client: door_call over.door: Interrupted system call" "$(cat client.log)"
	wait_for_line overlap_server.log 'call 1 cancelled$'
	grep -q 'call 1 ended' overlap_server.log && return 1 # cancelled, not ended
	run -0 --separate-stderr t "$(prog doors_compat overlap_client)" over.door &
	wait_for_line overlap_server.log 'call 2 started'
	kill -0 "$server"
}

# A procedure that ends its thread (returns, pthread_exit): the caller gets EINTR,
# and nothing is left behind: no thread, no descriptor per call.
@test "overlap_server -x: threads that end mid-call leak neither threads nor descriptors" {
	start_door overlap_server -x -t 0 over.door
	local server=$BG_PID n fds tasks
	run -1 --separate-stderr t "$(prog doors_compat overlap_client)" over.door
	fds=$(ls "/proc/$server/fd" | wc -l)
	for n in $(seq 1 15); do
		run -1 --separate-stderr t "$(prog doors_compat overlap_client)" over.door
		assert_eq "overlap_client: door_call over.door: Interrupted system call" "$stderr"
	done
	wait_for_line overlap_server.log 'call 16 ended'
	wait_until "[[ \$(ls /proc/$server/fd | wc -l) -le $fds ]]" || {
		ls -l "/proc/$server/fd" >&2
		return 1
	}
	tasks=$(ls "/proc/$server/task" | wc -l)
	((tasks <= 4)) || { echo "$tasks threads after 16 calls whose thread ended" >&2; return 1; }
}

# A FIFO where a door's path is expected: open would wait for a writer. Every client
# refuses it at once (EBADF: no door), every server too (fattach: EINVAL).
@test "a FIFO as the door's path: clients and servers refuse it at once" {
	mkfifo f.door
	local c args
	for c in door_client:1 square_client:2 slow_client: cred_client: overlap_client: \
		file_client:x copy_client:x; do
		args=${c#*:}
		run -1 --separate-stderr t "$(prog doors_compat "${c%%:*}")" f.door $args
		assert_match 'door_call f.door: Bad file descriptor$' "$stderr" "${c%%:*} on a FIFO"
	done
	run -0 --separate-stderr t "$(prog doors_compat doorinfo)" f.door
	assert_eq "f.door: not a door" "$output"
	for c in door_server square_server slow_server pool_server; do
		run -1 --separate-stderr t "$(prog doors_compat "$c")" f.door
		assert_eq "$c: fattach f.door: Invalid argument" "$stderr"
	done
	[[ -p f.door ]] # left as it was
	mkdir d.door
	run -1 --separate-stderr t "$(prog doors_compat square_server)" d.door
	assert_eq "square_server: fattach d.door: Is a directory" "$stderr"
}

@test "file_server: a FIFO or a directory asked for is refused, and the server serves on" {
	mkfifo fifo
	mkdir dir
	start_door file_server files.door
	run -1 --separate-stderr t "$(prog doors_compat file_client)" files.door fifo
	assert_eq "file_client: server: fifo: Invalid argument" "$stderr"
	run -1 --separate-stderr t "$(prog doors_compat file_client)" files.door dir
	assert_eq "file_client: server: dir: Invalid argument" "$stderr"
	start_door copy_server copy.door
	run -1 --separate-stderr t "$(prog doors_compat copy_client)" copy.door fifo
	assert_eq "copy_client: server: fifo: Invalid argument" "$stderr"
	echo hi >small.txt
	run -0 --separate-stderr t "$(prog doors_compat file_client)" files.door small.txt
	assert_eq "hi" "$output"
}

# Issue 15: a server given a path where a regular file already is must neither empty
# nor remove it (the slide's creat empties it, UNP's servers unlink it first).
@test "every server: a file already at the path keeps its content, and stays when stopped" {
	local name
	for name in door_server square_server unref_server file_server slow_server cred_server \
		overlap_server copy_server pool_server bind_server ucred_server; do
		echo "precious $name" >"$name.door"
		start_door "$name" "$name.door"
		stop_bg "$BG_PID"
		assert_eq 0 "$BG_STATUS" "$name's exit status"
		assert_eq "precious $name" "$(cat "$name.door" 2>&1)" "$name: the given file after it stopped"
	done
}
