#!/usr/bin/env bats
# tests/sockets.bats -- sockets/: TCP and UDP servers and clients on loopback.
# Every server binds port 0 and prints "listening on ADDRESS port N" once it is
# ready; the tests take the port from that line. Hostile clients are played by
# bash's /dev/tcp and /dev/udp.
load helpers

setup() { lab_setup; }
teardown() { lab_teardown; }

# start_server LOG PROG ARGS... -- start a server, wait for its readiness line;
# sets SERVER (its pid) and PORT (the port it printed).
start_server() {
	local log=$1
	shift
	start_bg "$log" "$@"
	SERVER=$BG_PID
	wait_for_line "$log" 'listening on [0-9.]+ port [0-9]+( \(.*\))?$' || return 1
	PORT=$(sed -nE 's/.*listening on [0-9.]+ port ([0-9]+)( \(.*\))?$/\1/p' "$log" | head -n 1)
	[[ -n $PORT ]]
}

# closed_port -- a port nobody listens on: one a server just gave back.
closed_port() {
	start_server closed.log "$(prog sockets server)" 0 || return 1
	stop_bg "$SERVER"
	echo "$PORT"
}

# send_garbage PORT BYTES -- random bytes to a TCP server, then hang up. The
# server may rightly cut the connection first (a "line" too long, a bad
# request), so a write error here is not a failure.
send_garbage() {
	head -c "$2" /dev/urandom 2>/dev/null >"/dev/tcp/127.0.0.1/$1" || true
}

# children_of PID -- the pids of PID's children, zombies included.
children_of() {
	ps -o pid= --ppid "$1" | tr -d ' '
}

# zombies_of PID -- the pids of PID's children that are zombies (state Z).
zombies_of() {
	ps -o pid=,stat= --ppid "$1" | awk '$2 ~ /^Z/ { print $1 }'
}

# gone_before_reply PORT PID -- a client whose request the server PID reads only
# once the client has closed: PID is stopped while the client connects, sends
# 20 KB of lines and closes, then continued. The server's first reply makes the
# client's kernel answer with a reset; its next write gets EPIPE, and SIGPIPE
# too, unless the server ignores it (or sends with MSG_NOSIGNAL).
gone_before_reply() {
	kill -STOP "$2"
	yes 'gone before the reply' | head -c 20000 >"/dev/tcp/127.0.0.1/$1" || true
	kill -CONT "$2"
}

# alive_after PID LOG REGEX -- wait until LOG has a line matching REGEX, or PID
# has died; fail, saying how PID died, if it did.
alive_after() {
	wait_until "grep -qE -- $(printf %q "$3") $(printf %q "$2") || ! kill -0 $1 2>/dev/null"
	kill -0 "$1" 2>/dev/null && return 0
	wait "$1" 2>/dev/null || BG_STATUS=$?
	echo "the server died (exit status ${BG_STATUS:-?}; 141 is SIGPIPE: a write to a client that had gone)" >&2
	return 1
}

# server_killed_under CLIENT -- sockets' CLIENT sends lines without end to server.c,
# which is killed (SIGKILL) once it has the client: the client must end by itself
# (its input never does). Its output in client.log, its exit status in BG_STATUS.
server_killed_under() {
	start_server srv.log "$(prog sockets server)" 0
	start_bg client.log bash -c 'yes "a line to send" | "$1" "$2" >/dev/null' \
		_ "$(prog sockets "$1")" "$PORT"
	local client=$BG_PID
	wait_for_line srv.log 'connected'
	stop_bg "$SERVER" KILL
	wait_bg "$client"
}

# hold_silent N PORT -- N connections that say nothing; their descriptors in SILENT.
hold_silent() {
	local i fd
	SILENT=()
	for ((i = 0; i < $1; i++)); do
		exec {fd}<>"/dev/tcp/127.0.0.1/$2"
		SILENT+=("$fd")
	done
}

# let_go -- close the connections hold_silent made.
let_go() {
	local fd
	for fd in "${SILENT[@]}"; do
		exec {fd}>&-
	done
	SILENT=()
}

# trickle PORT -- a client that sends one byte every 0.3 s for 4.5 s and never
# ends a line (started in the background; its log: trickle.log).
trickle() {
	start_bg trickle.log bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$1"
		for i in {1..15}; do printf x >&5 || exit 0; sleep 0.3; done' _ "$1"
}

# steady PORT -- client sending "line 1" .. "line 10", one every 0.3 s (3 s in all).
steady() {
	t bash -c 'for i in {1..10}; do echo "line $i"; sleep 0.3; done | "$1" "$2"' \
		_ "$(prog sockets client)" "$1"
}

# fifty_clients PORT -- 50 clients at once, client i sends "client i"; each
# one's reply lands in reply.i.
fifty_clients() {
	local i pids=() client reply err rc
	client=$(prog sockets client)
	for ((i = 1; i <= 50; i++)); do
		t "$client" "$1" <<<"client $i" >"reply.$i" 2>"err.$i" &
		pids+=("$!")
	done
	for ((i = 1; i <= 50; i++)); do
		rc=0
		wait "${pids[i - 1]}" || rc=$?
		((rc == 0)) && continue
		lab_read err "err.$i"
		echo "client $i of 50 failed with status $rc: ${err:-it said nothing}" >&2
		return 1
	done
	for ((i = 1; i <= 50; i++)); do
		lab_read reply "reply.$i"
		lab_read err "err.$i"
		assert_eq "CLIENT $i" "$reply" "reply to client $i" || return 1
		assert_eq "" "$err" "stderr of client $i" || return 1
	done
}

# ---- server / client (the lecture pair) ----

@test "server/client: every byte comes back in upper case, in order; the server logs each client" {
	start_server srv.log "$(prog sockets server)" 0
	printf 'hello\nMixed Case 42\nno newline at the end' >input
	run -0 --separate-stderr t "$(prog sockets client)" "$PORT" <input
	assert_eq "$(tr a-z A-Z <input)" "$output"
	assert_eq "" "$stderr" "stderr"
	# The client ends a last line that had no newline with one.
	wait_for_line srv.log "127\.0\.0\.1:[0-9]+ closed \($(($(wc -c <input) + 1)) bytes answered\)"
	assert_match 'server: 127\.0\.0\.1:[0-9]+ connected' "$(cat srv.log)"
	printf 'a\0b\n' >nul
	t "$(prog sockets client)" "$PORT" <nul >got
	assert_eq "$(printf 'A\0B\n' | od -An -c)" "$(od -An -c <got)" "a line with a NUL byte"
}

@test "server/client: a 300 KB line comes back whole (written and read back 4 KB at a time)" {
	start_server srv.log "$(prog sockets server)" 0
	head -c 300000 /dev/zero | tr '\0' q >big
	echo >>big
	t "$(prog sockets client)" "$PORT" <big >got
	tr q Q <big >want
	cmp want got
	wait_for_line srv.log 'closed \(300001 bytes answered\)'
}

@test "server: one client at a time: a silent client holds up the next until it leaves" {
	start_server srv.log "$(prog sockets server)" 0
	exec {silent}<>"/dev/tcp/127.0.0.1/$PORT"
	wait_for_line srv.log 'connected'
	# Connected (the listen queue takes it), but not served while the silent one is.
	run -124 --separate-stderr timeout 1 "$(prog sockets client)" "$PORT" <<<"held up"
	assert_eq "" "$output" "what a held-up client got"
	exec {silent}>&-
	run -0 --separate-stderr t "$(prog sockets client)" "$PORT" <<<"served now"
	assert_eq "SERVED NOW" "$output"
	kill -0 "$SERVER" # the held-up client was gone before its reply: no SIGPIPE death
}

@test "server: a client that writes a lot and leaves without reading does not kill it" {
	start_server srv.log "$(prog sockets server)" 0
	t bash -c 'yes "read me" | head -c 100000 >"/dev/tcp/127.0.0.1/$1"' _ "$PORT"
	wait_for_line srv.log 'closed \([0-9]+ bytes answered\)'
	run -0 --separate-stderr t "$(prog sockets client)" "$PORT" <<<"still alive"
	assert_eq "STILL ALIVE" "$output"
	kill -0 "$SERVER"
}

@test "server: SIGTERM ends it; it binds its port again at once, even after SIGKILL with a client on" {
	start_server srv.log "$(prog sockets server)" 0
	port=$PORT
	stop_bg "$SERVER" TERM
	assert_eq 143 "$BG_STATUS" "ended by SIGTERM: it has nothing to clean up"
	start_server srv2.log "$(prog sockets server)" "$port"
	run -0 --separate-stderr t "$(prog sockets client)" "$port" <<<"before"
	exec {fd}<>"/dev/tcp/127.0.0.1/$port" # a connection the killed server leaves behind
	wait_for_line srv2.log 'connected'
	stop_bg "$SERVER" KILL
	assert_eq 137 "$BG_STATUS" "killed by SIGKILL"
	exec {fd}>&-
	start_server srv3.log "$(prog sockets server)" "$port"
	assert_eq "$port" "$PORT" "port after the restart"
	run -0 --separate-stderr t "$(prog sockets client)" "$port" <<<"after"
	assert_eq "AFTER" "$output"
}

@test "server: a client gone before its reply costs a warning (EPIPE), never a SIGPIPE death" {
	start_server srv.log "$(prog sockets server)" 0
	gone_before_reply "$PORT" "$SERVER"
	alive_after "$SERVER" srv.log 'closed \([0-9]+ bytes answered\)'
	assert_match 'server: write to 127\.0\.0\.1:[0-9]+: Broken pipe' "$(cat srv.log)" \
		"the server's log (its write to the vanished client must fail with EPIPE)"
	run -0 --separate-stderr t "$(prog sockets client)" "$PORT" <<<"still alive"
	assert_eq "STILL ALIVE" "$output"
}

@test "client: a server killed in the middle of the exchange: status 1 and why, no hang, no SIGPIPE death" {
	server_killed_under client
	assert_eq 1 "$BG_STATUS" "the client's status (141: killed by SIGPIPE, writing to a server that was gone)"
	assert_match '^client: (read: Connection reset by peer|write: (Broken pipe|Connection reset by peer)|the server closed the connection)$' \
		"$(cat client.log)" "what the client said"
}

@test "server, poll_server: a port in use or an address not on this machine is a clear error" {
	local name
	for name in server poll_server; do
		start_server srv.log "$(prog sockets "$name")" 0
		run -1 --separate-stderr t "$(prog sockets "$name")" "$PORT"
		assert_match "^$name: bind 127.0.0.1 port $PORT: $(err_re EADDRINUSE)$" "$stderr"
		assert_eq "" "$output"
		run -1 --separate-stderr t "$(prog sockets "$name")" 0 192.0.2.1
		assert_match "^$name: bind 192.0.2.1 port 0: $(err_re EADDRNOTAVAIL)$" "$stderr"
		stop_bg "$SERVER"
	done
}

@test "client: run without a server, it says why (LG); a server that hangs up mid-reply is status 1" {
	port=$(closed_port)
	run -1 --separate-stderr t "$(prog sockets client)" "$port" <<<"anyone?"
	assert_match "^client: connect to 127.0.0.1 port $port: Connection refused$" "$stderr"
	assert_eq "" "$output"
	start_server srv.log "$(prog sockets poll_server)" 0
	head -c 1500 /dev/zero | tr '\0' y >long # poll_server takes lines of 1023 bytes at most
	run -1 --separate-stderr t "$(prog sockets client)" "$PORT" <long
	assert_eq "error: line longer than 1023 bytes" "$output" "what the server said"
	# It hung up with part of the line unread: a reset may come after its last words.
	assert_match '^client: (the server closed the connection|read: Connection reset by peer)$' "$stderr"
}

@test "poll_server, fork_server: the longest line (1023 bytes and its newline) is answered; one byte more is refused" {
	local name max
	max=$(printf '%*s' 1023 '' | tr ' ' m)
	for name in poll_server fork_server; do
		start_server "$name.log" "$(prog sockets "$name")" 0
		run -0 --separate-stderr t "$(prog sockets client)" "$PORT" <<<"$max"
		assert_eq "${max^^}" "$output" "$name's answer to a line of 1023 bytes"
		exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
		printf '%sm\n' "$max" >&"$fd" # 1024 bytes before the newline
		IFS= read -r -t 5 -u "$fd" reply || true
		exec {fd}>&-
		assert_eq "error: line longer than 1023 bytes" "$reply" "$name's answer to a line of 1024 bytes"
		stop_bg "$SERVER"
	done
}

@test "server, poll_server, client: bad arguments get usage and status 2" {
	local name
	for name in server poll_server; do
		for args in "" "70000" "-1" "port" "0 not-an-address" "0 localhost" "0 127.0.0.1 extra"; do
			run -2 --separate-stderr t "$(prog sockets "$name")" $args
			assert_usage
		done
	done
	for args in "" "0" "70000" "port" "1 host" "1 127.0.0.1 extra"; do
		run -2 --separate-stderr t "$(prog sockets client)" $args </dev/null
		assert_usage
	done
}

# ---- poll_server (beyond: many clients in one process) ----

@test "poll_server/client: every line comes back in upper case, in order" {
	start_server srv.log "$(prog sockets poll_server)" 0
	printf 'hello\nMixed Case 42\nno newline at the end' >input
	run -0 --separate-stderr t "$(prog sockets client)" "$PORT" <input
	assert_eq "$(tr a-z A-Z <input)" "$output"
	assert_eq "" "$stderr" "stderr"
	wait_for_line srv.log 'closed \(3 lines answered\)'
	stop_bg "$SERVER"
	assert_eq 0 "$BG_STATUS" "poll_server's exit status"
	assert_match 'poll_server: stopped' "$(cat srv.log)"
}

@test "poll_server: a line split over several writes is one message, two in one write are two" {
	start_server srv.log "$(prog sockets poll_server)" 0
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
	printf 'hel' >&"$fd"
	printf 'lo\nwo' >&"$fd"
	printf 'rld\none\ntwo\n' >&"$fd"
	IFS= read -r -t 5 -u "$fd" a
	IFS= read -r -t 5 -u "$fd" b
	IFS= read -r -t 5 -u "$fd" c
	IFS= read -r -t 5 -u "$fd" d
	exec {fd}>&-
	assert_eq "HELLO WORLD ONE TWO" "$a $b $c $d"
}

@test "poll_server: fifty clients at once each get their own reply" {
	start_server srv.log "$(prog sockets poll_server)" 0
	fifty_clients "$PORT"
	kill -0 "$SERVER"
}

@test "poll_server: an over-long line is refused with an error, and the server goes on" {
	start_server srv.log "$(prog sockets poll_server)" 0
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
	head -c 2000 /dev/zero | tr '\0' x >&"$fd"
	IFS= read -r -t 5 -u "$fd" reply
	run -1 read -r -t 5 -u "$fd" more # then the server closes: EOF
	exec {fd}>&-
	assert_eq "error: line longer than 1023 bytes" "$reply"
	run -0 --separate-stderr t "$(prog sockets client)" "$PORT" <<<"still there"
	assert_eq "STILL THERE" "$output"
}

@test "poll_server: garbage bytes and a client leaving mid-line do no harm" {
	start_server srv.log "$(prog sockets poll_server)" 0
	send_garbage "$PORT" 5000
	printf 'half a li' >"/dev/tcp/127.0.0.1/$PORT"
	wait_for_line srv.log 'left in the middle of a line \(9 bytes dropped\)'
	run -0 --separate-stderr t "$(prog sockets client)" "$PORT" <<<"after the garbage"
	assert_eq "AFTER THE GARBAGE" "$output"
	kill -0 "$SERVER"
}

@test "poll_server: a silent client does not hold up the others" {
	start_server srv.log "$(prog sockets poll_server)" 0
	exec {silent}<>"/dev/tcp/127.0.0.1/$PORT"
	run -0 --separate-stderr t "$(prog sockets client)" "$PORT" <<<"served anyway"
	exec {silent}>&-
	assert_eq "SERVED ANYWAY" "$output"
}

@test "poll_server: a client that never reads its replies stalls nobody, and its leaving kills nothing" {
	start_server srv.log "$(prog sockets poll_server)" 0
	# Floods the server with lines and never reads a reply: the server must
	# stop reading from it (its replies pile up) and keep serving the rest.
	start_bg hog.log bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$1"; yes "never read" >&5' _ "$PORT"
	hog=$BG_PID
	wait_for_line srv.log 'connected'
	run -0 --separate-stderr t "$(prog sockets client)" "$PORT" <<<"me first"
	assert_eq "ME FIRST" "$output"
	stop_bg "$hog" # the hog vanishes with replies unread: EPIPE/ECONNRESET, no SIGPIPE death
	wait_for_line srv.log '(reset|Broken pipe|hung up).*lines answered'
	# A client that writes a lot and closes without reading anything.
	t bash -c 'yes "read me" | head -c 100000 >"/dev/tcp/127.0.0.1/$1"' _ "$PORT"
	run -0 --separate-stderr t "$(prog sockets client)" "$PORT" <<<"still alive"
	assert_eq "STILL ALIVE" "$output"
	kill -0 "$SERVER"
}

@test "poll_server: a client gone before its reply is an EPIPE in the log (MSG_NOSIGNAL), never a SIGPIPE death" {
	start_server srv.log "$(prog sockets poll_server)" 0
	gone_before_reply "$PORT" "$SERVER"
	alive_after "$SERVER" srv.log ': (Broken pipe|Connection reset by peer) \([0-9]+ lines answered\)'
	run -0 --separate-stderr t "$(prog sockets client)" "$PORT" <<<"still alive"
	assert_eq "STILL ALIVE" "$output"
}

@test "poll_server: with all 64 slots held by silent clients, the next is told it is busy, at once" {
	start_server srv.log "$(prog sockets poll_server)" 0
	hold_silent 64 "$PORT"
	wait_until "[[ \$(grep -c ' connected\$' srv.log) -ge 64 ]]"
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
	IFS= read -r -t 5 -u "$fd" reply || true
	exec {fd}>&-
	assert_eq "error: server busy, try again later" "$reply" "what the 65th client got"
	assert_match 'refused a client: all 64 slots are taken' "$(cat srv.log)"
	let_go
	wait_until "[[ \$(grep -c 'closed (0 lines' srv.log) -ge 64 ]]"
	run -0 --separate-stderr t "$(prog sockets client)" "$PORT" <<<"my turn"
	assert_eq "MY TURN" "$output"
}

@test "poll_server -t: silent and trickling clients are dropped with a word; a slow steady one is not" {
	start_server srv.log "$(prog sockets poll_server)" -t 2 0
	exec {silent}<>"/dev/tcp/127.0.0.1/$PORT"
	trickle "$PORT"
	run -0 --separate-stderr steady "$PORT" # 3 s in all, but a line every 0.3 s
	assert_eq "$(printf 'LINE %s\n' {1..10})" "$output" "a client that ends a line every 0.3 s, with -t 2"
	IFS= read -r -t 5 -u "$silent" said || true
	exec {silent}>&-
	assert_eq "error: no line for too long, closing" "$said" "what the silent client was told"
	# The trickler is dropped too: it ends no line (a byte now and then is not a line).
	wait_until "[[ \$(grep -c 'idle: no whole line in time' srv.log) -ge 2 ]]"
}

@test "poll_server: SIGTERM and SIGINT stop it cleanly, with its clients cut off" {
	start_server srv.log "$(prog sockets poll_server)" 0
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
	wait_for_line srv.log 'connected'
	stop_bg "$SERVER" TERM
	exec {fd}>&-
	assert_eq 0 "$BG_STATUS" "exit status after SIGTERM"
	assert_match 'cut off by shutdown' "$(cat srv.log)"
	start_server srv2.log "$(prog sockets poll_server)" 0
	stop_bg "$SERVER" INT
	assert_eq 0 "$BG_STATUS" "exit status after SIGINT"
	assert_match 'poll_server: stopped' "$(cat srv2.log)"
}

# Sent at once, SIGTERM may come before the server waits: poll_server and
# fork_server block the stop signals until ppoll() lets them in, so it stays
# pending; udp_server and http_server end in the handler itself.
@test "every beyond server and udp_server: SIGTERM right after the readiness line stops it" {
	local name
	for name in poll_server fork_server epoll_server udp_server http_server; do
		start_server "$name.log" "$(prog sockets "$name")" 0
		kill -TERM "$SERVER"
		wait_bg "$SERVER"
		assert_eq 0 "$BG_STATUS" "$name's status after SIGTERM"
		assert_match "$name: stopped" "$(cat "$name.log")" "$name's log"
	done
}

@test "poll_server: starts again at once on the same port after SIGKILL" {
	start_server srv.log "$(prog sockets poll_server)" 0
	port=$PORT
	run -0 --separate-stderr t "$(prog sockets client)" "$port" <<<"before"
	exec {fd}<>"/dev/tcp/127.0.0.1/$port" # a connection the killed server leaves behind
	wait_for_line srv.log 'connected'
	stop_bg "$SERVER" KILL
	assert_eq 137 "$BG_STATUS" "killed by SIGKILL"
	exec {fd}>&-
	start_server srv2.log "$(prog sockets poll_server)" "$port"
	assert_eq "$port" "$PORT" "port after the restart"
	run -0 --separate-stderr t "$(prog sockets client)" "$port" <<<"after"
	assert_eq "AFTER" "$output"
}

# ---- fork_server ----

@test "fork_server: fifty clients at once each get their own reply; no zombie is left" {
	start_server srv.log "$(prog sockets fork_server)" 0
	fifty_clients "$PORT"
	wait_until "[[ -z \$(children_of $SERVER) ]]"
	assert_eq "" "$(zombies_of "$SERVER")" "zombie children"
	assert_eq 50 "$(grep -c 'serves 127.0.0.1:' srv.log)" "children forked"
	stop_bg "$SERVER"
	assert_eq 0 "$BG_STATUS" "exit status"
}

@test "fork_server: a silent client and one that never reads stall nobody; their children are reaped" {
	start_server srv.log "$(prog sockets fork_server)" 0
	exec {silent}<>"/dev/tcp/127.0.0.1/$PORT"
	start_bg hog.log bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$1"; yes "never read" >&5' _ "$PORT"
	hog=$BG_PID
	wait_until "[[ \$(grep -c serves srv.log) -ge 2 ]]"
	run -0 --separate-stderr t "$(prog sockets client)" "$PORT" <<<"not blocked"
	assert_eq "NOT BLOCKED" "$output"
	stop_bg "$hog"
	exec {silent}>&-
	wait_until "[[ -z \$(children_of $SERVER) ]]"
	assert_match '(reset|Broken pipe).*lines answered' "$(cat srv.log)"
	run -0 --separate-stderr t "$(prog sockets client)" "$PORT" <<<"parent alive"
	assert_eq "PARENT ALIVE" "$output"
}

@test "fork_server: garbage, an over-long line and a client leaving mid-line" {
	start_server srv.log "$(prog sockets fork_server)" 0
	send_garbage "$PORT" 5000
	printf 'half' >"/dev/tcp/127.0.0.1/$PORT"
	wait_for_line srv.log 'left in the middle of a line \(4 bytes dropped\)'
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
	head -c 3000 /dev/zero | tr '\0' x >&"$fd"
	IFS= read -r -t 5 -u "$fd" reply
	# Then EOF: the child has closed, and so has the parent its copy of the socket.
	local eof=0
	IFS= read -r -t 5 -u "$fd" more || eof=$?
	exec {fd}>&-
	((eof == 1)) || {
		echo "no EOF after the child ended: the parent still holds the client's socket (close it after fork)" >&2
		return 1
	}
	assert_eq "error: line longer than 1023 bytes" "$reply"
	run -0 --separate-stderr t "$(prog sockets client)" "$PORT" <<<"fine"
	assert_eq "FINE" "$output"
	wait_until "[[ -z \$(children_of $SERVER) ]]"
}

@test "fork_server: a client gone before its reply: the child says EPIPE, it is not killed by SIGPIPE" {
	start_server srv.log "$(prog sockets fork_server)" 0
	gone_before_reply "$PORT" "$SERVER"
	wait_for_line srv.log 'serves'
	wait_until "[[ -z \$(children_of $SERVER) ]]"
	assert_match 'child [0-9]+: 127\.0\.0\.1:[0-9]+: (Broken pipe|Connection reset by peer) \(' "$(cat srv.log)" \
		"the child's last words (none: SIGPIPE killed it)"
}

@test "fork_server: with 128 children held by silent clients, the next is told it is busy, at once" {
	start_server srv.log "$(prog sockets fork_server)" 0
	hold_silent 128 "$PORT"
	wait_until "[[ \$(grep -c ' serves ' srv.log) -ge 128 ]]" 30
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
	IFS= read -r -t 5 -u "$fd" reply || true
	exec {fd}>&-
	assert_eq "error: server busy, try again later" "$reply" "what the 129th client got"
	assert_match 'refused 127\.0\.0\.1:[0-9]+: 128 children at work' "$(cat srv.log)"
	let_go
	wait_until "[[ -z \$(children_of $SERVER) ]]" 30
	run -0 --separate-stderr t "$(prog sockets client)" "$PORT" <<<"my turn"
	assert_eq "MY TURN" "$output"
}

@test "fork_server -t: silent and trickling clients are dropped with a word; a slow steady one is not" {
	start_server srv.log "$(prog sockets fork_server)" -t 2 0
	exec {silent}<>"/dev/tcp/127.0.0.1/$PORT"
	trickle "$PORT"
	run -0 --separate-stderr steady "$PORT"
	assert_eq "$(printf 'LINE %s\n' {1..10})" "$output" "a client that ends a line every 0.3 s, with -t 2"
	IFS= read -r -t 5 -u "$silent" said || true
	exec {silent}>&-
	assert_eq "error: no line for too long, closing" "$said" "what the silent client was told"
	# The trickler is dropped too: it ends no line (a byte now and then is not a line).
	wait_until "[[ \$(grep -c ': idle, dropped' srv.log) -ge 2 ]]"
	wait_until "[[ -z \$(children_of $SERVER) ]]"
}

@test "fork_server: SIGTERM to the parent alone stops its children too" {
	start_server srv.log "$(prog sockets fork_server)" 0
	exec {silent}<>"/dev/tcp/127.0.0.1/$PORT"
	wait_for_line srv.log 'serves'
	child=$(sed -n 's/.*child \([0-9]*\) serves.*/\1/p' srv.log)
	kill -0 "$child"
	wait_asleep "$SERVER"
	kill -TERM "$SERVER"
	wait_bg "$SERVER"
	exec {silent}>&-
	assert_eq 0 "$BG_STATUS" "exit status"
	run ! kill -0 "$child"
	assert_eq "" "$(grep 'idle' srv.log)" "the child ended by its own time limit: the parent did not stop it"
	assert_match 'fork_server: stopped' "$(cat srv.log)"
}

@test "fork_server: a child keeps no copy of the listening socket: with the parent killed, the port is free" {
	start_server srv.log "$(prog sockets fork_server)" 0
	local port=$PORT child
	exec {silent}<>"/dev/tcp/127.0.0.1/$port"
	wait_for_line srv.log 'serves'
	child=$(sed -n 's/.*child \([0-9]*\) serves.*/\1/p' srv.log)
	kill -KILL "$SERVER" # the parent alone: its child serves on
	kill -0 "$child"
	start_bg srv2.log "$(prog sockets fork_server)" "$port"
	wait_for_line srv2.log "listening on|$(err_re EADDRINUSE)"
	assert_match "listening on 127\.0\.0\.1 port $port" "$(cat srv2.log)" \
		"a new server on the port (Address already in use: the child still holds the listener)"
	exec {silent}>&-
	kill -KILL "$child" 2>/dev/null || true
}

@test "fork_server: restarts on its port after SIGKILL; bad arguments get usage" {
	start_server srv.log "$(prog sockets fork_server)" 0
	port=$PORT
	run -0 --separate-stderr t "$(prog sockets client)" "$port" <<<"x"
	stop_bg "$SERVER" KILL
	start_server srv2.log "$(prog sockets fork_server)" "$port"
	run -1 --separate-stderr t "$(prog sockets fork_server)" "$port"
	assert_match "bind 127.0.0.1 port $port: $(err_re EADDRINUSE)" "$stderr"
	for args in "" "65536" "x" "0 ::1" "0 127.0.0.1 extra"; do
		run -2 --separate-stderr t "$(prog sockets fork_server)" $args
		assert_usage
	done
}

# ---- epoll_server (beyond: epoll, edge- and level-triggered) ----

@test "epoll_server, edge- and level-triggered: 300 KB come back whole; each client's events are counted" {
	head -c 300000 /dev/zero | tr '\0' e >big
	echo >>big
	tr e E <big >want
	local mode
	for mode in edge level; do
		start_server "$mode.log" "$(prog sockets epoll_server)" $([[ $mode == level ]] && echo -l) 0
		assert_match "\\($mode-triggered\\)\$" "$(head -n 1 "$mode.log")"
		# 4 KB at a time, read back before the next: more than one read() each (1 KB).
		t "$(prog sockets client)" "$PORT" <big >got
		cmp want got || { echo "$mode-triggered: the answer differs (bytes left unread, waiting for an event that never comes?)" >&2; false; }
		wait_for_line "$mode.log" 'client 0: closed \([0-9]+ events\)'
		# About one event per 1 KB read, level-triggered; fewer, edge-triggered. Tens of
		# thousands: it asked for EPOLLOUT with nothing to send, and spun.
		events=$(sed -nE 's/.*client 0: closed \(([0-9]+) events\)/\1/p' "$mode.log")
		((events <= 1200)) || { echo "$mode-triggered: $events events for 300 KB: a busy loop" >&2; false; }
		stop_bg "$SERVER"
		assert_eq 0 "$BG_STATUS" "exit status after SIGTERM"
	done
}

@test "epoll_server: a silent client and one that never reads stall nobody; a client gone is EPIPE, not SIGPIPE" {
	start_server srv.log "$(prog sockets epoll_server)" 0
	exec {silent}<>"/dev/tcp/127.0.0.1/$PORT"
	start_bg hog.log bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$1"; yes "never read" >&5' _ "$PORT"
	local hog=$BG_PID
	wait_until "[[ \$(grep -c ' connected\$' srv.log) -ge 2 ]]"
	run -0 --separate-stderr t "$(prog sockets client)" "$PORT" <<<"me first"
	assert_eq "ME FIRST" "$output"
	stop_bg "$hog"
	exec {silent}>&-
	gone_before_reply "$PORT" "$SERVER"
	alive_after "$SERVER" srv.log ': (Broken pipe|Connection reset by peer) \('
}

@test "epoll_server: with all 64 slots held, the next is told busy; -t drops the silent, keeps the steady" {
	# -t 4: the 64 silent clients must all be in before the first is dropped.
	start_server srv.log "$(prog sockets epoll_server)" -t 4 0
	hold_silent 64 "$PORT"
	wait_until "[[ \$(grep -c ' connected\$' srv.log) -ge 64 ]]"
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
	IFS= read -r -t 5 -u "$fd" reply || true
	exec {fd}>&-
	assert_eq "error: server busy, try again later" "$reply" "what the 65th client got"
	IFS= read -r -t 5 -u "${SILENT[0]}" said || true
	assert_eq "error: nothing sent for too long, closing" "$said" "what a silent client was told after -t 4"
	let_go
	stop_bg "$SERVER"
	start_server srv2.log "$(prog sockets epoll_server)" -t 2 0
	run -0 --separate-stderr steady "$PORT" # 3 s in all, but a line every 0.3 s
	assert_eq "$(printf 'LINE %s\n' {1..10})" "$output" "a client that sends every 0.3 s, with -t 2"
}

# ---- half_close (beyond: shutdown(SHUT_WR)) ----

@test "half_close: sends all of its input, half-closes, and gets the whole answer (the server's EOF ends it)" {
	head -c 1000000 /dev/urandom | base64 >big # ~1.3 MB: far more than the sockets hold
	tr a-z A-Z <big >want
	local name
	for name in server epoll_server poll_server; do
		start_server "$name.log" "$(prog sockets "$name")" 0
		run -0 --separate-stderr t "$(prog sockets half_close)" "$PORT" <big
		assert_eq "" "$stderr" "half_close's stderr against $name"
		printf '%s\n' "$output" | cmp want - ||
			{ echo "the answer of $name differs from the input in upper case" >&2; false; }
		stop_bg "$SERVER"
	done
}

@test "half_close: a server that answers nothing after the half-close: an error after -t, never a hang" {
	start_server srv.log "$(prog sockets server)" 0
	exec {busy}<>"/dev/tcp/127.0.0.1/$PORT" # server.c serves one client at a time
	wait_for_line srv.log 'connected'
	run -1 --separate-stderr t "$(prog sockets half_close)" -t 1 "$PORT" <<<"anyone?"
	exec {busy}>&-
	assert_eq "half_close: the server sent nothing for 1 s after the half-close" "$stderr"
	assert_eq "" "$output"
}

@test "half_close: a server killed in the middle of the answer: status 1 and why" {
	server_killed_under half_close
	assert_eq 1 "$BG_STATUS" "half_close's status (141: killed by SIGPIPE)"
	assert_match '^half_close: (read|send): (Connection reset by peer|Broken pipe)$|the server closed the connection before' \
		"$(cat client.log)"
}

# ---- udp_multicast (beyond: one sender, many receivers) ----

GROUP=239.255.77.77 # administratively scoped; each test has a port of its own

@test "udp_multicast: three receivers on one port each get every datagram of one sender" {
	start_bg r1.log "$(prog sockets udp_multicast)" -r -c 3 "$GROUP" 0
	local r1=$BG_PID port
	wait_for_line r1.log "^udp_multicast: joined $GROUP port [0-9]+ on 127.0.0.1\$"
	port=$(sed -n 's/.* port \([0-9]*\) on .*/\1/p' r1.log)
	start_bg r2.log "$(prog sockets udp_multicast)" -r -c 3 "$GROUP" "$port"
	local r2=$BG_PID
	start_bg r3.log "$(prog sockets udp_multicast)" -r -c 3 "$GROUP" "$port"
	local r3=$BG_PID
	wait_for_line r2.log 'joined'
	wait_for_line r3.log 'joined' # a second bind of the port: SO_REUSEADDR
	printf 'one\ntwo\nthree\n' >lines
	run -0 --separate-stderr t "$(prog sockets udp_multicast)" -s "$GROUP" "$port" <lines
	assert_eq "" "$output$stderr" "the sender says nothing"
	local r
	for r in r1 r2 r3; do
		wait_bg "${!r}" || { echo "$r did not get three datagrams (did it join the group on 127.0.0.1?)" >&2; false; }
		assert_eq 0 "$BG_STATUS" "$r's status"
		assert_eq "one two three" "$(sed -n 's/^from 127\.0\.0\.1:[0-9]*: //p' "$r.log" | paste -sd ' ')" "what $r got"
	done
}

@test "udp_multicast: 1024 bytes is the longest line it sends, one more is refused; bad arguments get usage" {
	local max
	max=$(printf '%*s' 1024 '' | tr ' ' m)
	start_bg r.log "$(prog sockets udp_multicast)" -r -c 1 "$GROUP" 0
	local r=$BG_PID port
	wait_for_line r.log 'joined'
	port=$(sed -n 's/.* port \([0-9]*\) on .*/\1/p' r.log)
	run -1 --separate-stderr t "$(prog sockets udp_multicast)" -s "$GROUP" "$port" <<<"${max}m"
	assert_eq "udp_multicast: a line of input is longer than 1024 bytes" "$stderr"
	run -0 --separate-stderr t "$(prog sockets udp_multicast)" -s "$GROUP" "$port" <<<"$max"
	wait_bg "$r"
	assert_match ": $max\$" "$(cat r.log)"
	for args in "-r 127.0.0.1 0" "-s $GROUP 0" "-r -s $GROUP 1" "-s -c 2 $GROUP 1" "$GROUP 1" \
		"-r -i nowhere $GROUP 0" "-r $GROUP 70000" "-r -c 0 $GROUP 0"; do
		run -2 --separate-stderr t "$(prog sockets udp_multicast)" $args </dev/null
		assert_usage
	done
}

# ---- inet6_server / inet6_client (beyond: IPv6, dual-stack) ----

# start_inet6 LOG ARGS... -- start inet6_server; sets SERVER and PORT. Skips,
# saying why, when the address cannot be bound here (no ::1 on this machine).
start_inet6() {
	local log=$1
	shift
	start_bg "$log" "$(prog sockets inet6_server)" "$@"
	SERVER=$BG_PID
	wait_until "grep -qE 'listening on|Cannot assign|Address family' $log"
	grep -q 'listening on' "$log" || skip "cannot bind ${*: -1} here: $(cat "$log")"
	PORT=$(sed -n 's/.*listening on \[.*\]:\([0-9]*\)$/\1/p' "$log")
}

@test "inet6_server/inet6_client: over ::1, and dual-stack on :: (an IPv4 client seen as ::ffff:127.0.0.1)" {
	start_inet6 srv6.log 0 ::1
	run -0 --separate-stderr t "$(prog sockets inet6_client)" ::1 "$PORT" <<<"over IPv6"
	assert_match "^connected to \[::1\]:$PORT"$'\n'"from \[::1\]:[0-9]+: over IPv6\$" "$output"
	stop_bg "$SERVER"
	assert_eq 0 "$BG_STATUS"
	start_inet6 srv.log 0 ::
	run -0 --separate-stderr t "$(prog sockets inet6_client)" 127.0.0.1 "$PORT" <<<"over IPv4"
	assert_match "^connected to \[127\.0\.0\.1\]:$PORT"$'\n'"from \[::ffff:127\.0\.0\.1\]:[0-9]+: over IPv4\$" "$output"
	run -0 --separate-stderr t "$(prog sockets inet6_client)" ::1 "$PORT" <<<"and IPv6"
	assert_match "from \[::1\]:[0-9]+: and IPv6\$" "$output"
	wait_for_line srv.log '\[::ffff:127\.0\.0\.1\]:[0-9]+: closed \(1 lines answered\)'
	stop_bg "$SERVER"
	start_inet6 srv4.log 0 127.0.0.1 # and plain IPv4, with the same code
	run -0 --separate-stderr t "$(prog sockets inet6_client)" 127.0.0.1 "$PORT" <<<"plain"
	assert_match "from \[127\.0\.0\.1\]:[0-9]+: plain\$" "$output"
}

@test "inet6_client: tries each address of a name until one connects" {
	getent ahosts localhost | grep -q '^::1 ' && getent ahosts localhost | grep -q '^127\.0\.0\.1 ' ||
		skip "localhost does not resolve to both ::1 and 127.0.0.1 here"
	local first
	first=$(getent ahosts localhost | awk 'NR == 1 { print $1 }')
	# A server on the address localhost gives last: the first one is refused.
	start_inet6 srv.log 0 "$([[ $first == ::1 ]] && echo 127.0.0.1 || echo ::1)"
	run -0 --separate-stderr t "$(prog sockets inet6_client)" localhost "$PORT" <<<"found"
	assert_match "connect to \[$first\]:$PORT: Connection refused" "$stderr"
	assert_match "from \[.*\]:[0-9]+: found\$" "$output"
}

@test "inet6_server, inet6_client: time limits both ways; a line too long; bad arguments get usage" {
	start_inet6 srv.log -t 1 0 ::1
	exec {silent}<>"/dev/tcp/::1/$PORT" 2>/dev/null || skip "bash cannot reach ::1"
	wait_for_line srv.log 'its time is up' # a silent client holds the server 1 s, no more
	exec {silent}>&-
	kill -STOP "$SERVER" # alive, but it answers nothing now
	run -1 --separate-stderr t "$(prog sockets inet6_client)" -t 1 ::1 "$PORT" <<<"anyone?"
	kill -CONT "$SERVER"
	assert_eq "inet6_client: no answer within 1 s" "$stderr"
	printf '%*s\n' 1024 '' | tr ' ' l >long
	run -1 --separate-stderr t "$(prog sockets inet6_client)" ::1 "$PORT" <long
	assert_match '^inet6_client: (the server closed the connection|read: Connection reset by peer)$' "$stderr"
	wait_for_line srv.log 'a line longer than 1023 bytes'
	for args in "" "0 nowhere" "0 ::1 extra" "-t 0 0" "70000"; do
		run -2 --separate-stderr t "$(prog sockets inet6_server)" $args
		assert_usage
	done
	for args in "" "::1" "-t x ::1 1" "::1 1 extra" "::1 70000" "::1 http"; do
		run -2 --separate-stderr t "$(prog sockets inet6_client)" $args </dev/null
		assert_usage
	done
}

# ---- udp_server / udp_client ----

@test "udp_server/udp_client: each line is one datagram, answered in upper case" {
	start_server srv.log "$(prog sockets udp_server)" 0
	printf 'first\n\nThird one\nlast' >input
	run -0 --separate-stderr t "$(prog sockets udp_client)" "$PORT" <input
	assert_eq "$(tr a-z A-Z <input)" "$output"
	assert_eq "" "$stderr" "stderr"
	assert_eq 4 "$(grep -c ': [0-9]* bytes$' srv.log)" "datagrams logged"
	stop_bg "$SERVER"
	assert_eq 0 "$BG_STATUS" "exit status"
}

@test "udp_client: gives up after its time limit when the server does not answer" {
	start_server srv.log "$(prog sockets udp_server)" 0
	kill -STOP "$SERVER" # alive, bound, silent
	run -1 --separate-stderr t "$(prog sockets udp_client)" -t 1 "$PORT" <<<"hello?"
	kill -CONT "$SERVER"
	assert_eq "udp_client: no reply from 127.0.0.1 port $PORT within 1 s: is the server running?" "$stderr"
	assert_eq "" "$output"
}

@test "udp_client: no server at all is status 1 with a message, never a hang" {
	start_server srv.log "$(prog sockets udp_server)" 0
	stop_bg "$SERVER"
	run -1 --separate-stderr t "$(prog sockets udp_client)" -t 2 "$PORT" <<<"anyone?"
	assert_match "^udp_client: no (server at|reply from) 127.0.0.1 port $PORT" "$stderr"
}

@test "udp_server: a datagram too long for it gets an error reply, and it goes on" {
	start_server srv.log "$(prog sockets udp_server)" 0
	exec {fd}<>"/dev/udp/127.0.0.1/$PORT"
	head -c 2000 /dev/zero | tr '\0' z >big
	dd if=big bs=4096 count=1 status=none >&"$fd" # one write: one datagram
	reply=$(t dd bs=4096 count=1 status=none <&"$fd")
	exec {fd}>&-
	assert_eq "error: datagram longer than 1024 bytes" "$reply"
	head -c 1000 /dev/urandom >"/dev/udp/127.0.0.1/$PORT"
	run -0 --separate-stderr t "$(prog sockets udp_client)" "$PORT" <<<"ok"
	assert_eq "OK" "$output"
}

@test "udp_server, udp_client: 1024 bytes is the longest datagram either takes; one more is refused" {
	start_server srv.log "$(prog sockets udp_server)" 0
	local max
	max=$(printf '%*s' 1024 '' | tr ' ' u)
	run -0 --separate-stderr t "$(prog sockets udp_client)" "$PORT" <<<"$max"
	assert_eq "${max^^}" "$output" "the reply to a datagram of 1024 bytes"
	run -1 --separate-stderr t "$(prog sockets udp_client)" "$PORT" <<<"${max}u"
	assert_eq "udp_client: a line of input is longer than 1024 bytes" "$stderr"
	exec {fd}<>"/dev/udp/127.0.0.1/$PORT"
	printf '%su' "$max" | dd bs=4096 count=1 status=none >&"$fd" # one datagram of 1025
	reply=$(t dd bs=4096 count=1 status=none <&"$fd")
	exec {fd}>&-
	assert_eq "error: datagram longer than 1024 bytes" "$reply" "udp_server's answer to 1025 bytes"
}

@test "udp_client: a reply's control bytes are shown as '?', never sent raw to the terminal" {
	start_server srv.log "$(prog sockets udp_server)" 0
	run -0 --separate-stderr t "$(prog sockets udp_client)" "$PORT" <<<$'bell\a esc\e[31m tab\t'
	assert_eq 'BELL? ESC?[31M TAB?' "$output"
}

@test "udp_server/udp_client: bad arguments get usage and status 2" {
	for args in "" "99999" "x" "0 localhost" "0 127.0.0.1 extra"; do
		run -2 --separate-stderr t "$(prog sockets udp_server)" $args
		assert_usage
	done
	for args in "" "0" "-t 0 1" "-t x 1" "-x 1" "1 h extra"; do
		run -2 --separate-stderr t "$(prog sockets udp_client)" $args </dev/null
		assert_usage
	done
}

# ---- http_server / socket_inet ----

@test "http_server: curl fetches its page; socket_inet prints status, headers and the same page" {
	command -v curl >/dev/null || skip "needs curl"
	start_server srv.log "$(prog sockets http_server)" 0
	run -0 t curl --noproxy "*" -sS -o page.html "http://127.0.0.1:$PORT/"
	assert_match '<h1>Hello from http_server</h1>' "$(cat page.html)"
	run -0 --separate-stderr t "$(prog sockets socket_inet)" 127.0.0.1 "$PORT"
	assert_eq "" "$stderr" "stderr"
	printf '%s\n' "$output" >reply
	assert_eq $'HTTP/1.0 200 OK\r' "$(head -n 1 reply)" "status line"
	assert_match $'Content-Length: '"$(wc -c <page.html)"$'\r' "$output"
	sed '1,/^\r$/d' reply >body # the page starts after the blank line
	cmp body page.html
	assert_match 'GET / -> 200' "$(cat srv.log)"
}

@test "http_server -f: serves a file byte for byte, to curl and to socket_inet; HEAD too" {
	command -v curl >/dev/null || skip "needs curl"
	seq 1 30000 | sed 's/^/line /' >page.txt
	start_server srv.log "$(prog sockets http_server)" -f page.txt 0
	run -0 t curl --noproxy "*" -sS -o got.txt "http://127.0.0.1:$PORT/index.html"
	cmp got.txt page.txt
	t "$(prog sockets socket_inet)" localhost "$PORT" / >reply
	sed '1,/^\r$/d' reply >body
	cmp body page.txt
	run -0 t curl --noproxy "*" -sS -I "http://127.0.0.1:$PORT/"
	assert_match $'Content-Length: '"$(stat -c %s page.txt)"$'\r' "$output"
	assert_match $'Content-Type: text/plain\r' "$output"
}

@test "http_server: 404, 501 and 400 for what it does not serve, and it keeps serving" {
	command -v curl >/dev/null || skip "needs curl"
	start_server srv.log "$(prog sockets http_server)" 0
	run -0 t curl --noproxy "*" -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/missing"
	assert_eq 404 "$output"
	run -0 t curl --noproxy "*" -sS -o /dev/null -w '%{http_code}' -X DELETE "http://127.0.0.1:$PORT/"
	assert_eq 501 "$output"
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
	printf 'this is not http\r\n\r\n' >&"$fd"
	IFS= read -r -t 5 -u "$fd" status
	exec {fd}>&-
	assert_eq $'HTTP/1.0 400 Bad Request\r' "$status"
	send_garbage "$PORT" 3000
	run -0 t curl --noproxy "*" -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/"
	assert_eq 200 "$output"
	stop_bg "$SERVER"
	assert_eq 0 "$BG_STATUS" "exit status"
}

@test "http_server: ALP's bare HTTP/0.9 'GET /' gets the page alone" {
	command -v curl >/dev/null || skip "needs curl"
	start_server srv.log "$(prog sockets http_server)" 0
	t curl --noproxy "*" -sS -o page.html "http://127.0.0.1:$PORT/"
	t bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$1"; printf "GET /\n" >&5; cat <&5' _ "$PORT" >bare
	cmp bare page.html
}

@test "http_server: a missing file is status 1; bad arguments get usage" {
	run -1 --separate-stderr t "$(prog sockets http_server)" -f no-such-file 0
	assert_eq "http_server: no-such-file: No such file or directory" "$stderr"
	for args in "" "-f" "x" "70000" "0 nowhere" "0 127.0.0.1 extra" "-z 0"; do
		run -2 --separate-stderr t "$(prog sockets http_server)" $args
		assert_usage
	done
}

@test "http_server -f: a FIFO or a directory is refused at once, never a hang or an empty page" {
	mkfifo page.fifo
	mkdir page.dir
	run -1 --separate-stderr t "$(prog sockets http_server)" -f page.fifo 0
	assert_eq "http_server: page.fifo: not a regular file" "$stderr" "(a FIFO: open() would wait for a writer)"
	assert_eq "" "$output"
	run -1 --separate-stderr t "$(prog sockets http_server)" -f page.dir 0
	assert_eq "http_server: page.dir: not a regular file" "$stderr"
}

@test "http_server -f: a file that becomes a FIFO after the start gets 500, and the server goes on" {
	command -v curl >/dev/null || skip "needs curl"
	echo "the page" >page.txt
	start_server srv.log "$(prog sockets http_server)" -f page.txt 0
	rm page.txt
	mkfifo page.txt
	run -0 t curl --noproxy "*" -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/"
	assert_eq 500 "$output" "the status for a page that is now a FIFO"
	rm page.txt
	echo "back again" >page.txt
	run -0 t curl --noproxy "*" -sS "http://127.0.0.1:$PORT/"
	assert_eq "back again" "$output"
}

@test "http_server: the longest request head (8192 bytes) is answered, one byte more is 400; control bytes are 400" {
	start_server srv.log "$(prog sockets http_server)" 0
	local n head want
	for n in 8192 8193; do
		head=$'GET / HTTP/1.0\r\nX-Pad: '
		head+=$(printf '%*s' $((n - ${#head} - 4)) '' | tr ' ' p)$'\r\n\r\n'
		assert_eq "$n" "${#head}" "the length of the test's own head"
		exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
		if [[ $n == 8192 ]]; then
			# In two pieces: the server has read all but the last byte (it waits
			# in read again) before that byte comes, so a full buffer is tested.
			printf '%s' "${head%?}" >&"$fd"
			wait_asleep "$SERVER"
			printf '\n' >&"$fd"
		else
			printf '%s' "$head" >&"$fd"
		fi
		IFS= read -r -t 5 -u "$fd" status || true
		exec {fd}>&-
		[[ $n == 8192 ]] && want=$'HTTP/1.0 200 OK\r' || want=$'HTTP/1.0 400 Bad Request\r'
		assert_eq "$want" "$status" "the status for a head of $n bytes"
	done
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
	printf 'GET /\033[31mred HTTP/1.0\r\n\r\n' >&"$fd"
	IFS= read -r -t 5 -u "$fd" status || true
	exec {fd}>&-
	assert_eq $'HTTP/1.0 400 Bad Request\r' "$status" "a path with an escape byte"
	run ! grep -q $'\033' srv.log
}

@test "socket_inet: no server is status 1 and why; bad arguments get usage" {
	port=$(closed_port)
	run -1 --separate-stderr t "$(prog sockets socket_inet)" 127.0.0.1 "$port"
	assert_eq "socket_inet: connect to 127.0.0.1 port $port: Connection refused" "$stderr"
	assert_eq "" "$output"
	for args in "" "host 0" "host x" "host 80 nopath" "host 80 / extra"; do
		run -2 --separate-stderr t "$(prog sockets socket_inet)" $args
		assert_usage
	done
	# A path that would break the request line (or add a header) is refused.
	run -2 --separate-stderr t "$(prog sockets socket_inet)" host 80 '/a b'
	assert_usage
	run -2 --separate-stderr t "$(prog sockets socket_inet)" host 80 $'/a\r\nX: y'
	assert_usage
}

# ---- every program ----

# The programs of sockets/, for the tests that go through all of them.
SOCKETS_PROGS=(server client poll_server fork_server udp_server udp_client socket_inet http_server
	epoll_server half_close udp_multicast inet6_server inet6_client)

@test "every program: -h, --help and junk arguments get a usage line and status 2, nothing made" {
	local name args path
	for name in "${SOCKETS_PROGS[@]}"; do
		path=$(prog sockets "$name")
		for args in "-h" "--help" "j1 j2 j3 j4 j5 j6 j7 j8"; do
			quick_run -2 "$path" $args </dev/null
			assert_usage || { echo "(that was: $name $args)" >&2; false; }
		done
	done
	assert_eq "" "$(ls -A | grep -v "^separate-stderr-")" "files the programs made here"
}
