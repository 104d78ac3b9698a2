#!/usr/bin/env bats
# tests/fifo.bats -- fifo/: behaviour through each program's command line.
load helpers

setup() { lab_setup; }
teardown() { lab_teardown; }

# hold_open FIFO -- keep FIFO open for reading (and writing, so the open does
# not wait) in a background shell, as a busy server would. Sets BG_PID.
hold_open() {
	start_bg hold.log bash -c 'exec 5<>"$1" && echo held && exec sleep 60' hold "$1"
	wait_for_line hold.log '^held$'
}

# start_writer FIFO INPUT -- fifo_writer on FIFO in the background, its
# standard input from the file INPUT; waits for its readiness line.
start_writer() {
	start_bg writer.log bash -c 'exec "$1" "$2" <"$3"' writer "$(prog fifo fifo_writer)" "$1" "$2"
	wait_for_line writer.log "^waiting for a reader on $1\$"
}

# start_reader FIFO [LOG] -- fifo_reader on FIFO in the background; waits for
# its readiness line.
start_reader() {
	local log=${2:-reader.log}
	start_bg "$log" "$(prog fifo fifo_reader)" "$1"
	wait_for_line "$log" "^waiting for a writer on $1\$"
}

# --- fifo_writer and fifo_reader (CE "FIFOs") ---

@test "fifo_writer -> fifo_reader: every byte arrives as sent (spaces, empty and long lines); the FIFO is removed" {
	{
		printf 'hello world\n\n  two  spaces \n'
		printf '%01000d\n' 7 # longer than the reader's buffer: comes in pieces
		printf 'last line, no newline'
	} >in.txt
	start_reader x.fifo
	local reader=$BG_PID
	run -0 --separate-stderr t bash -c 'exec "$1" x.fifo <in.txt' w "$(prog fifo fifo_writer)"
	assert_eq "$(printf 'waiting for a reader on x.fifo\nwrote %d bytes' "$(wc -c <in.txt)")" "$output"
	assert_eq "" "$stderr" "stderr"
	wait_bg "$reader"
	assert_eq 0 "$BG_STATUS" "reader status"
	assert_eq "$(echo 'waiting for a writer on x.fifo'; cat in.txt)" "$(cat reader.log)"
	assert_gone x.fifo
}

# CE l.185-189: type lines into `cat > fifo`; each appears when Enter is pressed.
@test "fifo_reader: each line shows up as soon as it is written, while the writer still has the FIFO open (CE l.185-191)" {
	start_reader x.fifo
	local reader=$BG_PID
	exec 5<>x.fifo # a writer that stays, like `cat > x.fifo` on a terminal
	echo "first line, typed" >&5
	wait_for_line reader.log '^first line, typed$' 5
	echo "second line" >&5
	wait_for_line reader.log '^second line$' 5
	kill -0 "$reader" # still reading: EOF comes only with Ctrl-D
	exec 5>&-         # Ctrl-D: the last writer closes
	wait_bg "$reader"
	assert_eq 0 "$BG_STATUS" "reader status"
	assert_gone x.fifo
}

@test "fifo_reader: a shell redirection can be the writer (seq > fifo)" {
	start_reader x.fifo
	local reader=$BG_PID
	t bash -c 'seq 1 100 >x.fifo'
	wait_bg "$reader"
	assert_eq 0 "$BG_STATUS" "reader status"
	assert_eq "$(seq 1 100)" "$(tail -n +2 reader.log)"
	assert_gone x.fifo
}

@test "fifo_writer: cat can be the reader, and gets exactly the bytes" {
	seq 1 20000 >in.txt
	start_writer x.fifo in.txt
	local writer=$BG_PID
	run -0 --separate-stderr t cat x.fifo
	assert_eq "$(cat in.txt)" "$output"
	wait_bg "$writer"
	assert_eq 0 "$BG_STATUS" "writer status"
	assert_eq "wrote $(wc -c <in.txt) bytes" "$(tail -n 1 writer.log)"
	assert_gone x.fifo
}

# SYS l.129-132: a program that reads a file (gzip) reads the FIFO instead.
@test "fifo_writer: gzip reads the FIFO as its input file (SYS l.127-133)" {
	seq 1 50000 >file
	start_writer pipe_file file
	local writer=$BG_PID
	[[ -p pipe_file ]]
	t bash -c 'gzip -c9 <pipe_file >file.gz'
	wait_bg "$writer"
	assert_eq 0 "$BG_STATUS" "writer status"
	assert_eq "$(cat file)" "$(gzip -dc file.gz)"
	assert_gone pipe_file
}

# SYS l.134-136: a FIFO is read in order only; there is no offset to seek to.
@test "fifo_writer: a reader that seeks in the FIFO fails with ESPIPE (SYS l.134-136)" {
	command -v perl >/dev/null || skip "perl is not installed"
	seq 1 10 >file
	start_writer x.fifo file
	local writer=$BG_PID
	# the errno's name, not its text, which differs between C libraries
	run -1 --separate-stderr t perl -MErrno -e 'open(my $f, "<", $ARGV[0]) or die "open: $!\n";
		seek($f, 5, 0) and print "seek worked\n" or print STDERR $!{ESPIPE} ? "seek: ESPIPE\n" : "seek: $!\n" and exit 1' x.fifo
	assert_eq "seek: ESPIPE" "$stderr"
	wait_bg "$writer" # done, or failed with EPIPE: the reader left early
	assert_gone x.fifo
}

# CE l.222 "similar rules apply to simultaneous reads": they do not. Each
# read() takes what is there, so a second reader gets pieces of lines.
@test "fifo_reader x2: two readers of one FIFO share the bytes, and lines are cut between them (CE l.222)" {
	seq 1 50000 >in.txt
	start_reader x.fifo a.log
	local a=$BG_PID
	start_reader x.fifo b.log
	local b=$BG_PID
	wait_asleep "$a"
	wait_asleep "$b" # both wait in fopen() before the writer comes
	run -0 t bash -c 'exec "$1" x.fifo <in.txt' w "$(prog fifo fifo_writer)"
	wait_bg "$a"
	wait_bg "$b"
	tail -n +2 a.log >a.out
	tail -n +2 b.log >b.out
	assert_eq "$(wc -c <in.txt)" "$(($(wc -c <a.out) + $(wc -c <b.out)))" "bytes read by both"
	[[ -s a.out && -s b.out ]] || skip "one reader got the whole stream this time: could not show the split"
	# a line cut between the readers shows up as two pieces that are no line sent
	if [[ $(awk 1 a.out b.out | sort) == "$(sort in.txt)" ]]; then
		skip "every read this time ended at the end of a line: could not show a cut"
	fi
	assert_gone x.fifo
}

@test "fifo_writer/fifo_reader: a FIFO they did not create is used and left in place" {
	mkfifo mine.fifo
	printf 'a\nb\n' >in.txt
	start_reader mine.fifo
	local reader=$BG_PID
	run -0 --separate-stderr t bash -c 'exec "$1" mine.fifo <in.txt' w "$(prog fifo fifo_writer)"
	wait_bg "$reader"
	assert_eq "$(printf 'a\nb')" "$(tail -n +2 reader.log)"
	[[ -p mine.fifo ]]
	rm mine.fifo
}

@test "fifo_writer: SIGTERM while waiting for a reader removes the FIFO (status 1)" {
	start_writer x.fifo /dev/null
	stop_bg "$BG_PID" TERM
	assert_eq 1 "$BG_STATUS" "status"
	assert_match 'fifo_writer: interrupted' "$(cat writer.log)" "log"
	assert_gone x.fifo
}

@test "fifo_reader: SIGINT while waiting for a writer removes the FIFO (status 1)" {
	start_reader x.fifo
	stop_bg "$BG_PID" INT
	assert_eq 1 "$BG_STATUS" "status"
	assert_match 'fifo_reader: interrupted' "$(cat reader.log)" "log"
	assert_gone x.fifo
}

# A stop sent at once, not only once the program sleeps: it may land before
# open() has begun, which a flag alone would miss (docs/CONTRIBUTING.md).
@test "fifo_writer/fifo_reader: SIGTERM right after the readiness line still removes the FIFO" {
	local p
	for p in fifo_writer fifo_reader; do
		start_bg "$p.log" "$(prog fifo "$p")" x.fifo
		wait_for_line "$p.log" '^waiting for a'
		kill -TERM "$BG_PID"
		wait_bg "$BG_PID"
		assert_eq 1 "$BG_STATUS" "$p status"
		assert_match "$p: interrupted" "$(cat "$p.log")" "$p log"
		assert_gone x.fifo
	done
}

@test "fifo_writer: a reader that goes away gives a clear EPIPE error (status 1)" {
	start_writer x.fifo /dev/zero
	local writer=$BG_PID
	run -0 t bash -c 'head -c 10 x.fifo | wc -c'
	assert_eq 10 "$output"
	wait_bg "$writer"
	assert_eq 1 "$BG_STATUS" "writer status"
	assert_match 'fifo_writer: write: Broken pipe' "$(cat writer.log)" "log"
	assert_gone x.fifo
}

@test "fifo_reader: output that goes away (| head) is an error, and the FIFO is still removed" {
	seq 1 100000 >in.txt
	start_bg reader.log bash -c '"$1" x.fifo | head -n 1; exit "${PIPESTATUS[0]}"' r "$(prog fifo fifo_reader)"
	local reader=$BG_PID
	wait_for_file x.fifo
	t bash -c 'exec "$1" x.fifo <in.txt' w "$(prog fifo fifo_writer)" >/dev/null 2>&1 || true
	wait_bg "$reader"
	assert_eq 1 "$BG_STATUS" "reader status"
	assert_match 'fifo_reader: standard output: Broken pipe' "$(cat reader.log)" "log"
	assert_gone x.fifo
}

@test "fifo_reader: a writer killed in the middle of a line: what came is printed, and EOF ends the reader (status 0)" {
	start_reader x.fifo
	local reader=$BG_PID
	t bash -c 'exec 5>x.fifo; printf "one line\nhalf a li" >&5; kill -KILL $$' || true
	wait_bg "$reader"
	assert_eq 0 "$BG_STATUS" "reader status: the writer gone is EOF, not an error"
	assert_eq "$(printf 'waiting for a writer on x.fifo\none line\nhalf a li')" "$(cat reader.log)"
	assert_gone x.fifo
}

@test "fifo_writer/fifo_reader: a path that is not a FIFO, or cannot be made, is refused (status 1)" {
	echo keep >plain
	run -1 --separate-stderr t "$(prog fifo fifo_writer)" plain
	assert_match 'plain exists and is not a FIFO' "$stderr" "stderr"
	run -1 --separate-stderr t "$(prog fifo fifo_reader)" plain
	assert_match 'plain exists and is not a FIFO' "$stderr" "stderr"
	assert_eq keep "$(cat plain)"
	mkdir adir
	run -1 --separate-stderr t "$(prog fifo fifo_writer)" adir
	assert_eq "fifo_writer: adir exists and is not a FIFO" "$stderr" "a directory: refused at once"
	run -1 --separate-stderr t "$(prog fifo fifo_reader)" adir
	assert_eq "fifo_reader: adir exists and is not a FIFO" "$stderr" "a directory: refused at once"
	[[ -d adir ]]
	run -1 --separate-stderr t "$(prog fifo fifo_reader)" nodir/x.fifo
	assert_match '^fifo_reader: mkfifo nodir/x.fifo: ' "$stderr" "stderr"
	run -1 --separate-stderr t "$(prog fifo fifo_writer)" nodir/x.fifo </dev/null
	assert_match '^fifo_writer: mkfifo nodir/x.fifo: ' "$stderr" "stderr"
}

@test "fifo_writer/fifo_reader: wrong arguments get usage and status 2" {
	local p
	for p in fifo_writer fifo_reader; do
		run -2 --separate-stderr t "$(prog fifo "$p")"
		assert_usage
		run -2 --separate-stderr t "$(prog fifo "$p")" -n x.fifo
		assert_usage
		run -2 --separate-stderr t "$(prog fifo "$p")" a.fifo b.fifo
		assert_usage
	done
	assert_gone a.fifo b.fifo x.fifo
}

# --- fifos, robust_fifos and fifoc (KHU "FIFOs" exercise) ---

# start_server [PROG] -- fifos (or PROG) on srv.fifo, waited for; sets SERVER
# and SERVER_LOG (a new log each time: a reused one could still show the
# last server's lines before the new server's shell truncates it).
SERVERS=0
start_server() {
	SERVER_LOG=server$((++SERVERS)).log
	start_bg "$SERVER_LOG" "$(prog fifo "${1:-fifos}")" srv.fifo
	SERVER=$BG_PID
	wait_for_line "$SERVER_LOG" '^listening on srv\.fifo$'
}

# raw_request "PID NUMBER" -- send that request line into srv.fifo by hand, as
# client PID would, and print the answer that comes back on srv.fifo.PID.
raw_request() {
	local pid=${1%% *} line=""
	mkfifo "srv.fifo.$pid"
	exec 5<>"srv.fifo.$pid" # the client's end, open before asking, as fifoc does
	t bash -c 'printf "%s\n" "$1" >srv.fifo' x "$1"
	read -r -t 10 line <&5 || true
	exec 5<&-
	rm "srv.fifo.$pid"
	printf '%s\n' "$line"
}

# assert_no_reply_fifos -- no client left its srv.fifo.PID behind.
assert_no_reply_fifos() {
	local left
	left=$(compgen -G 'srv.fifo.*' || true)
	assert_eq "" "$left" "reply FIFOs left behind"
}

@test "fifos/fifoc: a client gets the square of its number; SIGTERM removes the FIFO" {
	start_server
	run -0 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 7
	assert_eq "7 squared is 49" "$output"
	assert_eq "" "$stderr" "stderr"
	run -0 --separate-stderr t "$(prog fifo fifoc)" srv.fifo -3037000499
	assert_eq "-3037000499 squared is $((3037000499 * 3037000499))" "$output"
	assert_no_reply_fifos
	stop_bg "$SERVER" TERM
	assert_eq 0 "$BG_STATUS" "server status"
	assert_match 'fifos: FIFO removed' "$(cat "$SERVER_LOG")" "log"
	assert_gone srv.fifo
}

@test "fifos, robust_fifos: serve 25 clients started at once, each with its own answer" {
	local server i pids failed fifoc out err
	fifoc=$(prog fifo fifoc)
	for server in fifos robust_fifos; do
		start_server "$server"
		pids=() failed=0
		for ((i = 1; i <= 25; i++)); do
			t "$fifoc" srv.fifo $((i * 1001 - 13)) >"out.$i" 2>"err.$i" &
			pids+=($!)
		done
		for i in "${pids[@]}"; do wait "$i" || failed=$((failed + 1)); done
		for ((i = 1; i <= 25; i++)); do
			lab_read out "out.$i"
			lab_read err "err.$i"
			assert_eq "$((i * 1001 - 13)) squared is $(((i * 1001 - 13) ** 2))" "$out" "$server: client $i"
			assert_eq "" "$err" "$server: client $i stderr"
		done
		assert_eq 0 "$failed" "$server: clients that failed"
		# the server logs an answer just after sending it: wait for the last line
		wait_until '(($(grep -c ": answered " "$SERVER_LOG") == 25))' || {
			cat "$SERVER_LOG" >&2
			return 1
		}
		assert_no_reply_fifos
		stop_bg "$SERVER"
		assert_gone srv.fifo
	done
}

@test "fifos: a number whose square does not fit gets an error line; the server serves on" {
	start_server
	assert_match '^error: ' "$(raw_request "424242 -3037000500")" "answer"
	run -0 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 3037000499
	assert_eq "3037000499 squared is $((3037000499 * 3037000499))" "$output"
	stop_bg "$SERVER"
	assert_gone srv.fifo
}

@test "fifos: a line that is not \"PID NUMBER\" costs a warning and only itself; the server serves on" {
	start_server
	t bash -c 'printf "hello\n1 2 3\n12345678901 5\n7\n" >srv.fifo'
	run -0 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 11
	assert_eq "11 squared is 121" "$output" "the request after four bad lines"
	assert_eq 4 "$(grep -c 'ignored a request that is not "PID NUMBER"' "$SERVER_LOG")" \
		"warnings in the log, one per bad line"
	stop_bg "$SERVER"
	assert_gone srv.fifo
}

@test "fifos, robust_fifos: half a request line from a client that stopped does not take the next client's request with it" {
	local server
	for server in fifos robust_fifos; do
		start_server "$server"
		t bash -c 'printf 4242 >srv.fifo' # half of "4242 5\n", and the client stops
		run --separate-stderr t "$(prog fifo fifoc)" srv.fifo 7
		assert_eq "7 squared is 49" "$output" "$server: the request after half a line (lost: the server joined it to the half line)"
		assert_eq 0 "$status" "$server: fifoc's status"
		run -0 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 8
		assert_eq "8 squared is 64" "$output" "$server: the next request"
		assert_match 'ignored (a request that is not "PID NUMBER"|a malformed request|half a request)' \
			"$(cat "$SERVER_LOG")" "$server log: the half line is reported, not silently dropped"
		stop_bg "$SERVER"
		assert_gone srv.fifo
	done
}

# fifos' stated limit: a request sent without fifoc's leading '\n' is joined to
# the half line before it; the server says so (the joined pid has no FIFO).
@test "fifos: half a line, then a request with no leading '\\n': the two are read as one, and the server says it could not answer" {
	start_server
	t bash -c 'printf 4242 >srv.fifo'
	t bash -c 'printf "1 5\n" >srv.fifo'
	wait_for_line "$SERVER_LOG" '^fifos: client 42421: not answered: open srv\.fifo\.42421: ' 5
	run -0 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 3
	assert_eq "3 squared is 9" "$output" "the next client"
	stop_bg "$SERVER"
	assert_gone srv.fifo
}

# A client that sends its request line as it should, "PID NUMBER\n", without
# fifoc's leading '\n': robust_fifos drops a piece of line that is left when
# its FIFO has run empty (a request is one write, so no more of it can come).
@test "robust_fifos: half a request line, then a raw request line after it has been read: the raw request is answered" {
	start_server robust_fifos
	t bash -c 'printf 4242 >srv.fifo'
	wait_for_line "$SERVER_LOG" '^ignored half a request'
	assert_eq 25 "$(raw_request "424242 5")" "the request after half a line"
	stop_bg "$SERVER"
	assert_gone srv.fifo
}

@test "fifoc: SIGTERM while it waits for a stopped server removes its FIFO (status 1); the server then serves on" {
	local server client gone
	for server in fifos robust_fifos; do
		start_server "$server"
		kill -STOP "$SERVER"
		start_bg client.log "$(prog fifo fifoc)" srv.fifo 9
		client=$BG_PID
		wait_for_file "srv.fifo.$client"
		kill -TERM "$client" # at once: it may not have begun to wait yet
		wait_bg "$client"
		assert_eq 1 "$BG_STATUS" "client status"
		assert_eq "fifoc: interrupted" "$(cat client.log)" "client log"
		start_bg client.log "$(prog fifo fifoc)" srv.fifo 10
		gone=$BG_PID
		wait_asleep "$gone" # its request sent, it waits for the answer
		stop_bg "$gone" TERM
		assert_eq 1 "$BG_STATUS" "second client status"
		assert_no_reply_fifos
		kill -CONT "$SERVER"
		run -0 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 5
		assert_eq "5 squared is 25" "$output" "$server: the next client"
		assert_match "srv.fifo.$gone: No such file|srv.fifo.$gone \\(No such file" "$(cat "$SERVER_LOG")" "$server log: the client gone"
		stop_bg "$SERVER"
		assert_gone srv.fifo
	done
}

@test "fifos, robust_fifos: SIGTERM right after the readiness line, or SIGINT, stops it and removes the FIFO" {
	local server sig
	for server in fifos robust_fifos; do
		start_server "$server"
		kill -TERM "$SERVER"
		wait_bg "$SERVER"
		assert_eq 0 "$BG_STATUS" "$server status"
		assert_match 'FIFO removed' "$(cat "$SERVER_LOG")" "$server log"
		assert_gone srv.fifo
		start_server "$server"
		stop_bg "$SERVER" INT
		assert_eq 0 "$BG_STATUS" "$server status after SIGINT"
		assert_gone srv.fifo
	done
}

@test "fifos, robust_fifos: after SIGKILL a new server starts on the FIFO left behind" {
	local server
	for server in fifos robust_fifos; do
		start_server "$server"
		stop_bg "$SERVER" KILL
		[[ -p srv.fifo ]] # SIGKILL cannot be caught: the FIFO stays
		start_server "$server"
		run -0 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 8
		assert_eq "8 squared is 64" "$output" "$server"
		stop_bg "$SERVER"
		assert_gone srv.fifo
	done
	assert_match 'replaced srv.fifo' "$(cat "$SERVER_LOG")" "robust_fifos log"
}

@test "fifos, robust_fifos: a path that is not a FIFO (a file, a directory) is refused at once and left alone (status 1)" {
	local server
	echo keep >srv.fifo
	mkdir adir
	for server in fifos robust_fifos; do
		run -1 --separate-stderr t "$(prog fifo "$server")" srv.fifo
		assert_eq "$server: srv.fifo exists and is not a FIFO; not touching it" "$stderr" "$server stderr"
		assert_eq keep "$(cat srv.fifo)"
		run -1 --separate-stderr t "$(prog fifo "$server")" adir
		assert_eq "$server: adir exists and is not a FIFO; not touching it" "$stderr" "$server stderr: a directory"
		[[ -d adir ]]
	done
}

@test "fifoc: no server, no FIFO, a plain file or a directory fails with status 1 and says so" {
	mkfifo srv.fifo
	run -1 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 1
	assert_eq "fifoc: no server is reading srv.fifo" "$stderr"
	rm srv.fifo
	run -1 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 1
	assert_match 'fifoc: srv.fifo: No such file' "$stderr" "stderr"
	echo keep >srv.fifo
	run -1 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 1
	assert_eq "fifoc: srv.fifo is not a FIFO" "$stderr"
	assert_eq keep "$(cat srv.fifo)"
	rm srv.fifo
	mkdir srv.fifo
	run -1 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 1
	assert_match '^fifoc: srv.fifo: ' "$stderr" "a directory: refused at once"
	rmdir srv.fifo
	assert_no_reply_fifos
}

@test "fifos/robust_fifos/fifoc: wrong arguments get usage and status 2" {
	local args p
	for args in "" "srv.fifo" "srv.fifo x" "srv.fifo 3037000500" "srv.fifo -3037000500" \
		"srv.fifo 1 2" "-t 1 srv.fifo 1" "srv.fifo 9999999999999999999999"; do
		# shellcheck disable=SC2086 # split on purpose
		run -2 --separate-stderr t "$(prog fifo fifoc)" $args
		assert_usage
	done
	for p in fifos robust_fifos; do
		for args in "" "-n 1 srv.fifo" "a.fifo b.fifo"; do
			# shellcheck disable=SC2086
			run -2 --separate-stderr t "$(prog fifo "$p")" $args
			assert_usage
		done
	done
	assert_gone srv.fifo a.fifo b.fifo
	assert_no_reply_fifos
}

# The line limit on both sides: FIFOS_LINE_MAX (64) bytes with the '\n' is the
# longest request; spaces between PID and NUMBER make a valid one that long.
@test "fifos, robust_fifos: the longest request line (63 bytes and its '\\n') is answered; one byte more is refused, and only it" {
	local server pad63 pad64
	pad63=$(printf "424242%56s5" "") # 6 + 56 + 1 = 63 bytes
	pad64=$(printf "424243%57s5" "")
	assert_eq 63 "${#pad63}" "the test's own line"
	for server in fifos robust_fifos; do
		start_server "$server"
		assert_eq 25 "$(raw_request "$pad63")" "$server: a request line of 63 bytes and its '\\n' (a buffer one byte short refuses it)"
		mkfifo srv.fifo.424243
		exec 6<>srv.fifo.424243
		t bash -c 'printf "%s\n" "$1" >srv.fifo' x "$pad64"
		run -0 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 6 # served in turn: after the long line
		assert_eq "6 squared is 36" "$output" "$server: the request after the overlong line"
		assert_match 'ignored (an overlong request|a request that is not "PID NUMBER", or a piece of one)' \
			"$(cat "$SERVER_LOG")" "$server log: 64 bytes and a '\\n' is one byte too long"
		if read -r -t 0 -u 6; then
			echo "$server answered a request line of 64 bytes and its '\\n', one byte over the limit" >&2
			return 1
		fi
		exec 6<&-
		rm srv.fifo.424243
		stop_bg "$SERVER"
		assert_gone srv.fifo
	done
}

# A client that reads its answer to EOF (cat) ends only when the server has
# closed the client's FIFO: a server that keeps it open leaks a descriptor a
# client, and leaves such a client waiting.
@test "fifos, robust_fifos: after its answer the server closes the client's FIFO (cat as the client sees EOF)" {
	local server reader
	for server in fifos robust_fifos; do
		start_server "$server"
		mkfifo srv.fifo.515151
		exec 6<>srv.fifo.515151 # a writer of our own, so cat's open does not wait
		start_bg cat.log bash -c 'exec cat "$1" 6>&-' x srv.fifo.515151 # fd 6 is ours only
		reader=$BG_PID
		t bash -c 'printf "515151 12\n" >srv.fifo'
		wait_for_line cat.log '^144$'
		exec 6>&- # now only the server may still hold the FIFO open for writing
		wait_until "! kill -0 $reader 2>/dev/null" || {
			echo "$server: no EOF for the client: the server still holds the client's FIFO open (a close missing)" >&2
			return 1
		}
		stop_bg "$reader"
		rm srv.fifo.515151
		stop_bg "$SERVER"
		assert_gone srv.fifo
	done
}

@test "fifos, robust_fifos: a reply path that is a plain file or a directory is not written into; the server serves on" {
	local server
	for server in fifos robust_fifos; do
		start_server "$server"
		echo keep >srv.fifo.77777777
		mkdir srv.fifo.77777778
		t bash -c 'printf "77777777 8\n77777778 9\n" >srv.fifo'
		run -0 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 12
		assert_eq "12 squared is 144" "$output" "$server: the next client"
		assert_eq keep "$(cat srv.fifo.77777777)" "$server: a plain file in a client FIFO's place"
		assert_match "client 77777777: .*srv.fifo.77777777 is not a FIFO" "$(cat "$SERVER_LOG")" "$server log"
		assert_match "client 77777778: .*srv.fifo.77777778" "$(cat "$SERVER_LOG")" "$server log: a directory"
		rm srv.fifo.77777777
		rmdir srv.fifo.77777778
		stop_bg "$SERVER"
		assert_gone srv.fifo
	done
}

# Peer death, the client's side: a client whose reader leaves as soon as its
# open meets the server's (": <fifo") is gone before the server writes, most
# times: the write fails with EPIPE, after a SIGPIPE that kills a server that
# does not ignore it.
@test "fifos: a client that leaves between the server's open and its write costs a warning (EPIPE), not the server (SIGPIPE)" {
	local i pid shown=0
	start_server
	for ((i = 1; i <= 20 && !shown; i++)); do
		pid=$((600000 + i))
		mkfifo "srv.fifo.$pid"
		t bash -c 'printf "%s 5\n" "$1" >srv.fifo' x "$pid"
		wait_asleep "$SERVER" # most times in open() by now, waiting for the client
		t bash -c ': <"$1"' x "srv.fifo.$pid" # the client opens, and leaves at once
		wait_until "grep -q 'client $pid: ' $SERVER_LOG || ! kill -0 $SERVER 2>/dev/null"
		rm "srv.fifo.$pid"
		kill -0 "$SERVER" 2>/dev/null || {
			echo "the server died when client $pid left before its answer: SIGPIPE is not ignored" >&2
			cat "$SERVER_LOG" >&2
			return 1
		}
		grep -q "client $pid: write srv.fifo.$pid: " "$SERVER_LOG" && shown=1
	done
	run -0 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 4
	assert_eq "4 squared is 16" "$output" "the next client"
	stop_bg "$SERVER"
	assert_gone srv.fifo
	((shown)) || skip "no client left between the server's open and write in 20 tries: could not show EPIPE"
}

# Peer death, the server's side: fifoc has no time limit (its stated limit).
@test "fifoc: the server killed while the client waits: the client hangs (stated), and SIGTERM still removes its FIFO" {
	start_server
	kill -STOP "$SERVER"
	start_bg client.log "$(prog fifo fifoc)" srv.fifo 9
	local client=$BG_PID
	wait_for_file "srv.fifo.$client"
	wait_asleep "$client" # its request sent, it waits for the answer
	stop_bg "$SERVER" KILL
	if wait_until "! kill -0 $client 2>/dev/null" 1 2>/dev/null; then
		echo "fifoc ended by itself when its server died: update the test and fifoc's stated limit" >&2
		return 1
	fi
	echo "# the client hangs when the server dies: fifoc has no time limit (stated in fifoc.c)" >&3
	stop_bg "$client" TERM
	assert_eq 1 "$BG_STATUS" "client status after SIGTERM"
	assert_eq "fifoc: interrupted" "$(cat client.log)" "client log"
	assert_no_reply_fifos
	[[ -p srv.fifo ]] # SIGKILL left it
	rm srv.fifo
}

# Issue 15, item 11: what a peer sends is never printed raw.
@test "fifoc: control bytes in the server's answer are shown as '?'" {
	mkfifo srv.fifo
	# a fake server: skips fifoc's empty first line, answers with escape sequences
	start_bg fake.log bash -c 'exec 5<>srv.fifo; echo ready
		while read -r pid n <&5; do
			[[ -n $pid ]] || continue
			if ((n == 7)); then printf "4\e[2J9\a\n"; elif ((n > 60)); then printf "%0${n}d\n" 0
			else printf "error: \e]0;title\a\n"; fi >"srv.fifo.$pid"
		done'
	wait_for_line fake.log '^ready$'
	run -0 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 7
	assert_eq "7 squared is 4?[2J9?" "$output" "the answer, control bytes replaced"
	run -1 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 8
	assert_eq "fifoc: the server says: error: ?]0;title?" "$stderr" "the error line, control bytes replaced"
	# The longest answer fifoc takes: 62 bytes and its '\n' (answer[FIFOS_LINE_MAX]
	# holds them and the '\0'); a longer one is refused, never printed cut short.
	local zeros
	printf -v zeros '%062d' 0
	run -0 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 62
	assert_eq "62 squared is $zeros" "$output" "the longest answer, whole"
	run -1 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 63
	assert_eq "fifoc: no answer from the server" "$stderr" \
		"an answer of 63 bytes and its '\n' does not fit: refused, not printed without its end"
	assert_eq "" "$output" "stdout for the answer that does not fit"
	stop_bg "$BG_PID"
	assert_no_reply_fifos
	rm srv.fifo
}

# --- robust_fifos: what fifos trusts, checked ---

@test "robust_fifos: survives clients that died mid-request, junk, overlong lines, and a reply path that is no FIFO" {
	start_server robust_fifos
	local dead
	dead=$(dead_pid)
	mkfifo "srv.fifo.$dead" # a client that made its FIFO and died (kill -9) before the answer
	echo data >srv.fifo.77777777
	mkfifo victim.fifo
	exec 6<>victim.fifo # someone else's FIFO, with a reader: a symbolic link must not lead there
	ln -s victim.fifo srv.fifo.66666666
	t bash -c 'printf "%s 5\n%s 6\nnonsense\n77777777 8\n66666666 9\n%0100d\n" "$1" 99999999 7 >srv.fifo' x "$dead"
	run -0 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 12
	assert_eq "12 squared is 144" "$output"
	local log
	log=$(cat "$SERVER_LOG")
	assert_match "client $dead: cannot open srv.fifo.$dead \(No such device or address\); skipped" "$log" "log"
	assert_match "client 99999999: cannot open srv.fifo.99999999 \(No such file or directory\); skipped" "$log" "log"
	assert_match "ignored a malformed request" "$log" "log"
	assert_match "client 77777777: srv.fifo.77777777 is not a FIFO; skipped" "$log" "log"
	assert_match "ignored an overlong request" "$log" "log"
	assert_match "client 66666666: cannot open srv.fifo.66666666 " "$log" "log: a symbolic link is not followed"
	assert_eq data "$(cat srv.fifo.77777777)"
	if read -r -t 0 -u 6; then
		echo "robust_fifos wrote through a symbolic link into another FIFO (O_NOFOLLOW missing)" >&2
		return 1
	fi
	exec 6<&-
	rm "srv.fifo.$dead" srv.fifo.77777777 srv.fifo.66666666 victim.fifo
	stop_bg "$SERVER"
	assert_eq 0 "$BG_STATUS" "server status"
	assert_gone srv.fifo
}

@test "robust_fifos: a request whose number is bad gets an error line on the client's FIFO" {
	start_server robust_fifos
	assert_match '^error: not a number' "$(raw_request "424242 twelve")" "answer"
	stop_bg "$SERVER"
	assert_gone srv.fifo
}

@test "robust_fifos: a second server on a FIFO in use is refused (status 1); the first serves on" {
	start_server robust_fifos
	run -1 --separate-stderr t "$(prog fifo robust_fifos)" srv.fifo
	assert_eq "robust_fifos: srv.fifo is in use by another server" "$stderr"
	assert_eq "" "$output"
	[[ -p srv.fifo ]]
	run -0 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 6
	assert_eq "6 squared is 36" "$output"
	stop_bg "$SERVER"
	assert_gone srv.fifo
}

# --- fifo_atomic (SYS "Named Pipe Atomicity") ---

# The limit on both sides: PIPE_BUF bytes is still promised whole (size <=
# PIPE_BUF, not <), PIPE_BUF + 1 is not. No run can show a write of PIPE_BUF
# bytes torn, so the program's first line, what it promises, is what is checked.
@test "fifo_atomic: records of PIPE_BUF bytes are promised whole and arrive whole, by default and with 8 writers" {
	local pb
	pb=$(getconf PIPE_BUF .)
	run -0 --separate-stderr t "$(prog fifo fifo_atomic)" x.fifo
	assert_eq "4 writers x 1000 records of $pb bytes into x.fifo (PIPE_BUF is $pb): none may tear" \
		"${lines[0]}" "first line: a write of exactly PIPE_BUF bytes is atomic (size <= PIPE_BUF, not <)"
	assert_eq "records read: 4000, whole: 4000, torn: 0" "${lines[1]}" "count"
	assert_eq 2 "${#lines[@]}" "lines of output"
	assert_eq "" "$stderr" "stderr"
	run -0 --separate-stderr t "$(prog fifo fifo_atomic)" x.fifo "$pb" 8 2000
	assert_match ': none may tear'$'\n''records read: 16000, whole: 16000, torn: 0$' "$output"
	run -0 --separate-stderr t "$(prog fifo fifo_atomic)" x.fifo 2 3 5000
	assert_match ': none may tear'$'\n''records read: 15000, whole: 15000, torn: 0$' "$output"
	assert_gone x.fifo
}

@test "fifo_atomic: records of PIPE_BUF + 1 bytes are announced as above the promise; it reports what it saw" {
	local pb
	pb=$(getconf PIPE_BUF .)
	run -0 --separate-stderr t "$(prog fifo fifo_atomic)" x.fifo $((pb + 1)) 2 100
	assert_eq "2 writers x 100 records of $((pb + 1)) bytes into x.fifo (PIPE_BUF is $pb): above PIPE_BUF, nothing is promised" \
		"${lines[0]}" "first line: one byte above PIPE_BUF is no longer promised"
	assert_match $'\nabove PIPE_BUF nothing is promised: [0-9]+ of 200 records torn$' "$output"
	assert_gone x.fifo
}

@test "fifo_atomic: records far above PIPE_BUF tear, and the torn ones are counted" {
	run -0 --separate-stderr t "$(prog fifo fifo_atomic)" x.fifo 100000 4 20
	assert_match $'\nrecords read: 80, whole: [0-9]+, torn: [0-9]+\n' "$output"
	local whole torn
	whole=$(sed -n 's/.*whole: \([0-9]*\), torn.*/\1/p' <<<"$output")
	torn=$(sed -n 's/.*torn: \([0-9]*\)$/\1/p' <<<"$output")
	assert_eq 80 "$((whole + torn))" "whole + torn"
	assert_match "above PIPE_BUF nothing is promised: $torn of 80 records torn" "$output"
	assert_gone x.fifo
	# records bigger than the pipe nearly always tear; none torn leaves the counter unchecked
	((torn > 0)) || skip "no record tore in this run: could not check that torn ones are counted"
}

@test "fifo_atomic: the FIFO's name is gone while it runs; its writers end with it; a path that exists is refused" {
	start_bg atomic.log "$(prog fifo fifo_atomic)" x.fifo 65536 4 1000000
	local reader=$BG_PID
	wait_for_line atomic.log '^4 writers x 1000000 records'
	assert_gone x.fifo
	kill -TERM "$reader" # the reader alone: its writers must fail (EPIPE), not wait
	wait "$reader" || true
	wait_until "! kill -0 -- -$reader 2>/dev/null" 5 || {
		echo "writers still running after their reader ended" >&2
		return 1
	}
	mkfifo busy.fifo
	hold_open busy.fifo
	run -1 --separate-stderr t "$(prog fifo fifo_atomic)" busy.fifo
	assert_match '^fifo_atomic: mkfifo busy.fifo: ' "$stderr" "stderr: a FIFO in use is not taken over"
	stop_bg "$BG_PID"
	rm busy.fifo
	echo keep >plain
	run -1 --separate-stderr t "$(prog fifo fifo_atomic)" plain
	assert_match '^fifo_atomic: mkfifo plain: ' "$stderr" "stderr"
	assert_eq keep "$(cat plain)"
	mkdir adir
	run -1 --separate-stderr t "$(prog fifo fifo_atomic)" adir
	assert_match '^fifo_atomic: mkfifo adir: ' "$stderr" "stderr: a directory"
	[[ -d adir ]]
}

@test "fifo_atomic: bad sizes, counts or operands get usage and status 2" {
	local args
	for args in "" "x.fifo 1" "x.fifo 1048577" "x.fifo x" "x.fifo 4096 0" "x.fifo 4096 27" \
		"x.fifo 4096 4 0" "x.fifo 4096 4 1000001" "x.fifo 4096 4 x" "x.fifo 2 2 2 2" "-w 4 x.fifo"; do
		# shellcheck disable=SC2086
		run -2 --separate-stderr t "$(prog fifo fifo_atomic)" $args
		assert_usage
	done
	assert_gone x.fifo
}

# --- every program ---

# Issue 15, item 11: -h and --help are never taken as a path; junk arguments
# are refused before anything is made (run in an empty directory).
@test "every fifo program: -h, --help and eight junk arguments get usage (status 2), and nothing is made" {
	local p a path
	mkdir scratch
	cd scratch
	for p in fifo_writer fifo_reader fifos fifoc robust_fifos fifo_atomic; do
		path=$(prog fifo "$p")
		for a in -h --help "j1 j2 j3 j4 j5 j6 j7 j8"; do
			# shellcheck disable=SC2086 # split on purpose
			quick_run -2 "$path" $a </dev/null
			assert_usage || {
				echo "$p $a" >&2
				return 1
			}
		done
	done
	for a in -h --help; do
		run -2 --separate-stderr t "$(prog fifo fifoc)" srv.fifo "$a"
		assert_usage
		run -2 --separate-stderr t "$(prog fifo fifo_atomic)" x.fifo "$a"
		assert_usage
	done
	assert_eq "" "$(ls -A)" "files made in the test directory"
}
