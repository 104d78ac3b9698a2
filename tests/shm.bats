#!/usr/bin/env bats
# tests/shm.bats -- shm/: System V and POSIX shared memory, through each
# program's command line. Every segment and name a test makes is checked gone.
load helpers

SIPC_PROJ=83   # 'S', the project id sipc1 and sipc2 give ftok
SHMCTL_PROJ=67 # 'C', shm_ctl's

setup() { lab_setup; }
# A test that fails half-way must not strand a segment or a name: after
# stopping what it started, remove whatever its key file's key and its POSIX
# name still name (the tests themselves check the programs removed them).
teardown() {
	lab_teardown || true
	# A POSIX name a test made (its variable "name"), whatever is there now.
	[[ ${name:-} != /lab-* ]] || rm -rf "/dev/shm/${name#/}" "/dev/shm/sem.${name#/}"
	# After a failure, the IPC_PRIVATE segment the last run named, if any.
	if [[ -z ${BATS_TEST_COMPLETED:-} && ${output:-} =~ (^|$'\n')(robust_mutex: )?segment\ (id\ )?([0-9]+) ]]; then
		ipcrm -m "${BASH_REMATCH[4]}" 2>/dev/null || true
	fi
	if [[ -e keyfile ]]; then
		ipcrm -M "$(ftok_key keyfile $SIPC_PROJ)" 2>/dev/null || true
		ipcrm -M "$(ftok_key keyfile $SHMCTL_PROJ)" 2>/dev/null || true
	fi
}

# assert_no_shmid ID -- no System V segment with this id (IPC_PRIVATE
# segments all have key 0, so they are found by id).
assert_no_shmid() {
	if ipcs -m | awk -v id="$1" '$2 == id { found = 1 } END { exit !found }'; then
		echo "shared memory segment $1 was left behind" >&2
		return 1
	fi
}

# shmid_of OUTPUT -- the id a program printed on its "segment id N" line.
shmid_of() {
	sed -n 's/^segment id \([0-9][0-9]*\).*/\1/p' <<<"$1"
}

# pages_of BYTES -- whole pages of this machine's size that BYTES take.
pages_of() {
	local page
	page=$(getconf PAGESIZE)
	echo $((($1 + page - 1) / page))
}

@test "shm: reads back what it wrote after reattaching; size from IPC_STAT; removed" {
	run -0 --separate-stderr t "$(prog shm shm)" -s 10000
	assert_eq "" "$stderr" "stderr"
	assert_match $'\nsegment size: 10000\n' "$output"
	assert_match $'\npages: '"$(pages_of 10000) of $(getconf PAGESIZE)"$' bytes\n' "$output"
	assert_match $'\nwrote: Hello, world\\.\n' "$output"
	assert_match $'\nread back: Hello, world\\.$' "$output"
	assert_match $'attached at address 0x[0-9a-f]+\n' "$output"
	assert_match $'reattached at address 0x[0-9a-f]+\n' "$output"
	id=$(shmid_of "$output")
	assert_match '^[0-9]+$' "$id" "segment id"
	assert_no_shmid "$id"
}

@test "shm: the lecture's size and address by default; the size in whole pages" {
	run -0 --separate-stderr t "$(prog shm shm)"
	assert_match $'\nsegment size: 25600\n' "$output" # ALP's 0x6400
	assert_match $'\npages: '"$(pages_of 25600)"' of ' "$output"
	# 0x5000000 is free in most address spaces; if not, the program says so.
	assert_match $'(reattached at address 0x5000000|failed .*letting the kernel choose instead\n.*)\nread back: Hello, world\\.' "$output"
	assert_no_shmid "$(shmid_of "$output")"
}

@test "shm: an address that cannot be used: the kernel chooses, the data is still there" {
	run -0 --separate-stderr t "$(prog shm shm)" -a 0xfff0000000000000
	assert_match $'reattach at 0xfff0000000000000 failed \\([^)]+\\): letting the kernel choose instead\n' "$output"
	assert_match $'\nread back: Hello, world\\.$' "$output"
	assert_no_shmid "$(shmid_of "$output")"
}

@test "shm: SHM_RND rounds an unaligned address down to SHMLBA" {
	run -0 --separate-stderr t "$(prog shm shm)" -a 0x5000000
	[[ $output == *$'reattached at address 0x5000000\n'* ]] ||
		skip "0x5000000 is in use in this address space"
	assert_no_shmid "$(shmid_of "$output")"
	run -0 --separate-stderr t "$(prog shm shm)" -a 0x5000123
	assert_match $'\nshared memory reattached at address 0x5000000\nread back: Hello, world\\.$' "$output"
	assert_no_shmid "$(shmid_of "$output")"
}

@test "shm: the smallest size that holds the message and its NUL" {
	run -0 --separate-stderr t "$(prog shm shm)" -s 14
	assert_match $'\nsegment size: 14\n' "$output"
	assert_match $'\nread back: Hello, world\\.$' "$output"
	assert_no_shmid "$(shmid_of "$output")"
}

@test "shm: bad size, bad address and extra arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog shm shm)" -s lots
	assert_usage
	run -2 --separate-stderr t "$(prog shm shm)" -s 13 # one byte short of the message and its NUL
	assert_usage
	run -2 --separate-stderr t "$(prog shm shm)" -a -1
	assert_usage
	run -2 --separate-stderr t "$(prog shm shm)" -s
	assert_usage
	run -2 --separate-stderr t "$(prog shm shm)" extra
	assert_usage
}

@test "shm_layout: the segment lies between the heap and the stack" {
	# glibc's malloc takes a small block from the brk heap just after bss; musl's
	# maps it, next to the segment: then the segment lies above bss only.
	run -0 --separate-stderr t "$(prog shm shm_layout)"
	declare -A at
	local name addr
	for name in text data bss heap shm stack; do
		addr=$(awk -v n="$name" '$1 == n { print $2 }' <<<"$output")
		assert_match '^0x[0-9a-f]+$' "$addr" "$name address"
		at[$name]=$((addr))
	done
	((at[text] < at[data] && at[data] < at[bss] && at[bss] < at[heap])) || {
		echo "text, data, bss, heap out of order" >&2
		return 1
	}
	local brk=$((at[heap] - at[bss] < 1 << 30))
	((brk ? at[heap] < at[shm] : at[bss] < at[shm])) && ((at[shm] < at[stack])) || {
		echo "segment not between heap and stack" >&2
		return 1
	}
	# The sorted line agrees with the addresses, sorted here independently.
	expected=$(for name in "${!at[@]}"; do echo "${at[$name]} $name"; done | sort -n | awk '{ printf " %s", $2 }')
	assert_match "low to high:$expected\$" "$output"
	assert_no_shmid "$(shmid_of "$output")"
}

@test "shm_layout: any argument gets usage and status 2" {
	run -2 --separate-stderr t "$(prog shm shm_layout)" x
	assert_usage
}

@test "shm_ctl: IPC_STAT, IPC_SET, SHM_LOCK, SHM_UNLOCK, IPC_RMID on one segment" {
	touch keyfile
	key=$(ftok_key keyfile $SHMCTL_PROJ)
	page=$(getconf PAGESIZE)
	run -0 --separate-stderr t "$(prog shm shm_ctl)" keyfile
	assert_eq "" "$stderr" "stderr"
	id=$(sed -n "s/^created segment \([0-9]*\) with key $key\$/\1/p" <<<"$output")
	assert_match '^[0-9]+$' "$id" "segment id under key $key"
	assert_match $'\nshmget\\(key, 0, 0\\) finds segment '"$id"$'\n' "$output"
	assert_match $'\nIPC_STAT +mode 600, size '"$page"', nattch 0, ' "$output"
	assert_match $'\nIPC_SET +mode 640, size '"$page"',' "$output"
	assert_match $'\nSHM_LOCK +mode 640 locked,' "$output"
	assert_match $'\nSHM_UNLOCK +mode 640, ' "$output"
	assert_match $'\nIPC_RMID +the key finds nothing now$' "$output"
	assert_no_sysv "$key"
	assert_no_shmid "$id"
}

@test "shm_ctl: the current directory's key by default" {
	key=$(ftok_key . $SHMCTL_PROJ)
	run -0 --separate-stderr t "$(prog shm shm_ctl)"
	assert_match "^created segment [0-9]+ with key $key"$'\n' "$output"
	assert_no_sysv "$key"
}

@test "shm_ctl: a missing key file, an option, two paths" {
	run -1 --separate-stderr t "$(prog shm shm_ctl)" no-such-file
	assert_match '^shm_ctl: ftok no-such-file: No such file or directory' "$stderr"
	run -2 --separate-stderr t "$(prog shm shm_ctl)" -x
	assert_usage
	run -2 --separate-stderr t "$(prog shm shm_ctl)" a b
	assert_usage
}

@test "shm_ctl: a segment that has its key already is someone else's: refused, left alone" {
	command -v perl >/dev/null || skip "perl makes the other segment here"
	touch keyfile
	key=$(ftok_key keyfile $SHMCTL_PROJ)
	# 01000 is IPC_CREAT: a one-page segment under shm_ctl's key
	id=$(perl -e 'print shmget(hex($ARGV[0]), 4096, 01000 | 0600) // die "shmget: $!\n"' "$key")
	run -1 --separate-stderr t "$(prog shm shm_ctl)" keyfile
	assert_match "key $key has a segment already" "$stderr"
	assert_eq "" "$output" "stdout"
	sysv_exists "$key" || {
		echo "shm_ctl removed a segment it did not make" >&2
		return 1
	}
	ipcrm -m "$id"
}

# start_server -- sipc1 on ./keyfile in the background, until it waits for a
# request. Sets key (the segment's System V key) and server (sipc1's pid).
start_server() {
	touch keyfile
	key=$(ftok_key keyfile $SIPC_PROJ)
	start_bg server.log "$(prog shm sipc1)" -k keyfile
	server=$BG_PID
	wait_for_line server.log 'waiting for a request'
}

# perl "$PEER" ROLE KEY TEXT MS [ROUNDS] -- the other side of sipc1 or sipc2,
# played from outside: slowly, or killed half-way (see tests/sipc_peer.pl).
PEER=$BATS_TEST_DIRNAME/sipc_peer.pl

# need_peer -- skip, saying why, where perl cannot play the peer.
need_peer() {
	perl -MIPC::SysV -e 1 2>/dev/null ||
		skip "perl's IPC::SysV plays the peer here (on Debian: package perl)"
}

@test "sipc1/sipc2: server first: request and reply cross; segment gone" {
	start_server
	sysv_exists "$key" # the server made it, under ftok's key
	run -0 --separate-stderr t "$(prog shm sipc2)" -k keyfile "hello, shared world"
	assert_match $'\nsipc2: reply: HELLO, SHARED WORLD$' "$output"
	wait_bg "$server"
	assert_eq 0 "$BG_STATUS" "sipc1 status"
	assert_match $'sipc1: request: hello, shared world\nsipc1: reply: HELLO, SHARED WORLD' "$(<server.log)"
	assert_no_sysv "$key"
}

@test "sipc1/sipc2: client first: it creates the segment and still gets its reply" {
	touch keyfile
	key=$(ftok_key keyfile $SIPC_PROJ)
	start_bg client.log "$(prog shm sipc2)" -k keyfile "ping"
	client=$BG_PID
	wait_for_line client.log '^sipc2: request: ping'
	sysv_exists "$key" # no server yet: the client made it
	run -0 --separate-stderr t "$(prog shm sipc1)" -k keyfile
	assert_match $'\nsipc1: request: ping\nsipc1: reply: PING$' "$output"
	wait_bg "$client"
	assert_eq 0 "$BG_STATUS" "sipc2 status"
	assert_match $'\nsipc2: reply: PING$' "$(<client.log)"
	assert_no_sysv "$key"
}

@test "sipc2: a second client finds the segment busy and leaves the first one's request alone" {
	touch keyfile
	key=$(ftok_key keyfile $SIPC_PROJ)
	start_bg first.log "$(prog shm sipc2)" -k keyfile "first"
	first=$BG_PID
	wait_for_line first.log '^sipc2: request: first'
	run -1 --separate-stderr t "$(prog shm sipc2)" -k keyfile "second"
	assert_match 'segment [0-9]+ is busy with another client' "$stderr"
	assert_eq "" "$output" "the second client's stdout"
	sysv_exists "$key" # the second client did not remove the first one's segment
	run -0 --separate-stderr t "$(prog shm sipc1)" -k keyfile
	assert_match $'\nsipc1: request: first\nsipc1: reply: FIRST$' "$output"
	wait_bg "$first"
	assert_match $'\nsipc2: reply: FIRST$' "$(<first.log)"
	assert_no_sysv "$key"
}

@test "sipc1: SIGTERM while waiting removes the segment" {
	start_server
	sysv_exists "$key"
	stop_bg "$BG_PID" TERM
	assert_eq 1 "$BG_STATUS" "status after SIGTERM"
	assert_match 'stopped by SIGTERM; segment removed' "$(<server.log)"
	assert_no_sysv "$key"
}

@test "sipc1: SIGTERM right after the readiness line, before or in its wait, still cleans up" {
	start_server
	kill -TERM "$BG_PID" # the wait looks at the stop flag before every sleep
	wait_bg "$BG_PID"
	assert_eq 1 "$BG_STATUS" "status after SIGTERM"
	assert_match 'stopped by SIGTERM; segment removed' "$(<server.log)"
	assert_no_sysv "$key"
}

@test "sipc2: SIGINT while it waits for a server removes the segment it made" {
	touch keyfile
	key=$(ftok_key keyfile $SIPC_PROJ)
	start_bg client.log "$(prog shm sipc2)" -k keyfile
	wait_for_line client.log '^sipc2: request: Hello from sipc2$'
	sysv_exists "$key"
	stop_bg "$BG_PID" INT
	assert_eq 1 "$BG_STATUS" "status after SIGINT"
	assert_match 'stopped by SIGINT; segment removed' "$(<client.log)"
	assert_no_sysv "$key"
}

@test "sipc1: after SIGKILL the segment stays, detached by exit; the pair works again" {
	start_server
	stop_bg "$BG_PID" KILL
	sysv_exists "$key" # SIGKILL leaves it: nobody could remove it
	# ...but the process's end detached it (ALP 5.1.4): no attach is left.
	assert_eq 0 "$(ipcs -m | awk -v k="$key" '$1 == k { print $6 }')" "nattch"
	start_server # it uses the segment as it is
	run -0 --separate-stderr t "$(prog shm sipc2)" -k keyfile again
	assert_match $'\nsipc2: reply: AGAIN$' "$output"
	wait_bg "$server"
	assert_no_sysv "$key"
}

@test "sipc2: the longest message fits, one byte more is refused" {
	touch keyfile
	key=$(ftok_key keyfile $SIPC_PROJ)
	longest=$(printf 'a%.0s' {1..255}) # SIPC_TEXT - 1
	start_bg server.log "$(prog shm sipc1)" -k keyfile
	wait_for_line server.log 'waiting for a request'
	run -0 --separate-stderr t "$(prog shm sipc2)" -k keyfile "$longest"
	assert_match $'\nsipc2: reply: '"${longest^^}"'$' "$output"
	wait_bg "$BG_PID"
	run -2 --separate-stderr t "$(prog shm sipc2)" -k keyfile "${longest}b"
	assert_usage
	assert_match '< 256 bytes' "$stderr" "the usage line (it names the limit)"
	assert_no_sysv "$key"
}

@test "sipc1/sipc2: missing key file, bad options, extra arguments" {
	run -1 --separate-stderr t "$(prog shm sipc1)" -k no-such-file
	assert_match '^sipc1: ftok no-such-file: No such file or directory' "$stderr"
	run -1 --separate-stderr t "$(prog shm sipc2)" -k no-such-file
	assert_match '^sipc2: ftok no-such-file: ' "$stderr"
	run -2 --separate-stderr t "$(prog shm sipc1)" -t 1
	assert_usage
	run -2 --separate-stderr t "$(prog shm sipc1)" extra
	assert_usage
	run -2 --separate-stderr t "$(prog shm sipc2)" one two
	assert_usage
	run -2 --separate-stderr t "$(prog shm sipc2)" -k
	assert_usage
}

# all_ended PID... -- none of these background programs runs any more
# (builtins only: it is polled often).
all_ended() {
	local pid
	for pid; do
		! kill -0 "$pid" 2>/dev/null || return 1
	done
}

@test "sipc1/sipc2: 50 clients at once: each one served gets its own reply, the rest are told busy" {
	start_server
	n=50 clients=() sipc2=$(prog shm sipc2)
	for ((i = 1; i <= n; i++)); do
		start_bg "c$i.log" "$sipc2" -k keyfile "client $i"
		clients+=("$BG_PID")
	done
	wait_bg "$server"
	assert_eq 0 "$BG_STATUS" "the first sipc1's status"
	servers=1
	# A client that comes after the server removed its segment makes a new
	# one and waits for the next sipc1 (the clients after it: busy).
	until all_ended "${clients[@]}"; do
		wait_until "all_ended ${clients[*]} || sysv_exists $key" 30
		sysv_exists "$key" || continue
		run -0 --separate-stderr t "$(prog shm sipc1)" -k keyfile
		servers=$((servers + 1))
	done
	served=0
	for ((i = 1; i <= n; i++)); do
		status=0
		wait "${clients[i - 1]}" || status=$?
		case $status in
		0)
			assert_match $'(^|\n)sipc2: reply: CLIENT '"$i"'$' "$(<"c$i.log")" \
				"client $i's output (its own request in capitals, nobody else's)"
			served=$((served + 1))
			;;
		1) # busy; or its segment went between its shmget and shmat: it says so
			assert_match 'busy|try again' "$(<"c$i.log")" "client $i's refusal" ;;
		*)
			echo "client $i ended with status $status: $(<"c$i.log")" >&2
			return 1
			;;
		esac
	done
	LAB_BG=() # all reaped
	assert_eq "$servers" "$served" "clients served (one per run of sipc1)"
	assert_no_sysv "$key"
}

# The peer writes a byte a ms, and sipc1 and sipc2 look every 10 ms: a
# program that took a text before its turn came would print it half-written.
@test "sipc1/sipc2: text written a byte at a time is whole when the turn passes" {
	need_peer
	message="the turn passes after the last byte, never before"
	start_server
	run -0 --separate-stderr t perl "$PEER" client "$key" "$message" 1
	assert_eq "peer: reply: ${message^^}" "${lines[-1]}" "the reply the peer read"
	wait_bg "$server"
	assert_eq 0 "$BG_STATUS" "sipc1 status"
	assert_match $'\nsipc1: request: '"$message"$'\n' "$(<server.log)" \
		"the request (sipc1 took it before the client had written it all?)"
	assert_no_sysv "$key"
	reply="AND THE REPLY IS NOT TAKEN BEFORE IT IS WHOLE"
	start_bg peer.log perl "$PEER" server "$key" "$reply" 1
	peer=$BG_PID
	wait_for_line peer.log '^peer: waiting'
	run -0 --separate-stderr t "$(prog shm sipc2)" -k keyfile "$message"
	assert_match $'\nsipc2: reply: '"$reply"'$' "$output" \
		"the reply (sipc2 took it before the server had written it all?)"
	wait_bg "$peer"
	assert_eq 0 "$BG_STATUS" "the peer's status"
	assert_match $'\npeer: request: '"$message"$'\n' "$(<peer.log)" "the request the peer read"
	assert_no_sysv "$key"
}

# A race, run many times: a writer that hands the turn over before its last
# byte leaves a window only as long as its copy. The peer spins on the turn
# word on the other CPU and takes the text in the same copy: here about one
# round in four shows such a writer, so 20 rounds miss it about once in 500.
@test "sipc1/sipc2: read the instant the turn passes, the text is whole (20 rounds each way)" {
	need_peer
	(($(nproc) > 1)) || skip "one CPU: the peer cannot look while the writer writes"
	local sipc1 sipc2 rounds=20 n
	sipc1=$(prog shm sipc1) sipc2=$(prog shm sipc2)
	message=$(printf 'the turn passes after the last byte %.0s' {1..7})
	message=${message:0:255} # the longest: the widest window
	touch keyfile
	key=$(ftok_key keyfile $SIPC_PROJ)
	start_bg peer.log perl "$PEER" client "$key" "$message" 0 $rounds
	peer=$BG_PID
	for ((n = 1; n <= rounds; n++)); do
		t "$sipc1" -k keyfile >/dev/null
	done
	wait_bg "$peer"
	assert_eq 0 "$BG_STATUS" "the peer's status"
	assert_eq $rounds "$(grep -cxF "peer: reply: ${message^^}" peer.log)" \
		"whole replies read (sipc1 handed the turn over before its reply was whole?)"
	start_bg peer.log perl "$PEER" server "$key" "${message^^}" 0 $rounds
	peer=$BG_PID
	for ((n = 1; n <= rounds; n++)); do
		t "$sipc2" -k keyfile "$message" >/dev/null
	done
	wait_bg "$peer"
	assert_eq 0 "$BG_STATUS" "the peer's status"
	assert_eq $rounds "$(grep -cxF "peer: request: $message" peer.log)" \
		"whole requests read (sipc2 handed the turn over before its request was whole?)"
	assert_no_sysv "$key"
}

@test "sipc2: its server killed half-way through the reply: the client says so, exits 1, removes the segment" {
	need_peer
	touch keyfile
	key=$(ftok_key keyfile $SIPC_PROJ)
	start_bg peer.log perl "$PEER" server "$key" "a reply that never ends" 1000
	peer=$BG_PID
	wait_for_line peer.log '^peer: waiting'
	start_bg client.log "$(prog shm sipc2)" -k keyfile "anything"
	client=$BG_PID
	wait_for_line peer.log '^peer: writing'
	stop_bg "$peer" KILL
	wait_bg "$client" || {
		echo "the client still waits for a server that is dead" >&2
		return 1
	}
	assert_eq 1 "$BG_STATUS" "the client's status"
	assert_match 'sipc2: the server went away without replying; segment [0-9]+ removed' "$(<client.log)"
	[[ $(<client.log) != *"sipc2: reply: "* ]] || {
		echo "the client printed a reply its server never finished" >&2
		return 1
	}
	assert_no_sysv "$key"
}

# sipc1 has no such window to test: it looks at its stop flag only while it
# waits; a stop that comes once it took the request lets it reply, remove the
# segment and exit 0.
@test "sipc2: stopped while its server writes the reply; the segment goes when the server detaches" {
	need_peer
	touch keyfile
	key=$(ftok_key keyfile $SIPC_PROJ)
	start_bg peer.log perl "$PEER" server "$key" "abcdefgh" 1000
	peer=$BG_PID
	wait_for_line peer.log '^peer: waiting'
	id=$(ipcs -m | awk -v k="$key" '$1 == k { print $2 }')
	start_bg client.log "$(prog shm sipc2)" -k keyfile "abcdefgh"
	wait_for_line peer.log '^peer: writing'
	stop_bg "$BG_PID" TERM
	assert_eq 1 "$BG_STATUS" "the client's status"
	assert_match 'sipc2: stopped by SIGTERM; segment removed' "$(<client.log)"
	assert_no_sysv "$key" # marked: the key finds it no more...
	ipcs -m | awk -v id="$id" '$2 == id { found = 1 } END { exit !found }' || {
		echo "segment $id went while its server was still attached" >&2
		return 1
	} # ...but it stays while its server is attached
	stop_bg "$peer" TERM # the end of a process detaches it: the last detach
	assert_no_shmid "$id"
}

@test "sipc2: a segment whose server was killed: the next client says so and removes it" {
	start_server
	stop_bg "$BG_PID" KILL
	sysv_exists "$key"
	run -1 --separate-stderr t "$(prog shm sipc2)" -k keyfile "anyone there?"
	assert_match 'the server went away without replying' "$stderr"
	assert_no_sysv "$key"
}

@test "sipc1: a client killed while it waits is not answered; the next client is" {
	touch keyfile
	key=$(ftok_key keyfile $SIPC_PROJ)
	start_bg first.log "$(prog shm sipc2)" -k keyfile "nobody reads this"
	wait_for_line first.log '^sipc2: request: '
	stop_bg "$BG_PID" KILL
	start_bg server.log "$(prog shm sipc1)" -k keyfile
	server=$BG_PID
	wait_for_line server.log 'the client left before its reply; waiting for another'
	run -0 --separate-stderr t "$(prog shm sipc2)" -k keyfile "second"
	assert_match $'\nsipc2: reply: SECOND$' "$output"
	wait_bg "$server"
	assert_eq 0 "$BG_STATUS" "sipc1 status"
	[[ $(<server.log) != *"nobody reads this"* ]] || {
		echo "sipc1 answered a client that was dead" >&2
		return 1
	}
	assert_no_sysv "$key"
}

@test "sipc1: a client killed half-way through writing its request: the half is never served" {
	need_peer
	start_server
	start_bg peer.log perl "$PEER" client "$key" "written one byte a second" 1000
	wait_for_line peer.log '^peer: writing'
	stop_bg "$BG_PID" KILL
	wait_for_line server.log 'the client left before its reply; waiting for another'
	if grep -q '^sipc1: request: ' server.log; then
		echo "sipc1 served a request that was half written" >&2
		return 1
	fi
	run -0 --separate-stderr t "$(prog shm sipc2)" -k keyfile "whole"
	assert_match $'\nsipc2: reply: WHOLE$' "$output"
	wait_bg "$server"
	assert_no_sysv "$key"
}

@test "sipc1/sipc2: control bytes from the peer are printed as '?'" {
	start_server
	run -0 --separate-stderr t "$(prog shm sipc2)" -k keyfile $'red \e[31mtext\tbell\a'
	assert_eq 'sipc2: reply: RED ?[31MTEXT?BELL?' "${lines[1]}" "the client's reply line"
	wait_bg "$server"
	assert_eq 'sipc1: request: red ?[31mtext?bell?
sipc1: reply: RED ?[31MTEXT?BELL?' "$(tail -n 2 server.log)" "the server's lines"
	assert_no_sysv "$key"
}

@test "sipc1: a request without its NUL is cut at 255 bytes" {
	need_peer
	start_server
	# 256 bytes fill the text: the peer's NUL falls after it.
	run -0 --separate-stderr t perl "$PEER" client "$key" "$(printf 'x%.0s' {1..256})" 0
	longest=$(printf 'x%.0s' {1..255})
	assert_eq "peer: reply: ${longest^^}" "${lines[-1]}" "the reply the peer read (255 bytes and a NUL)"
	wait_bg "$server"
	assert_eq 0 "$BG_STATUS" "sipc1 status"
	assert_eq "sipc1: request: $longest" "$(grep '^sipc1: request: ' server.log)" \
		"the request line (255 bytes, the last one of the text is made its NUL)"
	assert_no_sysv "$key"
}

@test "sipc2: a reply without its NUL is cut at 255 bytes, its control bytes shown as '?'" {
	need_peer
	touch keyfile
	key=$(ftok_key keyfile $SIPC_PROJ)
	start_bg client.log "$(prog shm sipc2)" -k keyfile "anything"
	client=$BG_PID
	wait_for_line client.log '^sipc2: request: '
	# 256 bytes with an escape sequence fill the text: the peer's NUL falls after it.
	run -0 --separate-stderr t perl "$PEER" server "$key" $'\e[31m'"$(printf 'y%.0s' {1..251})" 0
	wait_bg "$client"
	assert_eq 0 "$BG_STATUS" "sipc2 status"
	assert_eq "sipc2: reply: ?[31m$(printf 'y%.0s' {1..250})" "$(grep '^sipc2: reply: ' client.log)" \
		"the reply line (255 bytes, the escape byte as '?')"
	assert_no_sysv "$key"
}

@test "sipc1, sipc2: a wait sleeps between looks (a spin keeps a CPU busy)" {
	start_server
	wait_asleep "$BG_PID" 2 || {
		echo "sipc1 never slept while it waited" >&2
		return 1
	}
	stop_bg "$BG_PID"
	start_bg client.log "$(prog shm sipc2)" -k keyfile
	wait_for_line client.log '^sipc2: request: '
	wait_asleep "$BG_PID" 2 || {
		echo "sipc2 never slept while it waited" >&2
		return 1
	}
	stop_bg "$BG_PID"
	assert_no_sysv "$key"
}

@test "posix_shm: the reader prints what the writer left, then unlinks it" {
	name=$(unique_name shm)
	run -0 --separate-stderr t "$(prog shm posix_shm_writer)" "$name" "hello through /dev/shm"
	assert_eq "posix_shm_writer: wrote 22 bytes to $name" "$output"
	assert_eq 600 "$(stat -c %a "/dev/shm/${name#/}")" "permissions"
	run -0 --separate-stderr t "$(prog shm posix_shm_reader)" "$name"
	assert_eq "posix_shm_reader: 22 bytes: hello through /dev/shm
posix_shm_reader: removed $name" "$output"
	assert_posix_gone "$name"
}

@test "posix_shm: -k keeps the object; the writer refuses to overwrite it" {
	name=$(unique_name shm)
	run -0 t "$(prog shm posix_shm_writer)" "$name" first
	run -1 --separate-stderr t "$(prog shm posix_shm_writer)" "$name" second
	assert_match "$name already exists" "$stderr"
	run -0 --separate-stderr t "$(prog shm posix_shm_reader)" -k "$name"
	assert_eq "posix_shm_reader: 5 bytes: first" "$output"
	[[ -e /dev/shm/${name#/} ]]
	run -0 --separate-stderr t "$(prog shm posix_shm_reader)" "$name"
	assert_match 'first' "$output"
	assert_posix_gone "$name"
}

@test "posix_shm_reader: absent, foreign and unreadable objects are clear errors" {
	name=$(unique_name shm)
	run -1 --separate-stderr t "$(prog shm posix_shm_reader)" "$name"
	assert_match "no shared memory object $name \\(run posix_shm_writer first\\)" "$stderr"
	printf 'abc' >"/dev/shm/${name#/}" # someone else's, too short
	run -1 --separate-stderr t "$(prog shm posix_shm_reader)" "$name"
	assert_match 'too short \(3 bytes\)' "$stderr"
	rm -f "/dev/shm/${name#/}"
	run -0 t "$(prog shm posix_shm_writer)" "$name" secret
	run -1 --separate-stderr t setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$(prog shm posix_shm_reader)" "$name"
	assert_match "shm_open $name: Permission denied" "$stderr"
	run -0 t "$(prog shm posix_shm_reader)" "$name" # 0600: only the owner
	assert_posix_gone "$name"
}

@test "posix_shm: bad names and wrong argument counts get usage and status 2" {
	run -2 --separate-stderr t "$(prog shm posix_shm_writer)" no-slash text
	assert_usage
	run -2 --separate-stderr t "$(prog shm posix_shm_writer)" /two/slashes text
	assert_usage
	run -2 --separate-stderr t "$(prog shm posix_shm_writer)" /only-name
	assert_usage
	run -2 --separate-stderr t "$(prog shm posix_shm_reader)" /a /b
	assert_usage
	run -2 --separate-stderr t "$(prog shm posix_shm_reader)" -x /a
	assert_usage
}

@test "posix_shm_reader: a FIFO or a directory in the name's place is refused at once" {
	name=$(unique_name shm)
	mkfifo "/dev/shm/${name#/}" # anyone may make one there
	run -1 --separate-stderr t "$(prog shm posix_shm_reader)" "$name"
	rm -f "/dev/shm/${name#/}"
	assert_match "$name is not a shared memory object" "$stderr" \
		"stderr (a plain open of a FIFO waits for a writer)"
	mkdir "/dev/shm/${name#/}"
	run -1 --separate-stderr t "$(prog shm posix_shm_reader)" "$name"
	rmdir "/dev/shm/${name#/}"
	assert_match "$name is not a shared memory object" "$stderr"
}

@test "posix_shm_reader: the writer's control bytes are printed as '?'" {
	name=$(unique_name shm)
	run -0 t "$(prog shm posix_shm_writer)" "$name" $'red \e[31mtext\nnext line'
	run -0 --separate-stderr t "$(prog shm posix_shm_reader)" "$name"
	assert_eq "posix_shm_reader: 23 bytes: red ?[31mtext?next line
posix_shm_reader: removed $name" "$output"
	assert_posix_gone "$name"
}

@test "every shm program: -h and --help print usage and exit 2, never taken as a name" {
	local p a
	mkdir scratch && cd scratch
	for p in shm shm_layout shm_ctl sipc1 sipc2 posix_shm_writer posix_shm_reader robust_mutex; do
		for a in -h --help; do
			run -2 --separate-stderr t "$(prog shm "$p")" "$a"
			assert_usage || {
				echo "$p $a" >&2
				return 1
			}
		done
	done
	assert_eq "" "$(ls -A)" "files made in the test directory"
}

# robust_mutex prints its segment's id; the numbers come from its constants:
# from 100, the holder takes 30 and dies, the waiter repairs and moves 10.
@test "robust_mutex: the holder is killed; the waiter gets EOWNERDEAD, repairs, and the mutex works again" {
	run -0 --separate-stderr t "$(prog shm robust_mutex)"
	assert_eq "" "$stderr" "stderr"
	id=$(sed -n 's/^robust_mutex: segment \([0-9][0-9]*\) .*/\1/p' <<<"$output")
	assert_match '^[0-9]+$' "$id" "the segment's id"
	waiter=$(sed -n 's/^waiter \([0-9]*\): waiting on the condition.*/\1/p' <<<"$output")
	holder=$(sed -n 's/^holder \([0-9]*\): .*/\1/p' <<<"$output")
	assert_match '^[0-9]+$' "$waiter" "the waiter's pid (its 'waiting on the condition' line)"
	assert_match '^[0-9]+$' "$holder" "the holder's pid"
	assert_match "holder $holder: took 30 from 'from' \\(from 70, to 0\\)" "$output"
	assert_match $'\n'"waiter $waiter: pthread_cond_wait: EOWNERDEAD" "$output" \
		"the waiter's wake-up (a robust mutex hands the lock over with EOWNERDEAD)"
	assert_match $'\n'"waiter $waiter: repaired \\(to 30\\); pthread_mutex_consistent"$'\n' "$output"
	assert_match $'\n'"waiter $waiter: moved 10 \\(from 60, to 40\\)" "$output"
	assert_match $'\n'"robust_mutex: holder $holder was killed by SIGKILL holding the lock; waiter $waiter exited 0"$'\n' "$output"
	assert_match $'\nrobust_mutex: pthread_mutex_lock works again: from 60, to 40$' "$output" \
		"the last line (the lock usable after pthread_mutex_consistent, from + to = 100)"
	assert_no_shmid "$id"
}

@test "robust_mutex -g: unlocked without pthread_mutex_consistent, the mutex is unusable for good" {
	run -0 --separate-stderr t "$(prog shm robust_mutex)" -g
	assert_match $'\nwaiter [0-9]+: pthread_cond_wait: EOWNERDEAD' "$output"
	assert_match $'\nwaiter [0-9]+: gives up: unlocks without pthread_mutex_consistent\n' "$output"
	[[ $output != *repaired* ]] || {
		echo "-g repaired the state anyway" >&2
		return 1
	}
	assert_match $'\nrobust_mutex: pthread_mutex_lock: ENOTRECOVERABLE: unusable for good$' "$output"
	assert_no_shmid "$(sed -n 's/^robust_mutex: segment \([0-9][0-9]*\) .*/\1/p' <<<"$output")"
}

@test "robust_mutex: an argument other than -g gets usage and status 2" {
	run -2 --separate-stderr t "$(prog shm robust_mutex)" -x
	assert_usage
	run -2 --separate-stderr t "$(prog shm robust_mutex)" extra
	assert_usage
	run -2 --separate-stderr t "$(prog shm robust_mutex)" -g extra
	assert_usage
}
