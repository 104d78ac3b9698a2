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

# rendezvous PATH -- the abstract socket name this library's door for PATH would
# have, computed from stat(1): "door-compat:DEV:INO" in hex.
rendezvous() {
	local dev ino
	read -r dev ino < <(stat -c '%d %i' "$1") || return 1
	printf 'door-compat:%x:%x\n' "$dev" "$ino"
}

# assert_no_rendezvous NAME -- no socket is bound to the abstract NAME any more,
# and no socket file was left in the test directory.
assert_no_rendezvous() {
	if grep -q -- "@$1\$" /proc/net/unix; then
		echo "hidden socket left behind: @$1" >&2
		return 1
	fi
	local files
	files=$(find . -type s)
	assert_eq "" "$files" "socket files left in the test directory"
}

# door_sockets PID -- the abstract names ("@door-compat:...") bound by the
# sockets process PID holds: its hidden sockets, one a line.
door_sockets() {
	local inodes
	inodes=$(find "/proc/$1/fd" -lname 'socket:*' -printf '%l\n' 2>/dev/null |
		sed 's/^socket:\[\(.*\)\]$/\1/')
	awk -v list="$inodes" 'BEGIN { n = split(list, a, "\n"); for (i = 1; i <= n; i++) want[a[i]] = 1 }
		want[$7] && $8 ~ /^@door-compat:/ { print $8 }' /proc/net/unix | sort
}

# assert_sockets_gone NAMES -- none of these abstract names (one a line) is bound.
assert_sockets_gone() {
	local name
	while read -r name; do
		[[ -z $name ]] && continue
		if grep -q -- " $name\$" /proc/net/unix; then
			echo "hidden socket left behind: $name" >&2
			return 1
		fi
	done <<<"$1"
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
	local server=$BG_PID name hidden
	name=$(rendezvous hello.door)
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
	assert_no_rendezvous "$name"
	assert_sockets_gone "$hidden"
}

# The slide's creat() leaks its descriptor. fattach holds the file open (O_PATH) while
# attached: exactly one descriptor of the server may name it.
@test "door_server: keeps no descriptor of its file but the library's own" {
	start_door door_server hello.door
	local held
	held=$(find "/proc/$BG_PID/fd" -lname "*/hello.door" | wc -l)
	assert_eq 1 "$held" "descriptors of hello.door in the server"
}

# Solaris' fattach hides a file and fdetach gives it back: a path given to a
# server is the caller's file, never emptied (the slide's creat would) nor removed.
@test "door_server: a file already at the path is attached as it is, and left" {
	echo "precious" >given.door
	start_door door_server given.door
	run -0 --separate-stderr t "$(prog doors_compat door_client)" given.door 7
	assert_eq "door_client: request 7 answered" "$output"
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
	local name hidden
	name=$(rendezvous hello.door)
	hidden=$(door_sockets "$BG_PID")
	stop_bg "$BG_PID" KILL
	[[ -f hello.door ]] # SIGKILL leaves the file: a stale path
	assert_no_rendezvous "$name"
	assert_sockets_gone "$hidden" # abstract names go with the process, even now
	run -1 --separate-stderr t "$(prog doors_compat door_client)" hello.door 1
	assert_match '^door_client: door_call hello.door: Bad file descriptor$' "$stderr"
	start_door door_server hello.door
	run -0 --separate-stderr t "$(prog doors_compat door_client)" hello.door 2
	assert_eq "door_client: request 2 answered" "$output"
	wait_for_line door_server.log 'request 2$'
	stop_bg "$BG_PID"
	[[ -f hello.door ]] # there when it started: not the new server's to remove
	assert_no_rendezvous "$name"
}

@test "square_server/square_client: the square comes back in rbuf" {
	start_door square_server square.door
	run -0 --separate-stderr t "$(prog doors_compat square_client)" square.door -12
	assert_eq "-12 squared is $((-12 * -12))" "$output"
	run -0 --separate-stderr t "$(prog doors_compat square_client)" square.door 3037000499
	assert_eq "3037000499 squared is $((3037000499 * 3037000499))" "$output"
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
	run -2 --separate-stderr t "$(prog doors_compat square_client)" square.door 3037000500
	assert_usage
	run -2 --separate-stderr t "$(prog doors_compat square_server)" a b
	assert_usage
}

@test "square_server: a path with a door on it gives EBUSY, until fdetach frees it" {
	start_door square_server square.door
	local first=$BG_PID
	run -1 --separate-stderr t "$(prog doors_compat square_server)" square.door
	assert_eq "square_server: fattach square.door: Device or resource busy" "$stderr"
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
	assert_eq "copy_client: door_call files.door: Operation not supported" "$stderr"
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
	local name rv
	for name in door_server square_server unref_server file_server slow_server cred_server \
		overlap_server copy_server; do
		start_door "$name" "$name.door"
		rv=$(rendezvous "$name.door")
		kill -TERM "$BG_PID"
		wait_bg "$BG_PID"
		assert_eq 0 "$BG_STATUS" "$name's status after SIGTERM"
		assert_gone "$name.door"
		assert_no_rendezvous "$rv"
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
door_call with a descriptor to a DOOR_REFUSE_DESC door: ENOTSUP
door_info of our own door: our pid, DOOR_LOCAL|DOOR_REFUSE_DESC
fattach of a second door to the same path: EBUSY
door_call with too many descriptors: E2BIG
door_call with too much data: E2BIG
door_call with a descriptor not marked DOOR_DESCRIPTOR: EINVAL
door_call through an O_PATH descriptor: EBADF
door_call to a procedure that forgets door_return: EINTR
door_return of too much data: E2BIG
door_call through the door descriptor itself: ok
door_call on the path after door_revoke: EBADF" "$output"
	assert_eq "" "$stderr" "stderr"
	assert_gone scratch.door
	run -2 --separate-stderr t "$(prog doors_compat door_errors)"
	assert_usage
	echo taken >scratch.door
	run -1 --separate-stderr t "$(prog doors_compat door_errors)" scratch.door
	assert_eq "door_errors: creat scratch.door: File exists" "$stderr"
}

@test "every program: junk arguments get usage and status 2" {
	local p
	for p in door_server door_client square_server square_client unref_server doorinfo \
		cred_server cred_client slow_server slow_client file_server file_client fdetach \
		door_errors overlap_server overlap_client copy_server copy_client; do
		run -2 --separate-stderr t "$(prog doors_compat "$p")" j1 j2 j3 j4 j5 j6 j7 j8
		assert_usage || { echo "($p)" >&2; return 1; }
	done
	assert_eq "" "$(ls | grep -v '^separate-stderr-')" "files left by the junk runs"
}
