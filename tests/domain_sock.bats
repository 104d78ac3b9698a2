#!/usr/bin/env bats
# tests/domain_sock.bats -- domain_sock/: UNIX domain sockets, through each
# program's command line. Socket paths are relative to the test directory (the
# current directory), because sun_path holds 108 bytes. The hostile (or raw)
# peer is domain_sock/rawclient, which sends its stdin as it is, as `nc -U` would.
load helpers

setup() { lab_setup; }
teardown() { lab_teardown; }

ds() { prog domain_sock "$1"; }
HELLO="hello from a client" # what client and dgram_client send by default
REPLY="message from server: hello from server" # what client prints, from server

# start_server LOG NAME ARGS... -- start a domain_sock server in the background
# and wait for its readiness line. Sets BG_PID.
start_server() {
	local log=$1 name=$2
	shift 2
	start_bg "$log" "$(ds "$name")" "$@"
	wait_for_line "$log" '^listening on '
}

# serve_cmd NAME PATH -- SERVE=(the command line of server NAME on PATH).
serve_cmd() {
	SERVE=("$(ds "$1")" "$2")
	[[ $1 != fd_send ]] || SERVE+=(data.txt)
}

# no_children PID -- wait until PID has no child left, zombie or not.
no_children() {
	wait_until "[[ -z \$(ps -o pid= --ppid $1) ]]"
}

# frame TEXT -- TEXT as the programs frame it: 4-byte big-endian length, then TEXT.
frame() {
	local n=${#1}
	printf "\\x$(printf %02x $((n >> 24 & 255)))\\x$(printf %02x $((n >> 16 & 255)))"
	printf "\\x$(printf %02x $((n >> 8 & 255)))\\x$(printf %02x $((n & 255)))%s" "$1"
}

# "${NOBODY[@]}" CMD... -- CMD as uid/gid 65534 (setpriv execs it: same pid).
# need_nobody skips the test where that cannot work.
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
need_nobody() {
	[[ $(id -u) == 0 ]] || skip "needs root to switch to uid 65534"
	command -v setpriv >/dev/null || skip "needs setpriv (util-linux)"
	chmod 711 . # nobody may reach the socket and run from here, not list
	local status=0
	"${NOBODY[@]}" "$(ds client)" -t x 2>/dev/null || status=$?
	((status == 2)) || skip "uid 65534 cannot run the programs under $BIN_DIR"
}

# fake_server PATH SCRIPT -- a stand-in server played by socat: for each client,
# sh runs SCRIPT with the connection as its stdin and stdout. Skips without
# socat. Sets BG_PID.
fake_server() {
	command -v socat >/dev/null || skip "needs socat"
	printf '%s\n' "$2" >"$1.sh"
	start_bg fake.log socat "UNIX-LISTEN:$1,fork" "EXEC:sh $1.sh"
	wait_for_file "$1"
}

# gone_or_zombie PID -- true once PID has ended (a zombie nobody reaped counts).
gone_or_zombie() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	stat=${stat##*) }
	[[ ${stat%% *} == Z ]]
}

# --- server / client (SYS) ---------------------------------------------------

@test "server/client: the client gets the reply, the server prints the message" {
	start_server srv.log server s.sock
	local srv=$BG_PID
	assert_eq "srw-------" "$(stat -c %A s.sock)" "socket file mode"
	run -0 --separate-stderr t "$(ds client)" s.sock "good morning"
	assert_eq "$REPLY" "$output"
	assert_eq "" "$stderr" "stderr"
	run -0 --separate-stderr t "$(ds client)" s.sock
	assert_eq "$REPLY" "$output"
	wait_for_line srv.log '^message from client: hello from a client$'
	grep -qx 'message from client: good morning' srv.log
	stop_bg "$srv"
	assert_eq 0 "$BG_STATUS" "server status after SIGTERM"
	assert_match 'server stopped, socket file removed' "$(cat srv.log)"
	assert_gone s.sock
}

@test "server: a raw stream client talks to it as client does (a line, then the reply)" {
	start_server srv.log server s.sock
	local srv=$BG_PID
	run -0 --separate-stderr t "$(ds rawclient)" -r s.sock <<<"raw line"
	assert_eq "hello from server" "$output"
	# The client's end of writing ends a message that has no newline.
	printf 'no newline' >cut
	run -0 --separate-stderr t "$(ds rawclient)" -r s.sock <cut
	assert_eq "hello from server" "$output"
	wait_for_line srv.log '^message from client: no newline$'
	grep -qx 'message from client: raw line' srv.log
	if command -v socat >/dev/null; then
		run -0 t socat - UNIX-CONNECT:s.sock <<<"from socat"
		assert_eq "hello from server" "$output"
	fi
	stop_bg "$srv"
	assert_gone s.sock
}

@test "server: SIGINT stops it cleanly too" {
	start_server srv.log server s.sock
	stop_bg "$BG_PID" INT
	assert_eq 0 "$BG_STATUS" "server status after SIGINT"
	assert_gone s.sock
}

@test "server: 50 clients at once each get their reply, and no zombie is left" {
	start_server srv.log server s.sock
	local srv=$BG_PID pids=() i failed=0 client out
	client=$(ds client)
	for i in $(seq 1 50); do
		t "$client" s.sock "client $i" >"out.$i" 2>&1 &
		pids+=("$!")
	done
	for i in "${pids[@]}"; do
		wait "$i" || failed=$((failed + 1))
	done
	assert_eq 0 "$failed" "clients that failed"
	for i in $(seq 1 50); do
		lab_read out "out.$i"
		assert_eq "$REPLY" "$out" "output of client $i"
	done
	assert_eq 50 "$(grep '^message from client: client [0-9]*$' srv.log | sort -u | wc -l)" \
		"different messages printed"
	no_children "$srv"
	stop_bg "$srv"
	assert_eq 0 "$BG_STATUS"
	assert_gone s.sock
}

@test "server: a silent client holds only its own child; garbage and long lines are survived" {
	start_server srv.log server s.sock
	local srv=$BG_PID
	start_bg silent.log "$(ds rawclient)" -w 30 s.sock </dev/null # connects, says nothing
	local silent=$BG_PID
	wait_for_line silent.log '^sent 0 bytes, silent'
	run -0 --separate-stderr t "$(ds client)" s.sock "not held up"
	assert_eq "$REPLY" "$output"
	printf 'GET / HTTP/1.0\r\n\r\n' >garbage
	run -0 t "$(ds rawclient)" -r s.sock <garbage
	assert_eq "hello from server" "$output"
	printf '%*s' 256 x >long # one byte over MESSAGE_MAX, and no newline
	run -0 t "$(ds rawclient)" s.sock <long
	wait_for_line srv.log "a client's message: too long"
	stop_bg "$silent"
	wait_for_line srv.log "a client's message: none" # its child ends as it leaves
	no_children "$srv"
	run -0 --separate-stderr t "$(ds client)" s.sock "still there?"
	assert_eq "$REPLY" "$output"
	stop_bg "$srv"
	assert_eq 0 "$BG_STATUS"
	assert_gone s.sock
}

@test "server: a client gone before its reply costs its child a warning, not a SIGPIPE death" {
	start_server srv.log server s.sock
	local srv=$BG_PID i
	# Sent, then closed at once: the child's write() finds the client gone.
	# (Rarely the reply leaves first; a few tries make the EPIPE certain.)
	for i in 1 2 3 4 5; do
		printf 'bye %s\n' "$i" | t "$(ds rawclient)" s.sock
		wait_for_line srv.log "^message from client: bye $i\$"
		no_children "$srv"
		grep -q 'write: Broken pipe' srv.log && break
	done
	assert_match 'server: write: Broken pipe' "$(cat srv.log)"
	stop_bg "$srv"
	assert_gone s.sock
}

@test "server, client: control bytes from the peer are shown as '?', never printed raw" {
	start_server srv.log server s.sock
	run -0 --separate-stderr t "$(ds client)" s.sock $'bell\a esc\e[31m'
	wait_for_line srv.log '^message from client: bell'
	assert_eq 'message from client: bell? esc?[31m' "$(grep '^message from client: bell' srv.log)"
	stop_bg "$BG_PID"
	fake_server f.sock $'read line; printf \'evil\\033]0;title\\007reply\\n\''
	run -0 --separate-stderr t "$(ds client)" f.sock
	assert_eq 'message from server: evil?]0;title?reply' "$output"
}

@test "client: reads the reply until the server closes: a reply in two pieces arrives whole" {
	# The second piece comes 0.5 s after the first: one read() gets only "hello".
	fake_server f.sock 'read line; printf hello; sleep 0.5; printf " from server\n"'
	run -0 --separate-stderr t "$(ds client)" f.sock
	assert_eq "$REPLY" "$output" "what the client printed (one read() is not the whole reply)"
}

@test "client: a server killed before its reply: status 1 and why, never a hang" {
	fake_server f.sock 'read line; echo "got $line" >>got.log; exec sleep 60'
	local fake=$BG_PID
	start_bg client.log "$(ds client)" f.sock
	local client=$BG_PID
	wait_for_line got.log '^got hello from a client$'
	stop_bg "$fake" KILL # socat and the shell that serves this client
	wait_bg "$client"
	assert_eq 1 "$BG_STATUS" "the client's status"
	assert_match '^client: (the server closed the connection without a reply|read: Connection reset by peer)$' \
		"$(cat client.log)"
}

@test "server: a stale socket (SIGKILL) refuses clients; the next server replaces it" {
	start_server srv.log server s.sock
	stop_bg "$BG_PID" KILL
	[[ -S s.sock ]] # left behind: SIGKILL cannot be caught
	run -1 --separate-stderr t "$(ds client)" s.sock
	assert_match 'connect s.sock: Connection refused' "$stderr"
	start_server srv2.log server s.sock
	local srv=$BG_PID
	assert_match 'removed stale socket s.sock' "$(cat srv2.log)"
	run -0 --separate-stderr t "$(ds client)" s.sock again
	assert_eq "$REPLY" "$output"
	stop_bg "$srv"
	assert_gone s.sock
}

@test "server: a child keeps no copy of the listening socket: with the parent killed, a new server starts" {
	start_server srv.log server s.sock
	local srv=$BG_PID child
	start_bg silent.log "$(ds rawclient)" -w 30 s.sock </dev/null # its child waits on it
	wait_for_line silent.log '^sent 0 bytes, silent'
	wait_until "[[ -n \$(ps -o pid= --ppid $srv) ]]"
	child=$(ps -o pid= --ppid "$srv" | tr -d ' ')
	kill -KILL "$srv" # the parent alone: its child serves on
	kill -0 "$child"
	# A child that kept the listener would still take connections there.
	start_bg srv2.log "$(ds server)" s.sock
	wait_for_line srv2.log '^listening on s.sock$|already running' ||
		{ echo "the second server said nothing" >&2; false; }
	assert_match 'removed stale socket s.sock' "$(cat srv2.log)" \
		"the new server's log (\"already running\": the child still holds the listening socket)"
	run -0 --separate-stderr t "$(ds client)" s.sock "to the new one"
	assert_eq "$REPLY" "$output"
	kill -KILL "$child" 2>/dev/null || true
}

@test "server: a path with a live server is refused, and the live server keeps serving" {
	start_server srv.log server s.sock
	local srv=$BG_PID
	run -1 --separate-stderr t "$(ds server)" s.sock
	assert_match 's.sock: a server is already running there' "$stderr"
	assert_eq "" "$output"
	run -0 --separate-stderr t "$(ds client)" s.sock
	assert_eq "$REPLY" "$output"
	stop_bg "$srv"
	assert_gone s.sock
}

@test "client: bad arguments get usage; no server or a message too long is an error" {
	run -2 --separate-stderr t "$(ds client)"
	assert_usage
	run -2 --separate-stderr t "$(ds client)" -t s.sock
	assert_usage
	run -2 --separate-stderr t "$(ds client)" a b c
	assert_usage
	run -1 --separate-stderr t "$(ds client)" nothere.sock
	assert_match 'connect nothere.sock: No such file or directory' "$stderr"
	run -1 --separate-stderr t "$(ds client)" s.sock "$(printf '%*s' 256 x)"
	assert_match 'message too long: 256 bytes, at most 255' "$stderr"
	assert_eq "" "$output"
	run -1 --separate-stderr t "$(ds client)" s.sock $'two\nlines'
	assert_match 'a message is one line' "$stderr"
	# 255 bytes, the most a message holds, arrive whole.
	start_server srv.log server s.sock
	local max
	max=$(printf '%*s' 255 x | tr ' ' m)
	run -0 --separate-stderr t "$(ds client)" s.sock "$max"
	assert_eq "$REPLY" "$output"
	wait_for_line srv.log "^message from client: $max\$"
	stop_bg "$BG_PID"
}

@test "server: bad arguments get usage and status 2" {
	run -2 --separate-stderr t "$(ds server)"
	assert_usage
	run -2 --separate-stderr t "$(ds server)" -t 0 s.sock
	assert_usage
	run -2 --separate-stderr t "$(ds server)" a.sock b.sock
	assert_usage
	assert_gone a.sock b.sock
}

# --- every server --------------------------------------------------------------

@test "every server: a live server's path is refused; a stale one is replaced" {
	echo "some data" >data.txt
	local name
	for name in server socket_server dgram_server fd_send peercred memfd_send; do
		serve_cmd "$name" s.sock
		start_bg "$name.log" "${SERVE[@]}"
		wait_for_line "$name.log" '^listening on s.sock$'
		run -1 --separate-stderr t "${SERVE[@]}"
		assert_match 'a server is already running there' "$stderr" "$name's stderr"
		stop_bg "$BG_PID" KILL
		[[ -S s.sock ]]
		start_bg "$name.2.log" "${SERVE[@]}"
		wait_for_line "$name.2.log" '^listening on s.sock$'
		assert_match 'removed stale socket s.sock' "$(cat "$name.2.log")" "$name's log"
		stop_bg "$BG_PID"
		assert_eq 0 "$BG_STATUS" "$name's status after SIGTERM"
		assert_gone s.sock
	done
}

# Sent at once, SIGTERM may come before the server waits: every server here
# removes its socket file and ends in the handler itself, so there is no window.
@test "every server: SIGTERM right after the readiness line stops it and removes its socket" {
	echo "some data" >data.txt
	local name
	for name in server socket_server dgram_server fd_send peercred memfd_send; do
		serve_cmd "$name" s.sock
		start_bg "$name.log" "${SERVE[@]}"
		wait_for_line "$name.log" '^listening on s.sock$'
		kill -TERM "$BG_PID"
		wait_bg "$BG_PID"
		assert_eq 0 "$BG_STATUS" "$name's status after SIGTERM"
		assert_match 'stopped.*removed' "$(cat "$name.log")" "$name's log"
		assert_gone s.sock
	done
}

@test "every server: a path that is not a socket is never removed" {
	echo "some data" >data.txt
	local name
	for name in server socket_server dgram_server fd_send peercred memfd_send; do
		echo precious >s.sock
		serve_cmd "$name" s.sock
		run -1 --separate-stderr t "${SERVE[@]}"
		assert_match 's.sock exists and is not a socket: not removing it' "$stderr" \
			"$name's stderr"
		assert_eq precious "$(cat s.sock)" "the file after $name"
	done
	rm s.sock
}

@test "every client: a FIFO or a directory where a socket should be is refused at once, and left alone" {
	mkfifo p.fifo
	mkdir d.dir
	local cmd path
	for path in p.fifo d.dir; do
		while read -r -a cmd; do
			run -1 --separate-stderr t "$(ds "${cmd[0]}")" "${cmd[@]:1}" "$path" </dev/null
			assert_match "connect $path: Connection refused" "$stderr" "${cmd[0]}'s stderr"
		done <<-EOF
			client
			socket_client
			fd_recv
			memfd_recv
			dgram_client -b me.sock
			rawclient
		EOF
	done
	run -1 --separate-stderr t "$(ds dgram_client)" -b p.fifo d.dir # its own address
	assert_match "bind p.fifo: $(err_re EADDRINUSE)" "$stderr"
	[[ -p p.fifo && -d d.dir ]] || { echo "a FIFO or directory was removed" >&2; false; }
	assert_gone me.sock
}

@test "every program: a socket path longer than sun_path is refused, nothing created" {
	local long108 long107
	long108=$(printf 'p%.0s' {1..108}) # sun_path is 108 bytes: no room for the NUL
	long107=${long108:1}
	echo "some data" >data.txt
	local cmd
	while read -r -a cmd; do
		run -1 --separate-stderr t "$(ds "${cmd[0]}")" "${cmd[@]:1}"
		assert_match "socket path too long: 108 bytes" "$stderr" "${cmd[0]}'s stderr"
		assert_eq "" "$output" "${cmd[0]}'s stdout"
	done <<-EOF
		server $long108
		client $long108
		socket_server $long108
		socket_client $long108 hi
		dgram_server $long108
		dgram_client $long108
		dgram_client -b $long108 d.sock
		memfd_send $long108
		memfd_recv $long108
		fd_send $long108 data.txt
		fd_recv $long108
		peercred $long108
		rawclient $long108
	EOF
	assert_gone "$long108"
	# 107 bytes and the NUL fit exactly.
	start_server srv.log server "$long107"
	run -0 --separate-stderr t "$(ds client)" "$long107" edge
	assert_eq "$REPLY" "$output"
	stop_bg "$BG_PID"
	assert_gone "$long107"
}

# --- socket_server / socket_client (ALP) ---------------------------------------

@test "socket_server: prints every text, in order, until a client sends quit" {
	start_server srv.log socket_server s.sock
	local srv=$BG_PID
	run -0 --separate-stderr t "$(ds socket_client)" s.sock "first text"
	assert_eq "" "$output$stderr" "socket_client's output"
	printf 'second\nquitter\nthird\n' >lines # only "quit" itself stops it
	run -0 t "$(ds socket_client)" s.sock <lines
	run -0 t "$(ds socket_client)" s.sock quit
	wait_bg "$srv"
	assert_eq 0 "$BG_STATUS" "status after quit"
	# Printed before it is compared, as ALP's server does (it frees it first).
	assert_eq "$(printf '%s\n' 'listening on s.sock' 'first text' second quitter third quit \
		'quit received, s.sock removed')" "$(cat srv.log)" "server output"
	assert_gone s.sock
}

@test "socket_server: one client at a time: a silent client holds up the next until it leaves" {
	start_server srv.log socket_server s.sock
	local srv=$BG_PID
	start_bg silent.log "$(ds rawclient)" -w 30 s.sock </dev/null # connects, says nothing
	local silent=$BG_PID
	wait_for_line silent.log '^sent 0 bytes, silent'
	# Sent (the listen queue takes it), but not printed while the silent one is served.
	run -0 t "$(ds socket_client)" s.sock "held up"
	run ! wait_for_line srv.log '^held up$' 1
	stop_bg "$silent"
	wait_for_line srv.log '^held up$'
	run -0 t "$(ds socket_client)" s.sock quit
	wait_bg "$srv"
	assert_gone s.sock
}

@test "socket_server: a text split in pieces is one text; garbage and cut messages are survived" {
	start_server srv.log socket_server s.sock
	local srv=$BG_PID
	{ frame "first "; frame "and second"; } >two
	run -0 t "$(ds rawclient)" s.sock <two
	wait_for_line srv.log '^and second$'
	printf 'GET / HTTP/1.0\r\n\r\n' >garbage
	printf '\0\0\0\x10abc' >cut # says 16 bytes, sends 3, leaves
	run -0 t "$(ds rawclient)" s.sock <garbage
	run -0 t "$(ds rawclient)" s.sock <cut
	run -0 t "$(ds socket_client)" s.sock "still serving"
	wait_for_line srv.log '^still serving$'
	grep -qx 'first ' srv.log
	assert_match 'length prefix too large' "$(cat srv.log)"
	assert_match 'closed in the middle of a message' "$(cat srv.log)"
	run -0 t "$(ds socket_client)" s.sock quit
	wait_bg "$srv"
	assert_eq 0 "$BG_STATUS"
	assert_gone s.sock
}

@test "socket_server, socket_client: a text of 4096 bytes is the longest either takes; one more is refused" {
	start_server srv.log socket_server s.sock
	local srv=$BG_PID max
	max=$(printf '%*s' 4096 '' | tr ' ' t)
	run -0 --separate-stderr t "$(ds socket_client)" s.sock "$max"
	wait_for_line srv.log "^$max\$"
	run -1 --separate-stderr t "$(ds socket_client)" s.sock "${max}t"
	assert_eq "socket_client: text too long: 4097 bytes, at most 4096" "$stderr"
	frame "${max}t" >over # what a client that does not check would send
	run -0 t "$(ds rawclient)" s.sock <over
	wait_for_line srv.log 'length prefix too large'
	run ! grep -q "^${max}t\$" srv.log
	run -0 t "$(ds socket_client)" s.sock quit
	wait_bg "$srv"
	assert_gone s.sock
}

@test "socket_server: control bytes in a text are printed as '?', never raw" {
	start_server srv.log socket_server s.sock
	local srv=$BG_PID
	run -0 t "$(ds socket_client)" s.sock $'bell\a esc\e[31m'
	wait_for_line srv.log '^bell'
	assert_eq 'bell? esc?[31m' "$(grep '^bell' srv.log)"
	run -0 t "$(ds socket_client)" s.sock quit
	wait_bg "$srv"
}

@test "socket_client: a server killed while it sends: status 1 and EPIPE, never a SIGPIPE death" {
	start_server srv.log socket_server s.sock
	local srv=$BG_PID
	mkfifo lines.fifo
	start_bg client.log bash -c 'exec "$1" s.sock <lines.fifo' _ "$(ds socket_client)"
	local client=$BG_PID
	exec {w}>lines.fifo
	echo first >&"$w"
	wait_for_line srv.log '^first$'
	stop_bg "$srv" KILL
	echo second >&"$w" # written to a socket whose reader is gone
	exec {w}>&-
	wait_bg "$client"
	assert_eq 1 "$BG_STATUS" "socket_client's status (141: killed by SIGPIPE)"
	assert_match '^socket_client: write: (Broken pipe|Connection reset by peer)$' "$(cat client.log)"
	rm -f s.sock # left by the SIGKILL
}

@test "socket_server/socket_client: bad arguments, no server" {
	run -2 --separate-stderr t "$(ds socket_server)"
	assert_usage
	run -2 --separate-stderr t "$(ds socket_server)" -t s.sock
	assert_usage
	run -2 --separate-stderr t "$(ds socket_client)"
	assert_usage
	run -2 --separate-stderr t "$(ds socket_client)" s.sock one two
	assert_usage
	run -1 --separate-stderr t "$(ds socket_client)" nothere.sock hi
	assert_match 'connect nothere.sock: No such file or directory' "$stderr"
}

# --- socketpair ----------------------------------------------------------------

@test "socketpair: both ends send and receive, every round" {
	run -0 --separate-stderr t "$(ds socketpair)" -n 3
	local expected
	expected=$(for i in 1 2 3; do
		printf 'parent sent "ping %d" and got "pong %d"\n' "$i" "$i"
	done
		echo "child got all 3 pings, in order")
	assert_eq "$expected" "$output"
	assert_eq "" "$stderr" "stderr"
	run -0 --separate-stderr t "$(ds socketpair)" -n 0
	assert_eq "child got all 0 pings, in order" "$output"
	run -0 --separate-stderr t "$(ds socketpair)" -n 2000
	assert_eq 'child got all 2000 pings, in order' "${lines[-1]}"
}

@test "socketpair: a parent killed before its child, or a child before its parent: the other sees EOF and ends" {
	start_bg pair.log "$(ds socketpair)" -n 1000000
	local parent=$BG_PID child
	wait_for_line pair.log 'parent sent "ping 1" and got "pong 1"'
	child=$(ps -o pid= --ppid "$parent" | tr -d ' ')
	[[ -n $child ]]
	kill -KILL "$parent"
	wait_until "gone_or_zombie $child" ||
		{ echo "the child still runs: it holds the parent's end of the pair, so it never sees EOF" >&2; false; }
	assert_match 'socketpair: (receive: (the other side closed|Connection reset by peer)|write: Broken pipe)' "$(cat pair.log)" \
		"what the child said (nothing: SIGPIPE killed it)"
	# And the other way: the child killed, the parent sees EOF (or EPIPE) and says so.
	start_bg pair2.log "$(ds socketpair)" -n 1000000
	parent=$BG_PID
	wait_for_line pair2.log 'parent sent "ping 1" and got "pong 1"'
	child=$(ps -o pid= --ppid "$parent" | tr -d ' ')
	[[ -n $child ]]
	kill -KILL "$child"
	wait_bg "$parent" ||
		{ echo "the parent still runs: it kept the child's end of the pair, so it never sees EOF" >&2; false; }
	assert_eq 1 "$BG_STATUS" "the parent's status"
	assert_match 'socketpair: (receive: (the other side closed|Connection reset by peer)|write: Broken pipe)' "$(cat pair2.log)" \
		"what the parent said"
}

@test "socketpair: bad arguments get usage and status 2" {
	run -2 --separate-stderr t "$(ds socketpair)" -n many
	assert_usage
	run -2 --separate-stderr t "$(ds socketpair)" extra
	assert_usage
}

# --- dgram_server / dgram_client -------------------------------------------------

@test "dgram_client: gets its reply through an address of its own, then removes it" {
	start_server srv.log dgram_server d.sock
	local srv=$BG_PID
	run -0 --separate-stderr t "$(ds dgram_client)" d.sock "over here"
	assert_eq "reply from server: hello from dgram_server, you said: over here" "$output"
	assert_eq "" "$stderr" "stderr"
	wait_for_line srv.log '^datagram from dgram_client\.[0-9]+\.sock: over here$'
	run -0 --separate-stderr t "$(ds dgram_client)" -b me.sock d.sock
	assert_eq "reply from server: hello from dgram_server, you said: $HELLO" "$output"
	wait_for_line srv.log '^datagram from me.sock: hello from a client$'
	assert_gone me.sock
	assert_eq "" "$(compgen -G 'dgram_client.*' || true)" "client sockets left"
	stop_bg "$srv"
	assert_eq 0 "$BG_STATUS"
	assert_gone d.sock
}

@test "dgram_client: no server is an error; a server that does not answer is a timeout" {
	run -1 --separate-stderr t "$(ds dgram_client)" -b me.sock nothere.sock
	assert_match 'connect nothere.sock: No such file or directory' "$stderr"
	assert_gone me.sock
	start_server srv.log dgram_server d.sock
	local srv=$BG_PID
	kill -STOP "$srv" # alive, bound, but not answering
	run -1 --separate-stderr t "$(ds dgram_client)" -t 1 -b me.sock d.sock
	assert_match 'no reply from d.sock within 1 s' "$stderr"
	assert_eq "" "$output"
	assert_gone me.sock
	# A client waiting for its reply also cleans up when it is told to stop.
	start_bg client.log "$(ds dgram_client)" -t 30 -b me2.sock d.sock
	local client=$BG_PID
	wait_for_file me2.sock
	stop_bg "$client"
	assert_eq 1 "$BG_STATUS" "the client's status after SIGTERM"
	assert_gone me2.sock
	kill -CONT "$srv" # the queued datagrams' senders are gone: replies fail, it goes on
	wait_for_line srv.log 'reply to me2.sock'
	stop_bg "$srv"
	assert_eq 0 "$BG_STATUS"
	assert_gone d.sock
}

@test "dgram_client: a server whose queue is full: a time limit, and SIGTERM is not missed" {
	local qlen i pids=()
	qlen=$(cat /proc/sys/net/unix/max_dgram_qlen) || skip "no net.unix.max_dgram_qlen"
	((qlen <= 64)) || skip "net.unix.max_dgram_qlen is $qlen: too many clients to fill it"
	start_server srv.log dgram_server d.sock
	local srv=$BG_PID
	kill -STOP "$srv"
	# qlen + 1 datagrams fill its queue; their senders give up after 1 s.
	for ((i = 0; i <= qlen + 1; i++)); do
		t "$(ds dgram_client)" -t 1 -b "fill.$i.sock" d.sock 2>/dev/null &
		pids+=("$!")
	done
	for i in "${pids[@]}"; do
		wait "$i" || true
	done
	run -1 --separate-stderr t "$(ds dgram_client)" -t 1 -b me.sock d.sock
	assert_match 'd.sock took no datagram within 1 s: its queue is full' "$stderr"
	assert_gone me.sock
	# Sent at once, SIGTERM may come before the wait for room has begun: it
	# stays pending until then, and still ends the client.
	start_bg client.log "$(ds dgram_client)" -t 30 -b me2.sock d.sock
	local client=$BG_PID
	wait_for_file me2.sock
	kill -TERM "$client"
	wait_bg "$client"
	assert_eq 1 "$BG_STATUS" "the client's status after SIGTERM"
	assert_match 'dgram_client: stopped, its socket file removed' "$(cat client.log)"
	assert_gone me2.sock
	assert_eq "" "$(compgen -G 'fill.*' || true)" "client sockets left"
	kill -CONT "$srv"
	stop_bg "$srv"
	assert_eq 0 "$BG_STATUS"
	assert_gone d.sock
}

@test "dgram_server: survives a nameless sender, a huge datagram, a sender gone at once" {
	start_server srv.log dgram_server d.sock
	local srv=$BG_PID
	echo anonymous >anon
	head -c 5000 /dev/zero | tr '\0' x >big
	echo "bye" >gone
	run -0 t "$(ds rawclient)" -d d.sock <anon
	run -0 t "$(ds rawclient)" -d d.sock <big
	run -0 t "$(ds rawclient)" -d -b gone.sock d.sock <gone
	assert_gone gone.sock
	run -0 --separate-stderr t "$(ds dgram_client)" -b me.sock d.sock fine
	assert_eq "reply from server: hello from dgram_server, you said: fine" "$output"
	local log
	log=$(cat srv.log)
	assert_match 'a datagram from a socket with no name: it cannot be answered' "$log"
	assert_match 'a datagram longer than 4096 bytes: dropped' "$log"
	assert_match 'datagram from gone.sock: bye\?' "$log" # the reply may fail: it goes on
	stop_bg "$srv"
	assert_eq 0 "$BG_STATUS"
	assert_gone d.sock me.sock
}

@test "dgram_server, dgram_client: 4096 bytes is the longest datagram either takes; one more is refused" {
	start_server srv.log dgram_server d.sock
	local srv=$BG_PID max
	max=$(printf '%*s' 4096 '' | tr ' ' d)
	run -0 --separate-stderr t "$(ds dgram_client)" -b me.sock d.sock "$max"
	wait_for_line srv.log "^datagram from me.sock: $max\$"
	run -1 --separate-stderr t "$(ds dgram_client)" -b me.sock d.sock "${max}d"
	assert_eq "dgram_client: message too long: 4097 bytes, at most 4096" "$stderr"
	printf '%sd' "$max" >over
	run -0 t "$(ds rawclient)" -d -b raw.sock d.sock <over
	wait_for_line srv.log 'a datagram longer than 4096 bytes: dropped'
	stop_bg "$srv"
	assert_gone d.sock me.sock raw.sock
}

@test "dgram_client: built at -O0 too, the atexit handler removes its own socket file" {
	local src=$BIN_DIR/domain_sock/dgram_client.c
	[[ -f $src ]] || skip "no source at $src"
	command -v "${CC:-cc}" >/dev/null || skip "no C compiler"
	# A path held in a local of main is gone when atexit runs after main returns;
	# at -O0 its bytes are overwritten, and the socket file stays behind.
	"${CC:-cc}" -std=c11 -O0 -o dgram_client_O0 "$src" || skip "does not build at -O0 here"
	start_server srv.log dgram_server d.sock
	run -0 --separate-stderr t ./dgram_client_O0 d.sock "at -O0"
	assert_eq "reply from server: hello from dgram_server, you said: at -O0" "$output"
	assert_eq "" "$(compgen -G 'dgram_client.*' || true)" "socket files the client left behind"
	stop_bg "$BG_PID"
}

@test "dgram_server/dgram_client: bad arguments get usage and status 2" {
	run -2 --separate-stderr t "$(ds dgram_server)"
	assert_usage
	run -2 --separate-stderr t "$(ds dgram_server)" a.sock b.sock
	assert_usage
	run -2 --separate-stderr t "$(ds dgram_client)"
	assert_usage
	run -2 --separate-stderr t "$(ds dgram_client)" -t 0 d.sock
	assert_usage
	assert_gone a.sock b.sock
}

# --- fd_send / fd_recv -----------------------------------------------------------

@test "fd_recv: reads the file through the descriptor fd_send passed, from the start" {
	printf 'line one\nline two\n\tand a tab\n' >data.txt
	start_server srv.log fd_send f.sock data.txt
	local srv=$BG_PID
	t "$(ds fd_recv)" f.sock >got1
	t "$(ds fd_recv)" f.sock >got2
	cmp data.txt got1
	cmp data.txt got2
	wait_for_line srv.log '^sent a descriptor of data.txt to client 2$'
	stop_bg "$srv"
	assert_eq 0 "$BG_STATUS"
	assert_gone f.sock
}

@test "fd_recv: a server that closes without a descriptor, or is killed first: status 1 and why" {
	fake_server f.sock 'echo "connected" >>conn.log; exec sleep 60'
	local fake=$BG_PID
	start_bg recv.log "$(ds fd_recv)" f.sock
	local recv=$BG_PID
	wait_for_line conn.log connected
	stop_bg "$fake" KILL
	wait_bg "$recv"
	assert_eq 1 "$BG_STATUS" "fd_recv's status"
	assert_match 'fd_recv: (the server closed the connection without sending a descriptor|recvmsg: Connection reset by peer)' \
		"$(cat recv.log)"
}

@test "fd_recv: an unprivileged receiver reads a file it cannot open itself" {
	need_nobody
	echo "for root's eyes only" >secret.txt
	chmod 600 secret.txt
	run -1 "${NOBODY[@]}" cat secret.txt # the file really is closed to uid 65534
	start_server srv.log fd_send f.sock secret.txt
	local srv=$BG_PID
	chmod 666 f.sock # the socket (0600) is the only door we open
	run -0 --separate-stderr t "${NOBODY[@]}" "$(ds fd_recv)" f.sock
	assert_eq "for root's eyes only" "$output"
	stop_bg "$srv"
	assert_gone f.sock
}

@test "fd_send: survives clients that send garbage or leave at once" {
	echo "payload" >data.txt
	start_server srv.log fd_send f.sock data.txt
	local srv=$BG_PID
	printf 'GET / HTTP/1.0\r\n\r\n' >garbage
	# fd_send reads nothing: it passes the descriptor and hangs up, maybe before
	# the garbage is written, and then the client's send gets EPIPE. Either way
	# is fine here; what is tested is that the server goes on serving.
	run t "$(ds rawclient)" f.sock <garbage
	((status == 0)) || assert_match 'send: (Broken pipe|Connection reset by peer)' "$output"
	run -0 t "$(ds rawclient)" f.sock </dev/null
	run -0 --separate-stderr t "$(ds fd_recv)" f.sock
	assert_eq "payload" "$output"
	stop_bg "$srv"
	assert_eq 0 "$BG_STATUS"
	assert_gone f.sock
}

@test "fd_send/fd_recv: bad arguments, a missing file or one that is not regular, no server, a silent server" {
	run -2 --separate-stderr t "$(ds fd_send)" f.sock
	assert_usage
	run -2 --separate-stderr t "$(ds fd_recv)"
	assert_usage
	run -1 --separate-stderr t "$(ds fd_send)" f.sock missing.txt
	assert_match 'missing.txt: No such file or directory' "$stderr"
	assert_gone f.sock
	mkfifo pipe.fifo # open() of it would wait for a writer: refused at once
	run -1 --separate-stderr t "$(ds fd_send)" f.sock pipe.fifo
	assert_match 'pipe.fifo is not a regular file' "$stderr"
	assert_gone f.sock
	run -1 --separate-stderr t "$(ds fd_send)" f.sock .
	assert_match '^fd_send: \. is not a regular file$' "$stderr"
	assert_gone f.sock
	run -1 --separate-stderr t "$(ds fd_recv)" nothere.sock
	assert_match 'connect nothere.sock: No such file or directory' "$stderr"
	start_server srv.log socket_server s.sock # accepts, never sends a descriptor
	local srv=$BG_PID
	run -1 --separate-stderr t "$(ds fd_recv)" -t 1 s.sock
	assert_match 'no descriptor from s.sock within 1 s' "$stderr"
	assert_eq "" "$output"
	stop_bg "$srv"
	assert_gone s.sock
}

# --- peercred --------------------------------------------------------------------

@test "peercred: prints the connecting process's real pid, uid and gid" {
	start_server srv.log peercred p.sock
	local srv=$BG_PID client
	"$(ds client)" p.sock "who am I" >out 2>err & # client has its own time limit
	client=$!
	wait "$client"
	local want="pid $client, uid $(id -u), gid $(id -g)"
	assert_eq "message from server: you are $want" "$(cat out)"
	grep -qx "peer pid=$client uid=$(id -u) gid=$(id -g)" srv.log
	stop_bg "$srv"
	assert_eq 0 "$BG_STATUS"
	assert_gone p.sock
}

@test "peercred: another user's client is seen as that user" {
	need_nobody
	start_server srv.log peercred p.sock
	local srv=$BG_PID client
	chmod 666 p.sock
	"${NOBODY[@]}" "$(ds client)" p.sock >out 2>err & # setpriv execs: the same pid
	client=$!
	wait "$client"
	assert_eq "message from server: you are pid $client, uid 65534, gid 65534" \
		"$(cat out)"
	grep -qx "peer pid=$client uid=65534 gid=65534" srv.log
	stop_bg "$srv"
	assert_gone p.sock
}

@test "peercred: survives a line too long, silence, a client that never reads; usage" {
	start_server srv.log peercred -t 1 p.sock
	local srv=$BG_PID
	printf '%*s' 300 x >long
	run -0 t "$(ds rawclient)" p.sock <long
	run -0 t "$(ds rawclient)" p.sock <<<"a whole message" # then leaves without reading
	run -0 --separate-stderr t "$(ds rawclient)" -w 2 -r p.sock </dev/null
	assert_eq "sent 0 bytes, silent for 2 s" "$output" "all a silent client got"
	run -0 --separate-stderr t "$(ds client)" p.sock
	assert_match '^message from server: you are pid [0-9]+, uid' "$output"
	assert_match 'no reply to this peer: message too long' "$(cat srv.log)"
	assert_match 'no reply to this peer: no whole message in time' "$(cat srv.log)"
	stop_bg "$srv"
	assert_eq 0 "$BG_STATUS"
	assert_gone p.sock
	run -2 --separate-stderr t "$(ds peercred)"
	assert_usage
	run -2 --separate-stderr t "$(ds peercred)" -x p.sock
	assert_usage
}

@test "peercred: a message of 255 bytes is answered, 256 is too long" {
	start_server srv.log peercred p.sock
	local srv=$BG_PID max
	max=$(printf '%*s' 255 '' | tr ' ' c)
	run -0 --separate-stderr t "$(ds rawclient)" -r p.sock <<<"$max"
	assert_match '^you are pid [0-9]+, uid' "$output" "the reply to 255 bytes and a newline"
	run --separate-stderr t "$(ds rawclient)" -r p.sock <<<"${max}c" # may be reset: unread '\n'
	assert_eq "" "$output" "the reply to 256 bytes"
	wait_for_line srv.log 'no reply to this peer: message too long'
	stop_bg "$srv"
	assert_gone p.sock
}

@test "peercred -t: a client sending a byte now and then is dropped in time, not served forever" {
	command -v socat >/dev/null || skip "needs socat to trickle bytes"
	start_server srv.log peercred -t 1 p.sock
	local srv=$BG_PID
	# 30 s of bytes, never a whole line: still trickling when the next client is
	# served, however slow a loaded machine is (teardown ends it).
	start_bg trickle.log bash -c 'for i in {1..100}; do printf x; sleep 0.3; done |
		socat - UNIX-CONNECT:p.sock'
	wait_for_line srv.log '^peer pid='
	# Served while the trickler still trickles: it holds the server 1 s, not 30
	# (the trickler itself ends soon after it is dropped: its socat sees EOF).
	run --separate-stderr t "$(ds client)" p.sock "next in line"
	((status == 0)) || {
		echo "the next client was not served within ${LAB_TIMEOUT} s: the trickler held the server (-t 1 drops it after 1 s)" >&2
		false
	}
	assert_match '^message from server: you are pid' "$output"
	assert_match 'no reply to this peer: no whole message in time' "$(cat srv.log)"
	stop_bg "$srv"
	assert_gone p.sock
}

# --- memfd_send / memfd_recv ----------------------------------------------------

# memfd_server PATH DATA-FILE [-u] -- start memfd_send with DATA-FILE as its stdin.
memfd_server() {
	start_bg memfd.log bash -c 'exec "$1" ${4:-} "$2" <"$3"' _ "$(ds memfd_send)" "$1" "$2" "${3:-}"
	wait_for_line memfd.log '^listening on '
}

@test "memfd_recv: reads the sealed buffer memfd_send made of its stdin, byte for byte, every time" {
	head -c 200000 /dev/urandom >data
	memfd_server m.sock data
	local srv=$BG_PID
	assert_match '^a buffer of 200000 bytes, sealed$' "$(head -n 1 memfd.log)"
	t "$(ds memfd_recv)" m.sock >got1
	t "$(ds memfd_recv)" m.sock >got2 # the same buffer, mapped again: no file offset to share
	cmp data got1
	cmp data got2
	run -0 --separate-stderr t "$(ds memfd_recv)" -v m.sock
	assert_match 'sealed against writing, shrinking, growing, and the seals are sealed' "$stderr"
	assert_match 'a write to it fails: Operation not permitted' "$stderr"
	assert_match '200000 bytes, mapped read-only' "$stderr"
	wait_for_line memfd.log '^sent the buffer to client 3$'
	stop_bg "$srv"
	assert_eq 0 "$BG_STATUS"
	assert_gone m.sock
}

@test "memfd_recv: an unsealed buffer (memfd_send -u) is refused: its sender could change it" {
	echo "changeable" >data
	memfd_server m.sock data -u
	run -1 --separate-stderr t "$(ds memfd_recv)" m.sock
	assert_eq "memfd_recv: the buffer can still be changed (seals missing: write shrink grow): refusing it" "$stderr"
	assert_eq "" "$output" "what a refused buffer printed"
	stop_bg "$BG_PID"
	assert_gone m.sock
}

@test "memfd_send: 1 MiB is the most it takes, one byte more is refused; an empty buffer is fine" {
	head -c 1048576 /dev/zero >max
	memfd_server m.sock max
	t "$(ds memfd_recv)" m.sock | cmp max -
	stop_bg "$BG_PID"
	head -c 1048577 /dev/zero >over
	run -1 --separate-stderr t "$(ds memfd_send)" m.sock <over
	assert_eq "memfd_send: more than 1048576 bytes on stdin" "$stderr"
	assert_gone m.sock
	: >empty
	memfd_server m.sock empty
	run -0 --separate-stderr t "$(ds memfd_recv)" m.sock
	assert_eq "" "$output$stderr"
	stop_bg "$BG_PID"
	assert_gone m.sock
}

@test "memfd_recv: no server, a server that sends no descriptor, bad arguments" {
	run -1 --separate-stderr t "$(ds memfd_recv)" nothere.sock
	assert_match 'connect nothere.sock: No such file or directory' "$stderr"
	start_server srv.log socket_server s.sock # accepts, never sends a descriptor
	run -1 --separate-stderr t "$(ds memfd_recv)" -t 1 s.sock
	assert_eq "memfd_recv: no buffer from s.sock within 1 s" "$stderr"
	stop_bg "$BG_PID"
	echo "a plain file" >plain.txt
	start_server fd.log fd_send f.sock plain.txt # a descriptor, but not of a memfd
	run -1 --separate-stderr t "$(ds memfd_recv)" f.sock
	assert_match '^memfd_recv: fcntl F_GET_SEALS \(not a memfd\?\): ' "$stderr"
	stop_bg "$BG_PID"
	for args in "" "-t 0 m.sock" "-x m.sock" "a.sock b.sock"; do
		run -2 --separate-stderr t "$(ds memfd_recv)" $args
		assert_usage
	done
	for args in "" "-v m.sock" "a.sock b.sock"; do
		run -2 --separate-stderr t "$(ds memfd_send)" $args </dev/null
		assert_usage
	done
}

# --- scm_credentials -----------------------------------------------------------

# scm_server -- start scm_credentials -l on a name no other test shares; sets NAME.
scm_server() {
	NAME=lab-scm-$$-${BATS_TEST_NUMBER}-$RANDOM
	start_bg scm.log "$(ds scm_credentials)" -l "$@" "$NAME"
	wait_for_line scm.log "^listening on @$NAME \(abstract: no file\)\$"
}

@test "scm_credentials: SO_PEERCRED is who connected, SCM_CREDENTIALS who sent: a child forked after connect differs" {
	scm_server
	local srv=$BG_PID
	run -0 --separate-stderr t "$(ds scm_credentials)" "$NAME" "same process"
	local pid=${lines[0]#pid }
	pid=${pid% connected}
	assert_eq "pid $pid sends" "${lines[1]}"
	wait_for_line scm.log ': same process$'
	grep -qx "connect: SO_PEERCRED pid=$pid uid=$(id -u) gid=$(id -g)" scm.log
	grep -qx "message: SCM_CREDENTIALS pid=$pid uid=$(id -u) gid=$(id -g): same process" scm.log
	run -0 --separate-stderr t "$(ds scm_credentials)" -f "$NAME" "from a child"
	local parent=${lines[0]#pid } child=${lines[1]#pid }
	parent=${parent% connected}
	child=${child% sends}
	[[ $parent != "$child" ]]
	wait_for_line scm.log ': from a child$'
	grep -qx "connect: SO_PEERCRED pid=$parent uid=$(id -u) gid=$(id -g)" scm.log
	assert_eq "message: SCM_CREDENTIALS pid=$child uid=$(id -u) gid=$(id -g): from a child" \
		"$(grep ': from a child$' scm.log)" "the sender of the message (the child, not the parent)"
	assert_eq "" "$(ls -A | grep -v '^separate-stderr-\|\.log$')" "files made: an abstract name makes none"
	stop_bg "$srv"
	assert_eq 0 "$BG_STATUS"
}

@test "scm_credentials: the kernel checks a claimed pid: root may claim pid 1, another user gets EPERM" {
	need_nobody
	scm_server
	local srv=$BG_PID
	chmod 755 . # (no socket file to open: an abstract name has no mode at all)
	run -1 --separate-stderr t "${NOBODY[@]}" "$(ds scm_credentials)" -p 1 "$NAME" "I am init"
	assert_match 'scm_credentials: send as pid 1 uid 65534: Operation not permitted' "$stderr"
	run -0 --separate-stderr t "${NOBODY[@]}" "$(ds scm_credentials)" "$NAME" "I am nobody"
	wait_for_line scm.log ': I am nobody$'
	assert_match 'message: SCM_CREDENTIALS pid=[0-9]+ uid=65534 gid=65534: I am nobody' "$(cat scm.log)"
	run ! grep -q 'I am init' scm.log
	run --separate-stderr t "$(ds scm_credentials)" -p 1 "$NAME" "root claims init"
	if ((status == 0)); then
		wait_for_line scm.log ': root claims init$'
		assert_match 'message: SCM_CREDENTIALS pid=1 uid=0 gid=0: root claims init' "$(cat scm.log)"
	else # root without CAP_SYS_ADMIN (a container): refused like anyone else
		assert_match 'Operation not permitted' "$stderr"
	fi
	stop_bg "$srv"
}

@test "scm_credentials: an abstract name leaves nothing behind: a second server is refused, a new one after SIGKILL is not" {
	scm_server
	run -1 --separate-stderr t "$(ds scm_credentials)" -l "$NAME"
	assert_eq "scm_credentials: @$NAME: a server is already running there" "$stderr"
	stop_bg "$BG_PID" KILL
	start_bg scm2.log "$(ds scm_credentials)" -l "$NAME" # no stale file to find or remove
	wait_for_line scm2.log "^listening on @$NAME "
	run -0 --separate-stderr t "$(ds scm_credentials)" "$NAME" "after the kill"
	wait_for_line scm2.log ': after the kill$'
	assert_eq "" "$(ls -A | grep -v '^separate-stderr-\|\.log$')" "files made"
	stop_bg "$BG_PID"
	run -1 --separate-stderr t "$(ds scm_credentials)" "$NAME"
	assert_eq "scm_credentials: connect @$NAME: Connection refused" "$stderr"
}

@test "scm_credentials: 255 bytes is the longest message, one more is dropped; a silent client is dropped in time" {
	command -v socat >/dev/null || skip "needs socat to send what the client would refuse"
	scm_server -t 1
	local srv=$BG_PID max
	max=$(printf '%*s' 255 '' | tr ' ' s)
	run -0 --separate-stderr t "$(ds scm_credentials)" "$NAME" "$max"
	run -1 --separate-stderr t "$(ds scm_credentials)" "$NAME" "${max}s"
	assert_eq "scm_credentials: message too long: 256 bytes, at most 255" "$stderr"
	printf '%ss' "$max" | t socat -u - "ABSTRACT-CONNECT:$NAME,socktype=5"
	printf 'bell\aesc\e[31m' | t socat -u - "ABSTRACT-CONNECT:$NAME,socktype=5"
	t bash -c 'sleep 3 | socat -u - "ABSTRACT-CONNECT:$1,socktype=5"' _ "$NAME" &
	local silent=$!
	wait_for_line scm.log 'a client out of time: dropped'
	wait "$silent" || true
	assert_eq 1 "$(grep -c ": $max\$" scm.log)" "messages of 255 bytes printed (the 256th byte would make 2)"
	assert_match 'a message longer than 255 bytes: dropped' "$(cat scm.log)"
	grep -q ': bell?esc?\[31m$' scm.log
	stop_bg "$srv"
}

# --- rawclient (the tests' hostile peer) -------------------------------------------

@test "rawclient: sends its stdin as it is and prints all the server sends back" {
	start_server srv.log socket_server s.sock
	local srv=$BG_PID
	frame "framed by hand" >request
	t "$(ds rawclient)" s.sock <request
	wait_for_line srv.log '^framed by hand$'
	stop_bg "$srv"
	assert_gone s.sock
}

@test "rawclient: bad arguments get usage and status 2" {
	run -2 --separate-stderr t "$(ds rawclient)"
	assert_usage
	run -2 --separate-stderr t "$(ds rawclient)" -d -r s.sock
	assert_usage
	run -2 --separate-stderr t "$(ds rawclient)" -b me.sock s.sock
	assert_usage
	run -1 --separate-stderr t "$(ds rawclient)" nothere.sock </dev/null
	assert_match 'connect nothere.sock: No such file or directory' "$stderr"
}

# --- every program -------------------------------------------------------------

# The programs of domain_sock/, for the tests that go through all of them.
DOMAIN_PROGS=(server client socket_server socket_client socketpair dgram_server dgram_client
	fd_send fd_recv peercred rawclient memfd_send memfd_recv scm_credentials)

@test "every program: -h, --help and junk arguments get a usage line and status 2, nothing made" {
	local name args path
	for name in "${DOMAIN_PROGS[@]}"; do
		path=$(ds "$name")
		for args in "-h" "--help" "j1 j2 j3 j4 j5 j6 j7 j8"; do
			quick_run -2 "$path" $args </dev/null
			assert_usage || { echo "(that was: $name $args)" >&2; false; }
		done
	done
	assert_eq "" "$(ls -A | grep -v "^separate-stderr-")" "files the programs made here"
}
