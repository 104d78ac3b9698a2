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

# --- fifo_writer and fifo_reader ---

@test "fifo_writer -> fifo_reader: every number arrives, the sum is right, the FIFO is removed" {
	start_bg reader.log "$(prog fifo fifo_reader)" x.fifo
	local reader=$BG_PID
	wait_for_line reader.log '^waiting for a writer on x.fifo$'
	run -0 --separate-stderr t "$(prog fifo fifo_writer)" -n 5 x.fifo
	assert_eq "$(printf 'waiting for a reader on x.fifo\nwrote 5 numbers')" "$output"
	assert_eq "" "$stderr" "stderr"
	wait_bg "$reader"
	assert_eq 0 "$BG_STATUS" "reader status"
	assert_eq "$(echo 'waiting for a writer on x.fifo'; printf 'read %d\n' 1 2 3 4 5; echo 'sum 15 of 5 numbers')" \
		"$(cat reader.log)"
	assert_gone x.fifo
}

@test "fifo_reader: a shell redirection can be the writer (seq > fifo)" {
	start_bg reader.log "$(prog fifo fifo_reader)" x.fifo
	local reader=$BG_PID
	wait_for_line reader.log '^waiting for a writer'
	t bash -c 'seq 1 100 >x.fifo'
	wait_bg "$reader"
	assert_eq 0 "$BG_STATUS" "reader status"
	assert_eq "$(seq 1 100 | sed 's/^/read /')" "$(grep '^read ' reader.log)"
	assert_eq "sum 5050 of 100 numbers" "$(tail -n 1 reader.log)"
	assert_gone x.fifo
}

@test "fifo_writer: cat can be the reader, and gets exactly the numbers" {
	start_bg writer.log "$(prog fifo fifo_writer)" -n 20000 x.fifo
	local writer=$BG_PID
	wait_for_line writer.log '^waiting for a reader on x.fifo$'
	run -0 --separate-stderr t cat x.fifo
	assert_eq "$(seq 1 20000)" "$output"
	wait_bg "$writer"
	assert_eq 0 "$BG_STATUS" "writer status"
	assert_eq "wrote 20000 numbers" "$(tail -n 1 writer.log)"
	assert_gone x.fifo
}

@test "fifo_writer/fifo_reader: a FIFO they did not create is used and left in place" {
	mkfifo mine.fifo
	start_bg reader.log "$(prog fifo fifo_reader)" mine.fifo
	local reader=$BG_PID
	wait_for_line reader.log '^waiting for a writer'
	run -0 --separate-stderr t "$(prog fifo fifo_writer)" -n 3 mine.fifo
	wait_bg "$reader"
	assert_eq "sum 6 of 3 numbers" "$(tail -n 1 reader.log)"
	[[ -p mine.fifo ]]
	rm mine.fifo
}

@test "fifo_writer: SIGTERM while waiting for a reader removes the FIFO (status 1)" {
	start_bg writer.log "$(prog fifo fifo_writer)" x.fifo
	wait_for_line writer.log '^waiting for a reader'
	stop_bg "$BG_PID" TERM
	assert_eq 1 "$BG_STATUS" "status"
	assert_match 'interrupted' "$(cat writer.log)" "log"
	assert_gone x.fifo
}

@test "fifo_reader: SIGINT while waiting for a writer removes the FIFO (status 1)" {
	start_bg reader.log "$(prog fifo fifo_reader)" x.fifo
	wait_for_line reader.log '^waiting for a writer'
	stop_bg "$BG_PID" INT
	assert_eq 1 "$BG_STATUS" "status"
	assert_match 'interrupted' "$(cat reader.log)" "log"
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
	start_bg writer.log "$(prog fifo fifo_writer)" -n 10000000 x.fifo
	local writer=$BG_PID
	wait_for_line writer.log '^waiting for a reader'
	run -0 t head -n 1 x.fifo
	assert_eq 1 "$output"
	wait_bg "$writer"
	assert_eq 1 "$BG_STATUS" "writer status"
	assert_match 'fifo_writer: write: Broken pipe' "$(cat writer.log)" "log"
	assert_gone x.fifo
}

@test "fifo_reader: data that is not a number fails with status 1 and says which item" {
	start_bg reader.log "$(prog fifo fifo_reader)" x.fifo
	local reader=$BG_PID
	wait_for_line reader.log '^waiting for a writer'
	t bash -c 'printf "4 5 six 7\n" >x.fifo'
	wait_bg "$reader"
	assert_eq 1 "$BG_STATUS" "status"
	assert_match 'fifo_reader: item 3 is not a number' "$(cat reader.log)" "log"
	assert_gone x.fifo
}

@test "fifo_writer/fifo_reader: a path that is not a FIFO, or cannot be made, is refused (status 1)" {
	echo keep >plain
	run -1 --separate-stderr t "$(prog fifo fifo_writer)" plain
	assert_match 'plain exists and is not a FIFO' "$stderr" "stderr"
	run -1 --separate-stderr t "$(prog fifo fifo_reader)" plain
	assert_match 'plain exists and is not a FIFO' "$stderr" "stderr"
	assert_eq keep "$(cat plain)"
	run -1 --separate-stderr t "$(prog fifo fifo_reader)" nodir/x.fifo
	assert_match 'mkfifo nodir/x.fifo: No such file' "$stderr" "stderr"
	run -1 --separate-stderr t "$(prog fifo fifo_writer)" nodir/x.fifo
	assert_match 'mkfifo nodir/x.fifo: No such file' "$stderr" "stderr"
}

@test "fifo_writer/fifo_reader: wrong arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog fifo fifo_writer)"
	assert_usage
	run -2 --separate-stderr t "$(prog fifo fifo_writer)" -n x x.fifo
	assert_usage
	run -2 --separate-stderr t "$(prog fifo fifo_writer)" a.fifo b.fifo
	assert_usage
	run -2 --separate-stderr t "$(prog fifo fifo_reader)"
	assert_usage
	run -2 --separate-stderr t "$(prog fifo fifo_reader)" a.fifo b.fifo
	assert_usage
	assert_gone a.fifo b.fifo x.fifo
}

# --- fifos and fifoc ---

# start_server [ARGS...] -- fifos on srv.fifo, waited for; sets SERVER and
# SERVER_LOG (a new log each time: a reused one could still show the last
# server's lines before the new server's shell truncates it).
SERVERS=0
start_server() {
	SERVER_LOG=server$((++SERVERS)).log
	start_bg "$SERVER_LOG" "$(prog fifo fifos)" "$@" srv.fifo
	SERVER=$BG_PID
	wait_for_line "$SERVER_LOG" '^listening on srv\.fifo$'
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
	assert_match 'srv.fifo removed' "$(cat "$SERVER_LOG")" "log"
	assert_gone srv.fifo
}

@test "fifos: serves 25 clients started at once, each with its own answer" {
	start_server
	local i pids=() failed=0
	for ((i = 1; i <= 25; i++)); do
		t "$(prog fifo fifoc)" srv.fifo $((i * 1001 - 13)) >"out.$i" 2>"err.$i" &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i" || failed=$((failed + 1)); done
	for ((i = 1; i <= 25; i++)); do
		assert_eq "$((i * 1001 - 13)) squared is $(((i * 1001 - 13) ** 2))" "$(cat "out.$i")" "client $i"
		assert_eq "" "$(cat "err.$i")" "client $i stderr"
	done
	assert_eq 0 "$failed" "clients that failed"
	# the server logs an answer just after sending it: wait for the last line
	wait_until '(($(grep -c ": answered " "$SERVER_LOG") == 25))' || {
		cat "$SERVER_LOG" >&2
		return 1
	}
	assert_no_reply_fifos
	stop_bg "$SERVER"
	assert_gone srv.fifo
}

@test "fifos: survives clients that died mid-request, junk, and a reply path that is no FIFO" {
	start_server
	local dead
	true &
	dead=$!
	wait "$dead"
	mkfifo "srv.fifo.$dead" # a client that made its FIFO and died before the answer
	echo data >srv.fifo.77777777
	t bash -c 'printf "%s 5\n%s 6\nnonsense\n77777777 8\n" "$1" 99999999 >srv.fifo' x "$dead"
	run -0 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 12
	assert_eq "12 squared is 144" "$output"
	local log
	log=$(cat "$SERVER_LOG")
	assert_match "client $dead: cannot open srv.fifo.$dead \(No such device or address\); skipped" "$log" "log"
	assert_match "client 99999999: cannot open srv.fifo.99999999 \(No such file or directory\); skipped" "$log" "log"
	assert_match "ignored a malformed request" "$log" "log"
	assert_match "client 77777777: srv.fifo.77777777 is not a FIFO; skipped" "$log" "log"
	assert_eq data "$(cat srv.fifo.77777777)"
	rm "srv.fifo.$dead" srv.fifo.77777777
	stop_bg "$SERVER"
	assert_eq 0 "$BG_STATUS" "server status"
	assert_gone srv.fifo
}

@test "fifos: a request whose number is bad gets an error line on the client's FIFO" {
	start_server
	mkfifo srv.fifo.424242
	exec 5<>srv.fifo.424242 # a client's end, held open as fifoc holds it
	t bash -c 'printf "424242 twelve\n" >srv.fifo'
	local line=""
	read -r -t 10 line <&5 || true
	exec 5<&-
	rm srv.fifo.424242
	assert_match '^error: not a number' "$line" "answer"
	stop_bg "$SERVER"
	assert_gone srv.fifo
}

@test "fifos: a stopped server makes fifoc give up after -t seconds; the server then carries on" {
	start_server
	kill -STOP "$SERVER"
	run -1 --separate-stderr t "$(prog fifo fifoc)" -t 1 srv.fifo 4
	kill -CONT "$SERVER"
	assert_match 'fifoc: no answer within 1 s' "$stderr" "stderr"
	assert_eq "" "$output"
	assert_no_reply_fifos
	run -0 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 5
	assert_eq "5 squared is 25" "$output"
	stop_bg "$SERVER"
	assert_gone srv.fifo
}

@test "fifos: SIGTERM right after the readiness line still stops it and removes the FIFO" {
	start_server
	kill -TERM "$SERVER"
	wait_bg "$SERVER"
	assert_eq 0 "$BG_STATUS" "server status"
	assert_match 'srv.fifo removed' "$(cat "$SERVER_LOG")" "log"
	assert_gone srv.fifo
}

@test "fifoc: SIGTERM while it waits for a stopped server removes its reply FIFO (status 1)" {
	start_server
	kill -STOP "$SERVER"
	start_bg client.log "$(prog fifo fifoc)" srv.fifo 9
	local client=$BG_PID
	wait_for_file "srv.fifo.$client"
	kill -TERM "$client" # at once: it may not have begun to wait yet
	wait_bg "$client"
	kill -CONT "$SERVER"
	assert_eq 1 "$BG_STATUS" "client status"
	assert_eq "fifoc: interrupted" "$(cat client.log)" "client log"
	assert_no_reply_fifos
	stop_bg "$SERVER"
	assert_gone srv.fifo
}

@test "fifos: SIGINT removes the FIFO too" {
	start_server
	stop_bg "$SERVER" INT
	assert_eq 0 "$BG_STATUS" "server status"
	assert_gone srv.fifo
}

@test "fifos: -n count stops by itself after count requests and removes the FIFO" {
	start_server -n 2
	run -0 t "$(prog fifo fifoc)" srv.fifo 2
	run -0 t "$(prog fifo fifoc)" srv.fifo 3
	assert_eq "3 squared is 9" "$output"
	wait_bg "$SERVER"
	assert_eq 0 "$BG_STATUS" "server status"
	assert_gone srv.fifo
}

@test "fifos: a second server on a FIFO in use is refused (status 1); the first serves on" {
	start_server
	run -1 --separate-stderr t "$(prog fifo fifos)" srv.fifo
	assert_eq "fifos: srv.fifo is in use by another server" "$stderr"
	assert_eq "" "$output"
	[[ -p srv.fifo ]]
	run -0 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 6
	assert_eq "6 squared is 36" "$output"
	stop_bg "$SERVER"
	assert_gone srv.fifo
}

@test "fifos: after SIGKILL a new server replaces the stale FIFO" {
	start_server
	stop_bg "$SERVER" KILL
	[[ -p srv.fifo ]] # SIGKILL cannot be caught: the FIFO stays
	start_server
	assert_match 'replaced srv.fifo' "$(cat "$SERVER_LOG")" "log"
	run -0 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 8
	assert_eq "8 squared is 64" "$output"
	stop_bg "$SERVER"
	assert_gone srv.fifo
}

@test "fifos: a path that is not a FIFO is refused and left alone (status 1)" {
	echo keep >srv.fifo
	run -1 --separate-stderr t "$(prog fifo fifos)" srv.fifo
	assert_match 'srv.fifo exists and is not a FIFO' "$stderr" "stderr"
	assert_eq keep "$(cat srv.fifo)"
}

@test "fifoc: no server, or no FIFO at all, fails with status 1 and says so" {
	mkfifo srv.fifo
	run -1 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 1
	assert_eq "fifoc: no server is reading srv.fifo" "$stderr"
	rm srv.fifo
	run -1 --separate-stderr t "$(prog fifo fifoc)" srv.fifo 1
	assert_match 'fifoc: srv.fifo: No such file' "$stderr" "stderr"
	assert_no_reply_fifos
}

@test "fifos/fifoc: wrong arguments get usage and status 2" {
	local args
	for args in "" "srv.fifo" "srv.fifo x" "srv.fifo 3037000500" "srv.fifo 1 2" "-t 0 srv.fifo 1" "-t x srv.fifo 1"; do
		# shellcheck disable=SC2086 # split on purpose
		run -2 --separate-stderr t "$(prog fifo fifoc)" $args
		assert_usage
	done
	for args in "" "-n x srv.fifo" "a.fifo b.fifo"; do
		# shellcheck disable=SC2086
		run -2 --separate-stderr t "$(prog fifo fifos)" $args
		assert_usage
	done
	assert_gone srv.fifo a.fifo b.fifo
	assert_no_reply_fifos
}

# --- fifo_atomic ---

@test "fifo_atomic: no record of PIPE_BUF bytes is torn, by default and with 8 writers" {
	local pb
	pb=$(getconf PIPE_BUF .)
	run -0 --separate-stderr t "$(prog fifo fifo_atomic)" x.fifo
	assert_eq "$(printf '4 writers x 1000 records of %d bytes into x.fifo (PIPE_BUF is %d)\nrecords read: 4000, whole: 4000, torn: 0' "$pb" "$pb")" "$output"
	assert_eq "" "$stderr" "stderr"
	run -0 --separate-stderr t "$(prog fifo fifo_atomic)" -w 8 -r 2000 -s "$pb" x.fifo
	assert_match 'records read: 16000, whole: 16000, torn: 0' "$output"
	run -0 --separate-stderr t "$(prog fifo fifo_atomic)" -w 3 -r 5000 -s 2 x.fifo
	assert_match 'records read: 15000, whole: 15000, torn: 0' "$output"
	assert_gone x.fifo
}

@test "fifo_atomic: above PIPE_BUF it reports what it saw and asserts nothing" {
	run -0 --separate-stderr t "$(prog fifo fifo_atomic)" -r 20 -s 100000 x.fifo
	assert_match $'\nrecords read: 80, whole: [0-9]+, torn: [0-9]+\n' "$output"
	local whole torn
	whole=$(sed -n 's/.*whole: \([0-9]*\), torn.*/\1/p' <<<"$output")
	torn=$(sed -n 's/.*torn: \([0-9]*\)$/\1/p' <<<"$output")
	assert_eq 80 "$((whole + torn))" "whole + torn"
	assert_match "above PIPE_BUF nothing is promised: $torn of 80 records torn" "$output"
	assert_gone x.fifo
}

@test "fifo_atomic: a FIFO in use or a plain file is refused (status 1); a stale FIFO is replaced" {
	mkfifo busy.fifo
	hold_open busy.fifo
	run -1 --separate-stderr t "$(prog fifo fifo_atomic)" busy.fifo
	assert_eq "fifo_atomic: busy.fifo is in use" "$stderr"
	stop_bg "$BG_PID"
	rm busy.fifo
	echo keep >plain
	run -1 --separate-stderr t "$(prog fifo fifo_atomic)" plain
	assert_match 'plain exists and is not a FIFO' "$stderr" "stderr"
	assert_eq keep "$(cat plain)"
	mkfifo stale.fifo
	run -0 --separate-stderr t "$(prog fifo fifo_atomic)" -r 10 stale.fifo
	assert_match 'torn: 0' "$output"
	assert_gone stale.fifo
}

@test "fifo_atomic: bad counts, sizes or operands get usage and status 2" {
	local args
	for args in "" "-w 0 x.fifo" "-w 27 x.fifo" "-r 0 x.fifo" "-r x x.fifo" "-s 1 x.fifo" \
		"-s 1048577 x.fifo" "-w 26 -r 1000 -s 1048576 x.fifo" "a.fifo b.fifo"; do
		# shellcheck disable=SC2086
		run -2 --separate-stderr t "$(prog fifo fifo_atomic)" $args
		assert_usage
	done
	assert_gone x.fifo a.fifo b.fifo
}
