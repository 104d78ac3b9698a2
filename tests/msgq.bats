#!/usr/bin/env bats
# tests/msgq.bats -- msgq/: System V and POSIX message queues, through each
# program's command line. Keys are computed here with ftok_key on the test
# directory (every program's default keyfile is "."), from each program's
# documented ftok project id.
load helpers

setup() {
	lab_setup
	PERM_DIR=
	MQ_NAMES=()
}
# A test that fails half-way must not leave its objects in the kernel: the
# tests assert that each one is gone; this is only the safety net.
teardown() {
	local proj name
	exec 4>&- # the FIFO some tests hold open
	lab_teardown
	for proj in $KHU $LG $SRV; do
		ipcrm -Q "$(ftok_key . "$proj")" 2>/dev/null || true
	done
	if [[ -n $PERM_DIR ]]; then
		ipcrm -Q "$(ftok_key "$PERM_DIR/key" $KHU)" 2>/dev/null || true
		rm -rf "$PERM_DIR"
	fi
	for name in "${MQ_NAMES[@]}"; do
		t "$(prog msgq posix_mq_recv)" "$name" >/dev/null 2>&1 || true
	done
}

# mq_name -- a unique POSIX queue name, remembered for the safety net. Sets name.
mq_name() {
	name=$(unique_name mq)
	MQ_NAMES+=("$name")
}

# ftok project ids, as msgq/*.c document them.
KHU=75 # 'K': msgq1, msgq2
LG=76  # 'L': send, recv (send_recv.h)
SRV=77 # 'M': msgq_server, msgq_client (msgq_server.h)

# queue_id KEY -- the msqid ipcs shows for KEY (empty if none).
queue_id() {
	ipcs -q | awk -v k="$1" '$1 == k { print $2 }'
}

# queue_row KEY -- "perms used-bytes messages" of the queue with KEY.
queue_row() {
	ipcs -q | awk -v k="$1" '$1 == k { print $4, $5, $6 }'
}

# mq_gone NAME -- the POSIX queue NAME does not exist. /dev/mqueue is not
# always mounted, so without it ask posix_mq_recv, which says "does not
# exist" (and removes the queue if it did exist: the test fails either way).
assert_mq_gone() {
	if mountpoint -q /dev/mqueue 2>/dev/null; then
		assert_gone "/dev/mqueue/${1#/}"
		return
	fi
	run -1 --separate-stderr t "$(prog msgq posix_mq_recv)" "$1"
	assert_match "does not exist" "$stderr" "posix_mq_recv on $1"
}

# nobody_dir -- a directory user nobody can reach (the test directory's
# parents are private to root); removed in teardown. Sets PERM_DIR.
nobody_dir() {
	PERM_DIR=$(mktemp -d /tmp/lab-msgq-perm.XXXXXX) && chmod 755 "$PERM_DIR"
}

# Run a program as user nobody (the tests run as root in CI): t "${NOBODY[@]}" prog ...
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

@test "msgq1/msgq2: every message arrives intact and in order; the queue lives in between" {
	key=$(ftok_key . $KHU)
	run -0 --separate-stderr t "$(prog msgq msgq1)" -n 4 "hello, queue"
	assert_match "created queue [0-9]+ for key $key" "$output"
	# The queue outlives msgq1: 0600, 4 messages of "hello, queue N" each.
	assert_eq "600 $((4 * $(printf 'hello, queue 1' | wc -c))) 4" "$(queue_row "$key")" \
		"ipcs -q row"
	id=$(queue_id "$key")

	run -0 --separate-stderr t "$(prog msgq msgq2)"
	expected=$(for i in 1 2 3 4; do echo "msgq2: type $i: hello, queue $i"; done
		echo "msgq2: received 4 message(s); removed queue $id")
	assert_eq "$expected" "$output"
	assert_eq "" "$stderr" "stderr"
	assert_no_sysv "$key"
}

@test "msgq1: a second run before msgq2 joins the queue and adds to it" {
	key=$(ftok_key . $KHU)
	run -0 --separate-stderr t "$(prog msgq msgq1)" -n 1 first
	run -0 --separate-stderr t "$(prog msgq msgq1)" -n 2 second
	assert_match "already exists: adding to it" "$output"
	run -0 --separate-stderr t "$(prog msgq msgq2)"
	assert_eq "$(printf '%s\n' 'msgq2: type 1: first 1' 'msgq2: type 1: second 1' \
		'msgq2: type 2: second 2')" "$(head -n 3 <<<"$output")"
	assert_no_sysv "$key"
}

@test "msgq1: a message longer than 512 bytes is refused before any queue exists" {
	key=$(ftok_key . $KHU)
	long=$(printf '%0510d' 0) # "long 1" would be 512 bytes: fits; "long 10" not
	run -0 --separate-stderr t "$(prog msgq msgq1)" -n 1 "${long:0:510}"
	run -0 --separate-stderr t "$(prog msgq msgq2)"
	assert_match "type 1: ${long:0:510} 1" "$output"
	run -1 --separate-stderr t "$(prog msgq msgq1)" -n 10 "${long:0:510}"
	assert_match "message 10 would be 513 bytes, more than the 512" "$stderr"
	assert_eq "" "$output" "stdout"
	assert_no_sysv "$key"
}

@test "msgq2: no queue, or no key file, is an error that says so" {
	key=$(ftok_key . $KHU)
	run -1 --separate-stderr t "$(prog msgq msgq2)"
	assert_match "no queue for key $key.*run msgq1 first" "$stderr"
	run -1 --separate-stderr t "$(prog msgq msgq2)" -k no-such-file
	assert_match "ftok no-such-file: No such file or directory" "$stderr"
	run -1 --separate-stderr t "$(prog msgq msgq1)" -k no-such-file
	assert_match "ftok no-such-file: No such file or directory" "$stderr"
	assert_no_sysv "$key"
}

@test "msgq2: another user cannot read a 0600 queue" {
	nobody_dir
	touch "$PERM_DIR/key" && chmod 644 "$PERM_DIR/key"
	key=$(ftok_key "$PERM_DIR/key" $KHU)
	run -0 --separate-stderr t "$(prog msgq msgq1)" -k "$PERM_DIR/key" -n 1 secret
	run -1 --separate-stderr t "${NOBODY[@]}" "$(prog msgq msgq2)" -k "$PERM_DIR/key"
	# msgget without IPC_CREAT asks for no access; msgrcv needs read access.
	assert_match "msgrcv: Permission denied" "$stderr"
	sysv_exists "$key" # still there, still holding the message
	run -0 --separate-stderr t "$(prog msgq msgq2)" -k "$PERM_DIR/key"
	assert_match "type 1: secret 1" "$output"
	assert_no_sysv "$key"
}

@test "msgq2: a message over 512 bytes is reported and dropped; the others come, and the queue goes" {
	key=$(ftok_key . $KHU)
	foreign_msg "$key" 1 "first"
	foreign_msg "$key" 2 "$(printf '%0513d' 0)"
	foreign_msg "$key" 4 "$(printf '%01000d' 0)" # far more: no E2BIG that stops msgq2
	foreign_msg "$key" 3 "$(printf '%0512d' 3)"
	run -1 --separate-stderr t "$(prog msgq msgq2)"
	assert_eq "$(printf 'msgq2: type 1: first\nmsgq2: type 3: %0512d\n' 3)" "$(grep ': type ' <<<"$output")" \
		"msgq2's messages (one too long for the buffer must not stop the ones after it)"
	assert_match "type 2: a message longer than 512 bytes: dropped" "$stderr"
	assert_match "type 4: a message longer than 512 bytes: dropped" "$stderr"
	assert_match "received 2 message\(s\); removed queue" "$output"
	assert_no_sysv "$key"
}

@test "msgq2: control bytes from the sender are printed escaped, never raw" {
	key=$(ftok_key . $KHU)
	foreign_msg "$key" 1 $'\e[2Jred\e[0m a\\b\x7f'
	run -0 --separate-stderr t "$(prog msgq msgq2)"
	assert_eq 'msgq2: type 1: \x1b[2Jred\x1b[0m a\x5cb\x7f' "$(head -n 1 <<<"$output")" \
		"the text, ESC, DEL and backslash escaped"
	assert_no_sysv "$key"
}

@test "msgq2: with stdout closed it says a message is lost, and leaves the rest" {
	key=$(ftok_key . $KHU)
	run -0 --separate-stderr t "$(prog msgq msgq1)" -n 2 kept
	run -1 --separate-stderr t bash -c 'exec "$0" >&-' "$(prog msgq msgq2)"
	assert_match "stdout: message 1 is lost" "$stderr"
	run -0 --separate-stderr t "$(prog msgq msgq2)"
	assert_match "^msgq2: type 2: kept 2" "$output" "what the next msgq2 gets"
	assert_no_sysv "$key"
}

@test "msgq2: a reader that has gone gets EPIPE, not a silent SIGPIPE; the rest stay" {
	command -v perl >/dev/null || skip "perl makes the pipe without a reader here"
	key=$(ftok_key . $KHU)
	run -0 --separate-stderr t "$(prog msgq msgq1)" -n 2 kept
	run -1 --separate-stderr t "${NO_READER[@]}" "$(prog msgq msgq2)"
	assert_match "stdout: message 1 is lost" "$stderr" "stderr (status $status; 141 is a death by SIGPIPE)"
	run -0 --separate-stderr t "$(prog msgq msgq2)"
	assert_match "^msgq2: type 2: kept 2" "$output" "what the next msgq2 gets"
	assert_no_sysv "$key"
}

@test "msgq1: a full queue is reported at once (IPC_NOWAIT), not a hang; msgq2 empties it" {
	local fill
	key=$(ftok_key . $KHU)
	long=$(printf '%0500d' 0)                       # "long 1" .. "long 40": 502 or 503 bytes
	fill=$(($(cat /proc/sys/kernel/msgmnb) / 503)) # at least this many fit
	run -1 --separate-stderr t "$(prog msgq msgq1)" -n 40 "$long"
	assert_match "queue [0-9]+ is full after [0-9]+ message\(s\): run msgq2 to empty it" "$stderr" \
		"msgq1's stderr (status $status; 124 is a hang on the full queue)"
	sent=$(sed -n 's/.*is full after \([0-9]*\) message.*/\1/p' <<<"$stderr")
	((sent >= fill))
	run -0 --separate-stderr t "$(prog msgq msgq2)"
	assert_match "received $sent message\(s\)" "$output"
	assert_no_sysv "$key"
}

@test "msgq1: -n 1000 is the most it sends; 1001 gets usage" {
	key=$(ftok_key . $KHU)
	run -0 --separate-stderr t "$(prog msgq msgq1)" -n 1000 m
	assert_match "1000 message\(s\) sent" "$output"
	run -0 --separate-stderr t "$(prog msgq msgq2)"
	assert_match "received 1000 message\(s\)" "$output"
	run -2 --separate-stderr t "$(prog msgq msgq1)" -n 1001 m
	assert_usage
	assert_no_sysv "$key"
}

@test "msgq1, msgq2: bad arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog msgq msgq1)" -n many
	assert_usage
	run -2 --separate-stderr t "$(prog msgq msgq1)" a b
	assert_usage
	run -2 --separate-stderr t "$(prog msgq msgq2)" extra
	assert_usage
	assert_no_sysv "$(ftok_key . $KHU)"
}

# send_reading -- start send in the background on a FIFO that the test holds
# open on fd 4, as a terminal stays open: `echo line >&4` types a line and
# `exec 4>&-` is Ctrl-D. Sets SEND_PID once send has made its queue.
send_reading() {
	rm -f in.fifo
	mkfifo in.fifo
	exec 4<>in.fifo
	start_bg send.log bash -c 'exec "$0" <in.fifo 4>&-' "$(prog msgq send)"
	SEND_PID=$BG_PID
	wait_for_line send.log "^send: queue [0-9]+ "
}

# recv_waiting -- start recv in the background (holding no write end of
# send's FIFO); sets RECV_PID once it says it waits for messages.
recv_waiting() {
	start_bg recv.log bash -c 'exec "$0" 4>&-' "$(prog msgq recv)"
	RECV_PID=$BG_PID
	wait_for_line recv.log "waiting for messages"
}

@test "send/recv: lines go through unchanged; the queue lives between the runs" {
	key=$(ftok_key . $LG)
	printf '%s\n' "first line" "" "  spaces  kept " "tab	inside" "last" >in.txt
	run -0 --separate-stderr t "$(prog msgq send)" <in.txt
	assert_match "^send: queue [0-9]+ \(key $key\)" "$stderr"
	assert_match "5 line\(s\) sent" "$stderr"
	# 5 lines without their newlines, plus the end-of-input message (no text).
	assert_eq "600 $(($(wc -c <in.txt) - 5)) 6" "$(queue_row "$key")" "ipcs -q row"
	t "$(prog msgq recv)" >out.txt 2>err.txt
	cmp in.txt out.txt
	assert_match "end of input: removed queue [0-9]+ after 5 line\(s\)" "$(cat err.txt)"
	assert_no_sysv "$key"
}

@test "recv: without send's queue it says to run send first, and creates none" {
	key=$(ftok_key . $LG)
	run -1 --separate-stderr t "$(prog msgq recv)"
	assert_match "no queue for key $key \(keyfile \.\): run send first" "$stderr"
	assert_eq "" "$output" "stdout"
	assert_no_sysv "$key"
}

@test "send/recv: recv waits on the empty queue and prints each line as send reads it" {
	key=$(ftok_key . $LG)
	send_reading
	recv_waiting
	# Asleep in msgrcv, not gone: the receiver does wait for messages.
	wait_asleep "$RECV_PID"
	kill -0 "$RECV_PID"
	for i in 1 2 3; do
		echo "typed $i" >&4
		wait_for_line recv.log "^typed $i\$"
	done
	seq 1 200 >&4
	exec 4>&- # Ctrl-D
	wait_bg "$SEND_PID"
	assert_eq 0 "$BG_STATUS" "send's status"
	wait_bg "$RECV_PID"
	assert_eq 0 "$BG_STATUS" "recv's status"
	assert_eq "$(printf 'typed %d\n' 1 2 3; seq 1 200)" "$(grep -v '^recv: ' recv.log)"
	assert_no_sysv "$key"
}

@test "send: a 512-byte line passes, a longer one stops it with an error; recv still ends" {
	key=$(ftok_key . $LG)
	{ printf '%0512d\n' 0; echo short; printf '%0513d\n' 0; echo never; } >in.txt
	run -1 --separate-stderr t "$(prog msgq send)" <in.txt
	assert_match "line 3 is 513 bytes, more than the 512" "$stderr"
	run -0 --separate-stderr t "$(prog msgq recv)"
	assert_eq "$(printf '%0512d\nshort' 0)" "$output"
	assert_no_sysv "$key"
}

# foreign_msg KEY TYPE TEXT -- put one message on the queue with KEY (making it
# if need be), as a program that ignores the pair's protocol would: perl's
# msgsnd, which checks no length against the receiver's.
foreign_msg() {
	command -v perl >/dev/null || skip "perl sends the foreign messages here"
	perl -e 'my $id = msgget(hex($ARGV[0]), 01000 | 0600) // die "msgget: $!\n";
		msgsnd($id, pack("l! a*", $ARGV[1], $ARGV[2]), 0) or die "msgsnd: $!\n"' "$@"
}

@test "recv: a message over 512 bytes or of a foreign type is reported and dropped; the lines after it still come" {
	key=$(ftok_key . $LG)
	foreign_msg "$key" 1 "$(printf '%0512d' 1)" # the longest line: printed whole
	foreign_msg "$key" 1 "$(printf '%0513d' 2)" # one byte more: no line of send's
	foreign_msg "$key" 1 "$(printf '%01000d' 3)" # far more: no E2BIG that stops recv
	foreign_msg "$key" 9 "not a line"           # nor is a type send never uses
	printf '%s\n' after "and more" | t "$(prog msgq send)" 2>/dev/null
	run -1 --separate-stderr t "$(prog msgq recv)"
	assert_eq "$(printf '%0512d\nafter\nand more' 1)" "$output" \
		"recv's lines (a message too long for the buffer must not stop the ones after it)"
	assert_eq 2 "$(grep -c "type 1, 513 or more bytes, is no line of send's: dropped" <<<"$stderr")" \
		"the two messages over 512 bytes, reported"
	assert_match "type 9, 10 bytes, is no line of send's: dropped" "$stderr"
	assert_match "end of input: removed queue [0-9]+ after 3 line\(s\)" "$stderr"
	assert_no_sysv "$key"
}

@test "send/recv: every byte of a line goes through, a NUL byte and control bytes too" {
	key=$(ftok_key . $LG)
	printf 'a\0b\n\tc\033[0m\r\n' >in.txt
	t "$(prog msgq send)" <in.txt 2>/dev/null
	t "$(prog msgq recv)" >out.txt 2>/dev/null
	cmp in.txt out.txt || { echo "recv's stdout is not send's input, byte for byte" >&2; return 1; }
	assert_no_sysv "$key"
}

@test "recv: with stdout closed it says which line is lost, and leaves the rest on the queue" {
	key=$(ftok_key . $LG)
	printf '%s\n' one two three | t "$(prog msgq send)" 2>/dev/null
	run -1 --separate-stderr t bash -c 'exec "$0" >&-' "$(prog msgq recv)"
	assert_match "stdout: line 1 is lost; the rest stay on queue [0-9]+" "$stderr" \
		"recv's stderr (a line it could not write must not vanish in silence)"
	run -0 --separate-stderr t "$(prog msgq recv)"
	assert_eq "$(printf '%s\n' two three)" "$output" "the lines the next recv gets"
	assert_no_sysv "$key"
}

@test "recv: a reader that has gone gets EPIPE, not a silent SIGPIPE: the line is said lost, the rest stay" {
	key=$(ftok_key . $LG)
	command -v perl >/dev/null || skip "perl makes the pipe without a reader here"
	printf '%s\n' one two | t "$(prog msgq send)" 2>/dev/null
	run -1 --separate-stderr t "${NO_READER[@]}" "$(prog msgq recv)"
	assert_match "stdout: line 1 is lost; the rest stay on queue [0-9]+: Broken pipe" "$stderr" \
		"recv's stderr (status $status; 141 is a death by SIGPIPE)"
	run -0 --separate-stderr t "$(prog msgq recv)"
	assert_eq "two" "$output" "the line the next recv gets"
	assert_no_sysv "$key"
}

# send_until_full IN-FILE MESSAGES BYTES -- start send on IN-FILE and wait
# until its queue holds MESSAGES messages of BYTES bytes in all: full, so send
# waits in msgsnd for the next line. Sets SEND_PID.
send_until_full() {
	start_bg send.log bash -c 'exec "$0" <"$1"' "$(prog msgq send)" "$1"
	SEND_PID=$BG_PID
	wait_until "[[ \$(queue_row $key) == '600 $3 $2' ]]"
}

@test "send: SIGTERM while the queue is full of bytes: that line is said not sent; the empty end message still fits" {
	local fill
	key=$(ftok_key . $LG)
	fill=$(($(cat /proc/sys/kernel/msgmnb) / 512)) # 512-byte lines the queue holds
	for ((i = 1; i <= fill + 3; i++)); do printf "%0512d\n" "$i"; done >in.txt
	send_until_full in.txt "$fill" $((fill * 512))
	stop_bg "$SEND_PID" TERM
	assert_eq 143 "$BG_STATUS" "send's status after SIGTERM"
	assert_match "queue [0-9]+ is full: line $((fill + 1)) is not sent" "$(cat send.log)" \
		"send's stderr (the line it read and could not send must not vanish in silence)"
	assert_match "interrupted: $fill line\(s\) sent" "$(cat send.log)"
	# msgsnd counts bytes against msg_qbytes: a message of 0 bytes still fits.
	assert_eq "600 $((fill * 512)) $((fill + 1))" "$(queue_row "$key")" "the lines sent and the end message"
	t "$(prog msgq recv)" >out.txt 2>/dev/null
	assert_eq "$(head -n "$fill" in.txt)" "$(cat out.txt)" "what recv prints"
	assert_no_sysv "$key"
}

@test "send: SIGTERM while the queue is full by count: no end message, and send says so" {
	local fill
	key=$(ftok_key . $LG)
	# Linux also counts each message as a byte against msg_qbytes: this many
	# empty lines fill the queue, and the end message no longer fits either.
	fill=$(cat /proc/sys/kernel/msgmnb)
	yes '' | head -n $((fill + 2)) >in.txt
	send_until_full in.txt "$fill" 0
	stop_bg "$SEND_PID" TERM
	assert_eq 143 "$BG_STATUS" "send's status after SIGTERM"
	assert_match "queue [0-9]+ is full: line $((fill + 1)) is not sent" "$(cat send.log)"
	assert_match "queue [0-9]+ is full: no end message; recv will wait after the last line" \
		"$(cat send.log)"
	assert_eq "600 0 $fill" "$(queue_row "$key")" "the queue: the lines sent, no end message"
	ipcrm -Q "$key"
}

@test "send twice, then recv: the second send's lines wait for the next recv" {
	key=$(ftok_key . $LG)
	echo first | t "$(prog msgq send)" 2>/dev/null
	printf '%s\n' second third | t "$(prog msgq send)" 2>/dev/null
	run -0 --separate-stderr t "$(prog msgq recv)"
	assert_eq "first" "$output"
	assert_match "1 line\(s\); 3 more message\(s\) wait for the next recv" "$stderr"
	sysv_exists "$key"
	run -0 --separate-stderr t "$(prog msgq recv)"
	assert_eq "$(printf '%s\n' second third)" "$output"
	assert_no_sysv "$key"
}

@test "recv: SIGTERM and SIGINT remove the queue it waits on; send then says so" {
	key=$(ftok_key . $LG)
	for sig in TERM INT; do
		send_reading
		recv_waiting
		stop_bg "$RECV_PID" "$sig"
		assert_match "interrupted: removed queue" "$(cat recv.log)"
		assert_eq $((128 + $(kill -l "$sig"))) "$BG_STATUS" "recv's status after SIG$sig"
		assert_no_sysv "$key"
		echo "too late" >&4
		wait_bg "$SEND_PID"
		exec 4>&-
		assert_eq 1 "$BG_STATUS" "send's status once its queue is gone"
		assert_match "queue [0-9]+ was removed" "$(cat send.log)"
	done
}

@test "send: SIGTERM while it waits for input ends the input; the lines and the end stay for recv" {
	key=$(ftok_key . $LG)
	send_reading
	echo "one line" >&4
	wait_until "[[ \$(queue_row $key) == '600 8 1' ]]"
	stop_bg "$SEND_PID" TERM
	exec 4>&-
	assert_eq 143 "$BG_STATUS" "status after SIGTERM"
	assert_match "interrupted: 1 line\(s\) sent" "$(cat send.log)"
	assert_eq "600 8 2" "$(queue_row "$key")" "the line and the end message"
	run -0 --separate-stderr t "$(prog msgq recv)"
	assert_eq "one line" "$output"
	assert_no_sysv "$key"
}

# A signal sent as soon as the readiness line is out must find the handler in
# place (installed before the line is printed), or the default action kills
# the program and leaves the queue. (One landing in the few instructions
# between the loop's check and the wait is caught only at the next message:
# the programs say so.)
@test "recv, send: SIGTERM right after the readiness line still cleans up" {
	key=$(ftok_key . $LG)
	send_reading
	recv_waiting
	kill -TERM "$RECV_PID"
	wait_bg "$RECV_PID"
	assert_eq 143 "$BG_STATUS" "recv's status after SIGTERM"
	assert_match "interrupted: removed queue" "$(cat recv.log)"
	assert_no_sysv "$key"
	stop_bg "$SEND_PID"
	exec 4>&-

	send_reading
	kill -TERM "$SEND_PID"
	wait_bg "$SEND_PID"
	exec 4>&-
	assert_eq 143 "$BG_STATUS" "send's status after SIGTERM"
	assert_match "interrupted: 0 line\(s\) sent" "$(cat send.log)"
	run -0 --separate-stderr t "$(prog msgq recv)" # only the end message
	assert_eq "" "$output"
	assert_no_sysv "$key"
}

@test "recv: after a SIGKILL the queue is left, and the next run reads and removes it" {
	key=$(ftok_key . $LG)
	send_reading
	recv_waiting
	stop_bg "$RECV_PID" KILL
	sysv_exists "$key" # SIGKILL cannot be caught: the queue stays
	echo "after the crash" >&4
	exec 4>&-
	wait_bg "$SEND_PID"
	assert_eq 0 "$BG_STATUS" "send's status"
	run -0 --separate-stderr t "$(prog msgq recv)"
	assert_eq "after the crash" "$output"
	assert_no_sysv "$key"
}

@test "send, recv: bad arguments and a missing key file" {
	run -2 --separate-stderr t "$(prog msgq send)" extra
	assert_usage
	run -2 --separate-stderr t "$(prog msgq recv)" -x
	assert_usage
	run -1 --separate-stderr t "$(prog msgq recv)" -k no-such-file
	assert_match "ftok no-such-file: No such file or directory" "$stderr"
	run -1 --separate-stderr t "$(prog msgq send)" -k no-such-file </dev/null
	assert_match "ftok no-such-file: No such file or directory" "$stderr"
	assert_no_sysv "$(ftok_key . $LG)"
}

# msg_types and msg_stat use a private queue (IPC_PRIVATE: key 0), found by
# the id they print.
assert_queue_id_gone() {
	[[ -n $1 ]] || { echo "no queue id printed" >&2; return 1; }
	if ipcs -q | awk -v id="$1" '$2 == id { found = 1 } END { exit !found }'; then
		echo "queue $1 was left behind" >&2
		return 1
	fi
}

@test "msg_types: type 0, a positive and a negative type select as msgrcv(2) defines" {
	run -0 --separate-stderr t "$(prog msgq msg_types)"
	# Filled with m1..m5 of types 3,1,2,1,3. 0: arrival order. 2: the type-2
	# messages only. -2: lowest type <= 2 first, oldest first within a type.
	assert_match "filled each time with: m1\(type 3\) m2\(type 1\) m3\(type 2\) m4\(type 1\) m5\(type 3\)" "$output"
	assert_eq "$(printf '%s\n' \
		'msgtyp 0 takes: m1(type 3) m2(type 1) m3(type 2) m4(type 1) m5(type 3); left: (none)' \
		'msgtyp 2 takes: m3(type 2); left: m1(type 3) m2(type 1) m4(type 1) m5(type 3)' \
		'msgtyp -2 takes: m2(type 1) m4(type 1) m3(type 2); left: m1(type 3) m5(type 3)')" \
		"$(grep '^msgtyp' <<<"$output")"
	assert_queue_id_gone "$(sed -n 's/^queue \([0-9][0-9]*\) filled.*/\1/p' <<<"$output")"
}

@test "msg_types: chosen types; a type nobody sent takes nothing" {
	run -0 --separate-stderr t "$(prog msgq msg_types)" -1 7 3 -100
	assert_eq "$(printf '%s\n' \
		'msgtyp -1 takes: m2(type 1) m4(type 1); left: m1(type 3) m3(type 2) m5(type 3)' \
		'msgtyp 7 takes: (none); left: m1(type 3) m2(type 1) m3(type 2) m4(type 1) m5(type 3)' \
		'msgtyp 3 takes: m1(type 3) m5(type 3); left: m2(type 1) m3(type 2) m4(type 1)' \
		'msgtyp -100 takes: m2(type 1) m4(type 1) m3(type 2) m1(type 3) m5(type 3); left: (none)')" \
		"$(grep '^msgtyp' <<<"$output")"
	assert_queue_id_gone "$(sed -n 's/^queue \([0-9][0-9]*\) filled.*/\1/p' <<<"$output")"
}

@test "msg_types: a msgtyp that is not a number gets usage and status 2" {
	local bad
	for bad in two 1x "" -s 99999999999999999999; do
		run -2 --separate-stderr t "$(prog msgq msg_types)" 0 "$bad"
		assert_usage
	done
}

@test "msg_stat: msqid_ds fields change with msgsnd, msgrcv and IPC_SET" {
	local mnb t0 t1 times
	mnb=$(cat /proc/sys/kernel/msgmnb) # a new queue's msg_qbytes
	t0=$(date +%s)
	start_bg stat.log "$(prog msgq msg_stat)"
	pid=$BG_PID
	wait_bg "$pid"
	t1=$(date +%s)
	assert_eq 0 "$BG_STATUS" "msg_stat's status"
	out=$(tr '\n' ' ' <stat.log)
	assert_match "after msgget: msg_perm.mode=600 msg_qnum=0 msg_cbytes=0 msg_qbytes=$mnb +msg_lspid=0 msg_lrpid=0 msg_stime=0 \(never\) msg_rtime=0 \(never\)" "$out"
	assert_match "after msgsnd: msg_perm.mode=600 msg_qnum=1 msg_cbytes=16 msg_qbytes=$mnb +msg_lspid=$pid msg_lrpid=0 msg_stime=[1-9][0-9]* msg_rtime=0 \(never\)" "$out"
	assert_match "after msgrcv: msg_perm.mode=600 msg_qnum=0 msg_cbytes=0 msg_qbytes=$mnb +msg_lspid=$pid msg_lrpid=$pid msg_stime=[1-9][0-9]* msg_rtime=[1-9][0-9]* " "$out"
	assert_match "after IPC_SET: msg_perm.mode=600 msg_qnum=0 msg_cbytes=0 msg_qbytes=64 " "$out"
	assert_match "msg_first, msg_last: SVR4 kernel pointers, not in Linux's struct" "$out"
	# Every time printed lies within the run: seconds since 1970, not garbage.
	times=$(grep -oE 'msg_[src]time=[1-9][0-9]*' stat.log | cut -d= -f2 | sort -n | uniq)
	assert_match '^[0-9]' "$times" "times printed"
	(($(head -n 1 <<<"$times") >= t0 && $(tail -n 1 <<<"$times") <= t1))
	assert_queue_id_gone "$(sed -n 's/^msgget: created queue \([0-9][0-9]*\)$/\1/p' stat.log)"
}

@test "msg_stat: EAGAIN from a full queue, ENOMSG from an empty one; the queue removed" {
	run -0 --separate-stderr t "$(prog msgq msg_stat)"
	fit=$((64 / 16)) # msg_qbytes after IPC_SET / bytes per message: exactly full
	assert_match "msgsnd IPC_NOWAIT: $fit message\(s\) of 16 bytes fit; the next one: EAGAIN" "$output"
	assert_match "msgrcv IPC_NOWAIT: $fit message\(s\) received; on the empty queue: ENOMSG" "$output"
	id=$(sed -n 's/^msgget: created queue \([0-9][0-9]*\)$/\1/p' <<<"$output")
	assert_match "IPC_RMID: removed queue $id\$" "$output"
	assert_queue_id_gone "$id"
}

@test "msg_stat: any argument gets usage and status 2" {
	run -2 --separate-stderr t "$(prog msgq msg_stat)" extra
	assert_usage
	run -2 --separate-stderr t "$(prog msgq msg_stat)" -b 64
	assert_usage
}

@test "posix_mq: messages come out highest priority first, oldest first within one" {
	mq_name
	run -0 --separate-stderr t "$(prog msgq posix_mq_send)" -p 1 "$name" low-a
	assert_match "created queue $name" "$output"
	run -0 --separate-stderr t "$(prog msgq posix_mq_send)" -p 7 "$name" top
	assert_match "joined existing queue $name" "$output"
	run -0 --separate-stderr t "$(prog msgq posix_mq_send)" -p 1 "$name" low-b "low c"
	run -0 --separate-stderr t "$(prog msgq posix_mq_send)" -p 3 "$name" mid
	run -0 --separate-stderr t "$(prog msgq posix_mq_recv)" "$name"
	assert_eq "$(printf '%s\n' 'priority 7: top' 'priority 3: mid' 'priority 1: low-a' \
		'priority 1: low-b' 'priority 1: low c')" "$output"
	assert_match "5 message\(s\); removed $name" "$stderr"
	assert_mq_gone "$name"
}

@test "posix_mq_send: a message over mq_msgsize is refused, not truncated" {
	mq_name
	run -1 --separate-stderr t "$(prog msgq posix_mq_send)" "$name" "$(printf '%0257d' 0)"
	assert_match "message 1 is 257 bytes, larger than the 256 bytes of $name's mq_msgsize: refused" "$stderr"
	assert_match "nothing sent: removed $name" "$stderr"
	assert_mq_gone "$name"
	# 256 bytes exactly fits and comes back whole.
	run -0 --separate-stderr t "$(prog msgq posix_mq_send)" "$name" "$(printf '%0256d' 7)"
	run -0 --separate-stderr t "$(prog msgq posix_mq_recv)" "$name"
	assert_eq "priority 0: $(printf '%0256d' 7)" "$output"
	assert_mq_gone "$name"
}

@test "posix_mq_send: a full queue is EAGAIN, not a hang" {
	mq_name
	run -1 --separate-stderr t "$(prog msgq posix_mq_send)" "$name" $(seq 1 11)
	assert_match "$name is full \(mq_maxmsg 10\)" "$stderr"
	run -0 --separate-stderr t "$(prog msgq posix_mq_recv)" "$name"
	assert_eq "$(seq 1 10 | sed 's/^/priority 0: /')" "$output"
	assert_mq_gone "$name"
}

@test "posix_mq_recv: an absent queue, another user's 0600 queue, and a reader gone (EPIPE) are errors" {
	mq_name
	run -1 --separate-stderr t "$(prog msgq posix_mq_recv)" "$name"
	assert_match "queue $name does not exist" "$stderr"
	run -0 --separate-stderr t "$(prog msgq posix_mq_send)" "$name" mine kept
	run -1 --separate-stderr t "${NOBODY[@]}" "$(prog msgq posix_mq_recv)" "$name"
	assert_match "mq_open $name: Permission denied" "$stderr"
	if command -v perl >/dev/null; then # perl makes the pipe without a reader
		run --separate-stderr t "${NO_READER[@]}" "$(prog msgq posix_mq_recv)" "$name"
		assert_match "stdout: message 1 is lost; the rest stay in $name" "$stderr" \
			"no word of the lost message: SIGPIPE not ignored? (status $status; 141 is a death by SIGPIPE)"
		assert_eq 1 "$status" "exit status"
		run -0 --separate-stderr t "$(prog msgq posix_mq_recv)" "$name"
		assert_eq "priority 0: kept" "$output" "what the next posix_mq_recv gets"
	else
		run -0 --separate-stderr t "$(prog msgq posix_mq_recv)" "$name"
		assert_eq "$(printf 'priority 0: %s\n' mine kept)" "$output"
	fi
	assert_mq_gone "$name"
}

@test "posix_mq_recv: control bytes from the sender are printed escaped, never raw" {
	mq_name
	run -0 --separate-stderr t "$(prog msgq posix_mq_send)" "$name" $'\e]0;owned\a\e[2J back\\slash'
	run -0 --separate-stderr t "$(prog msgq posix_mq_recv)" "$name"
	assert_eq 'priority 0: \x1b]0;owned\x07\x1b[2J back\x5cslash' "$output" \
		"the message, with ESC, BEL and backslash escaped"
	assert_mq_gone "$name"
}

@test "posix_mq_recv: a queue made with a larger mq_msgsize is read whole (the buffer comes from mq_getattr)" {
	command -v python3 >/dev/null || skip "python3 makes the queue with its own mq_msgsize here"
	mq_name
	python3 - "$name" <<-'EOF' || skip "python3 could not call mq_open: $(python3 -V 2>&1)"
		import ctypes, ctypes.util, os, sys
		lib = ctypes.CDLL(ctypes.util.find_library("rt") or ctypes.util.find_library("c"), use_errno=True)
		class Attr(ctypes.Structure):
		    _fields_ = [("flags", ctypes.c_long), ("maxmsg", ctypes.c_long),
		                ("msgsize", ctypes.c_long), ("curmsgs", ctypes.c_long),
		                ("pad", ctypes.c_long * 4)]
		attr = Attr(0, 4, 1024, 0)
		mqd = lib.mq_open(sys.argv[1].encode(), os.O_WRONLY | os.O_CREAT | os.O_EXCL,
		                  0o600, ctypes.byref(attr))
		sys.exit(0 if mqd >= 0 and lib.mq_close(mqd) == 0 else 1)
	EOF
	long=$(printf '%01000d' 5)
	run -0 --separate-stderr t "$(prog msgq posix_mq_send)" "$name" "$long"
	assert_match "joined existing queue $name" "$output"
	run -0 --separate-stderr t "$(prog msgq posix_mq_recv)" "$name"
	assert_eq "priority 0: $long" "$output" "the 1000-byte message"
	assert_mq_gone "$name"
}

@test "posix_mq_send: -p 32767 (MQ_PRIO_MAX - 1) is the highest priority; 32768 gets usage" {
	mq_name
	run -0 --separate-stderr t "$(prog msgq posix_mq_send)" -p 32767 "$name" top
	run -2 --separate-stderr t "$(prog msgq posix_mq_send)" -p 32768 "$name" over
	assert_usage
	run -0 --separate-stderr t "$(prog msgq posix_mq_recv)" "$name"
	assert_eq "priority 32767: top" "$output"
	assert_mq_gone "$name"
}

@test "posix_mq_send, posix_mq_recv: bad arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog msgq posix_mq_send)" /only-a-name
	assert_usage
	run -2 --separate-stderr t "$(prog msgq posix_mq_send)" no-slash text
	assert_usage
	run -2 --separate-stderr t "$(prog msgq posix_mq_send)" -p -1 /q text
	assert_usage
	run -2 --separate-stderr t "$(prog msgq posix_mq_recv)" /a/b
	assert_usage
	run -2 --separate-stderr t "$(prog msgq posix_mq_recv)"
	assert_usage
}

@test "every msgq program: -h, --help and junk arguments get usage and status 2, and make nothing" {
	local p a path
	mkdir empty && cd empty
	for p in msgq1 msgq2 send recv msg_types msg_stat posix_mq_send posix_mq_recv \
		msgq_server msgq_client mq_notify; do
		path=$(prog msgq "$p")
		for a in -h --help "j1 j2 j3 j4 j5 j6 j7 j8"; do
			# shellcheck disable=SC2086 # the junk is eight words
			quick_run -2 "$path" $a </dev/null
			assert_match "^usage: $p( |\$)" "$stderr" "$p $a: stderr"
			assert_eq "" "$output" "$p $a: stdout"
		done
	done
	assert_eq "" "$(ls -A)" "files left in the directory"
	assert_no_sysv "$(ftok_key . $KHU)"
	assert_no_sysv "$(ftok_key . $LG)"
}

# --- msgq_server / msgq_client (beyond: UNP vol. 2, 6.7; TLPI 46.8) ---

# server_up -- start msgq_server in the background; sets SRV_PID once it serves.
server_up() {
	start_bg server.log "$(prog msgq msgq_server)"
	SRV_PID=$BG_PID
	wait_for_line server.log "serving$"
}

@test "msgq_server/msgq_client: a client gets its own request back in capitals, the longest (256 bytes) too" {
	key=$(ftok_key . $SRV)
	server_up
	assert_match "queue [0-9]+ \(key $key\): serving" "$(cat server.log)"
	run -0 --separate-stderr t "$(prog msgq msgq_client)" "hello, queue 1"
	assert_eq "HELLO, QUEUE 1" "$output"
	assert_eq "" "$stderr" "stderr"
	assert_match "answered pid [0-9]+ \(14 bytes\)" "$(cat server.log)"
	printf -v long '%0256d' 0
	long=${long//0/q}
	run --separate-stderr t "$(prog msgq msgq_client)" "$long"
	assert_eq "${long^^}" "$output" \
		"the reply to a 256-byte text, the largest a request carries (a limit checked with >= for >?)"
	assert_eq 0 "$status" "msgq_client's status"
	assert_match "answered pid [0-9]+ \(256 bytes\)" "$(cat server.log)"
	stop_bg "$SRV_PID" TERM
	assert_eq 143 "$BG_STATUS" "the server's status after SIGTERM"
	assert_match "stopped by signal 15: removed queue" "$(cat server.log)"
	assert_no_sysv "$key"
}

@test "msgq_server: 16 clients at once, each gets its own answer (replies by mtype = pid)" {
	key=$(ftok_key . $SRV)
	server_up
	local pids=()
	for i in $(seq 1 16); do
		t "$(prog msgq msgq_client)" "client number $i" >"c$i.out" 2>"c$i.err" &
		pids+=($!)
	done
	wait "${pids[@]}" # not a bare wait: the server is a background job too
	for i in $(seq 1 16); do
		assert_eq "CLIENT NUMBER $i" "$(cat "c$i.out")" "client $i's reply ($(cat "c$i.err"))"
	done
	stop_bg "$SRV_PID" TERM
	assert_no_sysv "$key"
}

@test "msgq_server: requests too long, too short or with no client's pid are dropped; it serves on" {
	key=$(ftok_key . $SRV)
	server_up
	foreign_msg "$key" 1 "$(printf '%01000d' 0)"    # no E2BIG stall: MSG_NOERROR
	foreign_msg "$key" 1 "short"                    # not even a pid and a seq
	perl -e 'my $id = msgget(hex($ARGV[0]), 0) // die "msgget: $!\n";
		msgsnd($id, pack("l! l! l! a*", 1, 0, 7, "x"), 0) or die "msgsnd: $!\n"' "$key" # pid 0
	wait_until "[[ \$(grep -c 'dropped' server.log) == 3 ]]"
	run -0 --separate-stderr t "$(prog msgq msgq_client)" "still here"
	assert_eq "STILL HERE" "$output"
	assert_match "a request of [0-9]+ bytes dropped: longer than the largest request" "$(cat server.log)"
	assert_match "a request of 5 bytes dropped: shorter than a pid and a seq" "$(cat server.log)"
	assert_match "a request of [0-9]+ bytes dropped: no client's pid" "$(cat server.log)"
	stop_bg "$SRV_PID" TERM
	assert_no_sysv "$key"
}

@test "msgq_client: a stale reply left for its pid is dropped; it takes the one with its seq" {
	command -v perl >/dev/null || skip "perl leaves the stale reply here"
	key=$(ftok_key . $SRV)
	server_up
	# bash -c's $$ is the pid that execs the client: a reply for it waits already.
	run -0 --separate-stderr t bash -c 'perl -e "my \$id = msgget(hex(\$ARGV[0]), 0) // die;
		msgsnd(\$id, pack(q(l! l! a*), \$ARGV[1], 12345, q(OLD)), 0) or die" "$1" $$ &&
		exec "$0" fresh' "$(prog msgq msgq_client)" "$key"
	assert_eq "FRESH" "$output"
	assert_match "stale or malformed reply .*seq 12345.*dropped" "$stderr"
	stop_bg "$SRV_PID" TERM
	assert_no_sysv "$key"
}

@test "msgq_client: no server, or a server killed with SIGKILL: said, never a hang; a new server starts clean" {
	key=$(ftok_key . $SRV)
	run -1 --separate-stderr t "$(prog msgq msgq_client)" hello
	assert_match "no queue for key $key .*is msgq_server running\?" "$stderr"
	assert_no_sysv "$key"
	server_up
	stop_bg "$SRV_PID" KILL # its queue stays, and nobody answers
	sysv_exists "$key"
	run -1 --separate-stderr t "$(prog msgq msgq_client)" -t 1 hello
	assert_match "no reply within 1 s" "$stderr"
	server_up # takes over the queue the killed one left
	assert_match "removed queue [0-9]+, left by an earlier server" "$(cat server.log)"
	run -0 --separate-stderr t "$(prog msgq msgq_client)" ok
	assert_eq "OK" "$output"
	stop_bg "$SRV_PID" TERM
	assert_no_sysv "$key"
}

@test "msgq_client: the queue removed while it waits (EIDRM): it says the server has stopped" {
	command -v perl >/dev/null || skip "perl makes a queue nobody serves here"
	key=$(ftok_key . $SRV)
	perl -e 'msgget(hex($ARGV[0]), 01000 | 0600) // die "msgget: $!\n"' "$key"
	start_bg client.log "$(prog msgq msgq_client)" -t 20 hello
	CLIENT_PID=$BG_PID
	wait_until "[[ \$(queue_row $key) == '600 '*' 1' ]]" # its request is in
	wait_asleep "$CLIENT_PID"
	ipcrm -Q "$key"
	wait_bg "$CLIENT_PID"
	assert_eq 1 "$BG_STATUS" "the client's status"
	assert_match "queue [0-9]+ was removed while we waited: the server has stopped" "$(cat client.log)"
}

@test "msgq_server, msgq_client: bad arguments, a text over 256 bytes" {
	run -2 --separate-stderr t "$(prog msgq msgq_server)" extra
	assert_usage
	run -2 --separate-stderr t "$(prog msgq msgq_client)"
	assert_usage
	run -2 --separate-stderr t "$(prog msgq msgq_client)" -t 0 x
	assert_usage
	run -2 --separate-stderr t "$(prog msgq msgq_client)" -t 3601 x
	assert_usage
	run -1 --separate-stderr t "$(prog msgq msgq_client)" "$(printf '%0257d' 0)"
	assert_match "257 bytes, more than the 256" "$stderr"
	run -1 --separate-stderr t "$(prog msgq msgq_server)" -k no-such-file
	assert_match "ftok no-such-file" "$stderr"
	assert_no_sysv "$(ftok_key . $SRV)"
}

# --- mq_notify (beyond: TLPI 52.6) ---

# notify_up NAME ARGS... -- start mq_notify ARGS NAME in the background; sets
# NOTIFY_PID once it waits.
notify_up() {
	local q=$1
	shift
	start_bg notify.log "$(prog msgq mq_notify)" "$@" "$q"
	NOTIFY_PID=$BG_PID
	wait_for_line notify.log "^mq_notify: (made|opened) .*: waiting"
}

# send_and_see NAME TEXT... -- posix_mq_send each TEXT to NAME at once, then
# wait until mq_notify has printed them all.
send_and_see() {
	local q=$1 text
	shift
	t "$(prog msgq posix_mq_send)" "$q" "$@" >/dev/null
	for text in "$@"; do
		wait_for_line notify.log "^priority 0: $text\$"
	done
}

@test "mq_notify: by signal: told each time the queue gets messages, and every one is taken" {
	local m
	for m in signal thread; do
		mq_name
		notify_up "$name" -m "$m" -w 20
		assert_match "made $name" "$(cat notify.log)"
		send_and_see "$name" one
		# Two at once: one notification, and both must be read (drained).
		send_and_see "$name" two three
		# A third: only if the registration was renewed after the first.
		send_and_see "$name" four
		stop_bg "$NOTIFY_PID" TERM
		assert_eq 143 "$BG_STATUS" "-m $m: status after SIGTERM"
		assert_match "stopped by a signal: 4 message\(s\); removed the queue" "$(cat notify.log)"
		if [[ $m == signal ]]; then
			assert_match "notified by SIGUSR1: a message from pid [1-9][0-9]*" "$(cat notify.log)"
		else
			assert_match "notified in a new thread" "$(cat notify.log)"
		fi
		assert_mq_gone "$name"
	done
}

@test "mq_notify: messages already there are taken at the start (no notification comes for them)" {
	mq_name
	run -0 --separate-stderr t "$(prog msgq posix_mq_send)" "$name" early bird
	run -0 --separate-stderr t "$(prog msgq mq_notify)" -w 1 "$name"
	assert_match "opened $name" "$output"
	assert_match $'priority 0: early\npriority 0: bird' "$output"
	assert_match "no message for a while: 2 message\(s\)$" "$output" "the queue is posix_mq_send's: left"
	run -0 --separate-stderr t "$(prog msgq posix_mq_recv)" "$name"
	assert_mq_gone "$name"
}

@test "mq_notify: a second process on the same queue gets EBUSY" {
	mq_name
	notify_up "$name" -w 20
	run -1 --separate-stderr t "$(prog msgq mq_notify)" "$name"
	assert_match "another process is registered for $name: only one may be \(EBUSY\)" "$stderr"
	stop_bg "$NOTIFY_PID" TERM
	assert_mq_gone "$name"
}

@test "mq_notify: -m timed: mq_timedreceive waits its whole time (an absolute deadline), then ends" {
	local t0 t1
	mq_name
	t0=$(date +%s%N)
	run -0 --separate-stderr t "$(prog msgq mq_notify)" -m timed -w 1 "$name"
	t1=$(date +%s%N)
	assert_match "no message for a while: 0 message\(s\); removed the queue" "$output"
	(((t1 - t0) >= 900000000)) || {
		echo "ended after $(((t1 - t0) / 1000000)) ms, not 1 s: was the deadline given as a relative time?" >&2
		return 1
	}
	assert_mq_gone "$name"
}

@test "mq_notify: -m timed prints what comes, and SIGTERM ends it and removes the queue" {
	mq_name
	notify_up "$name" -m timed -w 20
	t "$(prog msgq posix_mq_send)" "$name" $'tab\there' >/dev/null
	wait_for_line notify.log '^priority 0: tab\\x09here$' # the tab escaped
	stop_bg "$NOTIFY_PID" TERM
	assert_eq 143 "$BG_STATUS" "status after SIGTERM"
	assert_mq_gone "$name"
}

@test "mq_notify: -w 1 with nothing sent ends by itself and removes its queue" {
	mq_name
	run -0 --separate-stderr t "$(prog msgq mq_notify)" -w 1 "$name"
	assert_match "no message for a while: 0 message\(s\); removed the queue" "$output"
	assert_mq_gone "$name"
}

@test "mq_notify: bad mode, seconds or name get usage" {
	local bad
	for bad in "-m poll /q" "-w 0 /q" "-w 3601 /q" "-w x /q" "noslash" "/a/b" "/q extra"; do
		# shellcheck disable=SC2086 # the words of bad are the arguments
		run -2 --separate-stderr t "$(prog msgq mq_notify)" $bad
		assert_usage
	done
}
