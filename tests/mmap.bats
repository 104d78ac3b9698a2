#!/usr/bin/env bats
# tests/mmap.bats -- mmap/: mapped files and shared mappings, through each
# program's command line. Files the programs own are checked removed.
load helpers

setup() { lab_setup; }
teardown() {
	lab_teardown
	exec 4>&- 7>&- 8>&- # the keyboard of start_at_keyboard; a FIFO a get writes into
}

# start_at_keyboard LOG CMD ARGS... -- start_bg CMD with its stdin a FIFO
# that this test holds open on fd 4, as a terminal nobody types into: CMD
# waits in getchar until `echo >&4` presses Enter.
start_at_keyboard() {
	local log=$1
	shift
	[[ -p keyboard ]] || mkfifo keyboard
	exec 4<>keyboard
	start_bg "$log" bash -c 'exec "$@" <keyboard' _ "$@"
}

# text_of FILE -- the text mmap_write leaves, without the NUL padding.
text_of() {
	tr -d '\0' <"$1"
}

# byte_sum FILE -- the sum of a file's bytes, computed without the programs.
byte_sum() {
	od -An -v -tu1 "$1" | awk '{ for (i = 1; i <= NF; i++) s += $i } END { printf "%d\n", s }'
}

# check_queue_output FILE PRODUCERS COUNT -- every producer's messages 1..COUNT
# arrived exactly once and in order, and nothing else did.
check_queue_output() {
	awk -v p="$2" -v n="$3" '
		$0 !~ /^[0-9]+ [0-9]+ message [0-9]+ from producer [0-9]+$/ { next }
		{ lines++ }
		$2 != ++seen[$1] { printf "producer %s: got %s, expected %s\n", $1, $2, seen[$1]; bad++ }
		$3 != "message" || $4 != $2 || $7 != $1 { print "garbled: " $0; bad++ }
		END {
			for (id = 1; id <= p; id++)
				if (seen[id] != n) { printf "producer %d: %d messages, expected %d\n", id, seen[id], n; bad++ }
			if (lines != p * n) { printf "%d lines, expected %d\n", lines, p * n; bad++ }
			exit bad != 0
		}' "$1" >&2
}

# is_sleeping PID -- the process is blocked (state S), not running.
is_sleeping() {
	[[ $(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) == S ]]
}

# refused FILE CMD ARGS... -- CMD fails at once (status 1, under a time
# limit) with one line on stderr, which names FILE.
refused() {
	local file=$1 line n=0
	shift
	quick_run -1 "$@" </dev/null || return 1
	while IFS= read -r line; do [[ -z $line ]] || n=$((n + 1)); done <<<"$stderr"
	assert_match "$file" "$stderr" "what ${1##*/} said about $file" &&
		assert_eq 1 "$n" "lines on stderr from ${1##*/}"
}

# patch_bytes FILE REGEX REPLACEMENT -- replace bytes of FILE in place, its
# inode kept, so that processes mapping it see the change (perl -i would put
# a new file in its place). Perl's regex and string escapes (\x00, \e).
patch_bytes() {
	perl -0777 -e 'open(my $f, "+<:raw", $ARGV[0]) or die "$ARGV[0]: $!\n";
		my $d = <$f>; my ($re, $to) = ($ARGV[1], eval qq("$ARGV[2]"));
		$d =~ s/$re/$to/ or die "$ARGV[0]: no $ARGV[1]\n";
		seek($f, 0, 0) and print $f $d and close $f or die "$ARGV[0]: $!\n"' "$@"
}

# start_get OUT [FILE] -- a robust_queue get in the background, printing into
# OUT (a file or a FIFO), its stderr into OUT.err; sets BG_PID.
start_get() {
	start_bg "$1.err" bash -c 'exec "$0" get "$2" >"$1"' "$(prog mmap robust_queue)" "$1" "${2:-q.dat}"
}

# stuck_writing PID -- PID sleeps in write(2) on a full pipe (/proc/PID/wchan).
stuck_writing() {
	[[ $(cat "/proc/$1/wchan" 2>/dev/null) == *pipe* ]]
}

# took_over LOG... -- how often a robust_queue said it took the lock over from
# a holder that had died.
took_over() {
	cat "$@" 2>/dev/null | grep -c "the lock's holder died" || true
}

@test "mmap_write/mmap_read: the value survives in the file; two reads leave four times it" {
	run -0 --separate-stderr t "$(prog mmap mmap_write)" number.dat 21
	assert_eq "wrote 21 to number.dat" "$output"
	assert_eq 600 "$(stat -c %a number.dat)" "permissions"
	assert_eq 21 "$(text_of number.dat)" "file after write"
	run -0 --separate-stderr t "$(prog mmap mmap_read)" number.dat
	assert_eq $'value: 21\nwrote back: 42' "$output"
	run -0 --separate-stderr t "$(prog mmap mmap_read)" number.dat
	assert_eq $'value: 42\nwrote back: 84' "$output"
	assert_eq 84 "$(text_of number.dat)" "file after two reads"
}

@test "mmap_write: a random value by default; mmap_read finds the same one" {
	run -0 --separate-stderr t "$(prog mmap mmap_write)" number.dat
	first=$(text_of number.dat)
	assert_match '^-?[0-9]+$' "$first" "file contents"
	((first >= -100 && first <= 100))
	assert_eq "wrote $first to number.dat" "$output"
	run -0 --separate-stderr t "$(prog mmap mmap_read)" number.dat
	assert_match "^value: $first"$'\n' "$output"
	run -0 t "$(prog mmap mmap_read)" number.dat
	assert_eq "$((4 * first))" "$(text_of number.dat)" "file after two reads"
}

@test "mmap_read: absent, empty and foreign files are clear errors" {
	run -1 --separate-stderr t "$(prog mmap mmap_read)" absent.dat
	assert_match '^mmap_read: open absent.dat: No such file or directory' "$stderr"
	: >empty.dat # mapping an empty file is the lecture's trap
	run -1 --separate-stderr t "$(prog mmap mmap_read)" empty.dat
	assert_match 'empty.dat is too short \(0 bytes, need 256\): run mmap_write first' "$stderr"
	head -c 256 /dev/zero | tr '\0' x >letters.dat
	run -1 --separate-stderr t "$(prog mmap mmap_read)" letters.dat
	assert_match 'no number in the first 256 bytes' "$stderr"
	assert_eq "" "$output"
}

@test "mmap_write/mmap_read: bad arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog mmap mmap_write)"
	assert_usage
	run -2 --separate-stderr t "$(prog mmap mmap_write)" f.dat twelve
	assert_usage
	run -2 --separate-stderr t "$(prog mmap mmap_read)" a b
	assert_usage
	assert_gone f.dat
}

@test "mmap_access/read_access: LG's run: test_file read NTHLOOP times, the same sum, timed, nothing left" {
	local p sums=() sum7
	for p in mmap_access read_access; do
		run -0 --separate-stderr t "$(prog mmap $p)"
		assert_match $'^test_file: [1-9][0-9]* bytes, read 100000 times by '"${p%_access}"$'[^\n]*\nsum: [1-9][0-9]*\ntime: [0-9]+\\.[0-9]{6} s$' "$output" "$p"
		sums+=("$(sed -n 's/^sum: //p' <<<"$output")")
		assert_gone test_file
		run -0 --separate-stderr t "$(prog mmap $p)" -n 7
		assert_match $'^test_file: [0-9]+ bytes, read 7 times' "$output" "$p -n 7"
		sum7=$(sed -n 's/^sum: //p' <<<"$output")
		assert_eq "$((sum7 * 100000 / 7))" "${sums[-1]}" "$p: 100000 reads against 7"
	done
	assert_eq "${sums[0]}" "${sums[1]}" "mmap_access's and read_access's sums"
}

@test "mmap_access/read_access: a file of any size: the same sum, computed independently" {
	head -c 10007 /dev/urandom >data.bin
	expected=$(($(byte_sum data.bin) * 3))
	run -0 --separate-stderr t "$(prog mmap mmap_access)" -n 3 data.bin
	assert_match $'^data.bin: 10007 bytes, read 3 times by mmap\nsum: '"$expected"$'\ntime: [0-9]+\\.[0-9]{6} s$' "$output" "mmap_access"
	run -0 --separate-stderr t "$(prog mmap read_access)" -b 100 -n 3 data.bin
	assert_match $'^data.bin: 10007 bytes, read 3 times by read, 100-byte blocks\nsum: '"$expected"$'\ntime: ' "$output" "read_access"
	head -c "$(getconf PAGESIZE)" /dev/urandom >page.bin # one byte more is past the mapping
	: >empty.bin # no zero-length mapping: an empty file sums to 0
	for p in mmap_access read_access; do
		run -0 --separate-stderr t "$(prog mmap $p)" -n 2 page.bin
		assert_match $'\nsum: '"$(($(byte_sum page.bin) * 2))"$'\n' "$output" "$p, one page"
		run -0 --separate-stderr t "$(prog mmap $p)" -n 2 empty.bin
		assert_match $'\nsum: 0\n' "$output" "$p"
	done
}

@test "mmap_access/read_access: bad counts get usage; missing, odd and existing test files are errors" {
	printf 'mine\n' >keep
	for p in mmap_access read_access; do
		run -2 --separate-stderr t "$(prog mmap $p)" -n 0
		assert_usage
		run -2 --separate-stderr t "$(prog mmap $p)" -x
		assert_usage
		run -2 --separate-stderr t "$(prog mmap $p)" a b
		assert_usage
		run -1 --separate-stderr t "$(prog mmap $p)" absent.bin
		assert_match "open absent.bin: No such file or directory" "$stderr"
		run -1 --separate-stderr t "$(prog mmap $p)" .
		assert_match "\\. is not a regular file" "$stderr"
		mkfifo fifo # opening it must not wait for a writer
		run -1 --separate-stderr t "$(prog mmap $p)" fifo
		assert_match "fifo is not a regular file" "$stderr"
		rm fifo
		cp keep test_file # someone's test_file: never overwritten, never removed
		run -1 --separate-stderr t "$(prog mmap $p)"
		assert_match "open test_file: File exists" "$stderr"
		cmp keep test_file
	done
	run -2 --separate-stderr t "$(prog mmap read_access)" -b 0
	assert_usage
}

# cow_output PROT FLAGS READ WRITE MAPPING FILE -- what cow_private must print.
cow_output() {
	printf 'mmap(NULL, 11, %s, %s, fd, 0) = 0x*\nread:    %s\nwrite:   %s\nmprotect(PROT_READ), then write: SIGSEGV\nmapping: "%s"\nfile:    "%s"' "$@"
}

# assert_cow EXPECTED -- $output matches EXPECTED, the address aside.
assert_cow() {
	assert_eq "$1" "$(sed '1s/= 0x[0-9a-f]*$/= 0x*/' <<<"$output")" "cow_private's output"
}

@test "cow_private: a MAP_SHARED write reaches the file; a MAP_PRIVATE write stays in a private copy" {
	run -0 --separate-stderr t "$(prog mmap cow_private)" 'PROT_READ|PROT_WRITE' MAP_SHARED
	assert_cow "$(cow_output 'PROT_READ|PROT_WRITE' MAP_SHARED '"hello world"' done 'Hello world' 'Hello world')"
	run -0 --separate-stderr t "$(prog mmap cow_private)" 'PROT_READ|PROT_WRITE' MAP_PRIVATE
	assert_cow "$(cow_output 'PROT_READ|PROT_WRITE' MAP_PRIVATE '"hello world"' done 'Hello world' 'hello world')"
	assert_gone test_file
}

@test "cow_private: what the protection forbids is SIGSEGV; a read-only file refuses a shared writable mapping" {
	run -0 --separate-stderr t "$(prog mmap cow_private)" PROT_READ MAP_SHARED
	assert_cow "$(cow_output PROT_READ MAP_SHARED '"hello world"' SIGSEGV 'hello world' 'hello world')"
	run -0 --separate-stderr t "$(prog mmap cow_private)" PROT_NONE MAP_PRIVATE
	assert_cow "$(cow_output PROT_NONE MAP_PRIVATE SIGSEGV SIGSEGV 'hello world' 'hello world')"
	run -1 --separate-stderr t "$(prog mmap cow_private)" -r 'PROT_READ|PROT_WRITE' MAP_SHARED
	assert_match 'mmap\(NULL, 11, PROT_READ\|PROT_WRITE, MAP_SHARED, fd, 0\): Permission denied$' "$stderr"
	assert_eq "" "$output"
	run -0 --separate-stderr t "$(prog mmap cow_private)" -r 'PROT_READ|PROT_WRITE' MAP_PRIVATE
	assert_cow "$(cow_output 'PROT_READ|PROT_WRITE' MAP_PRIVATE '"hello world"' done 'Hello world' 'hello world')"
	assert_gone test_file
}

@test "cow_private: MAP_FIXED maps where asked; MAP_SHARED or MAP_PRIVATE is required; MAP_FLAG is no flag" {
	run -0 --separate-stderr t "$(prog mmap cow_private)" PROT_READ 'MAP_SHARED|MAP_FIXED'
	reserved=$(sed -n 's/^addr = \(0x[0-9a-f]*\), reserved (PROT_NONE)$/\1/p' <<<"$output")
	assert_match '^0x[0-9a-f]+$' "$reserved" "the reserved address"
	assert_match $'\nmmap\\(addr, 11, PROT_READ, MAP_SHARED\\|MAP_FIXED, fd, 0\\) = '"$reserved"$'\nread:    "hello world"\n' "$output"
	run -1 --separate-stderr t "$(prog mmap cow_private)" PROT_READ MAP_FILE
	assert_match 'MAP_FILE, fd, 0\): Invalid argument$' "$stderr"
	run -2 --separate-stderr t "$(prog mmap cow_private)" PROT_READ MAP_FLAG
	assert_usage
	assert_match '^cow_private: MAP_FLAG: no such name here' "$stderr"
	run -2 --separate-stderr t "$(prog mmap cow_private)" PROT_READ
	assert_usage
	run -2 --separate-stderr t "$(prog mmap cow_private)" -x PROT_READ MAP_SHARED
	assert_usage
	printf 'mine\n' >test_file # someone's test_file: never overwritten, never removed
	run -1 --separate-stderr t "$(prog mmap cow_private)" PROT_READ MAP_SHARED
	assert_match 'open test_file: File exists' "$stderr"
	assert_eq mine "$(<test_file)" "test_file"
}

@test "mycp3: byte-identical copies of empty, 1-byte, one-page and 5 MiB + 1 files, modes kept" {
	: >empty
	printf x >one
	head -c "$(getconf PAGESIZE)" /dev/urandom >page
	head -c $((5 * 1024 * 1024 + 1)) /dev/urandom >big
	chmod 640 empty
	chmod 751 one
	chmod 604 page
	chmod 700 big
	for f in empty one page big; do
		run -0 --separate-stderr t "$(prog mmap mycp3)" "$f" "$f.copy"
		assert_eq "" "$output$stderr" "output of mycp3 $f"
		cmp "$f" "$f.copy"
		assert_eq "$(stat -c %a "$f")" "$(stat -c %a "$f.copy")" "mode of $f.copy"
	done
	# An existing, longer destination is cut to size and given the mode too.
	head -c 100000 /dev/urandom >longer
	chmod 600 longer
	run -0 t "$(prog mmap mycp3)" one longer
	cmp one longer
	assert_eq 751 "$(stat -c %a longer)" "mode of an overwritten file"
}

@test "mycp3: refuses a source that is not a regular file, and the source as destination" {
	printf 'precious\n' >src
	cp src keep
	run -1 --separate-stderr t "$(prog mmap mycp3)" /dev/null out
	assert_match '^mycp3: /dev/null is not a regular file$' "$stderr"
	mkfifo pipe # opening it must not wait for a writer
	run -1 --separate-stderr t "$(prog mmap mycp3)" pipe out
	assert_match 'pipe is not a regular file' "$stderr"
	run -1 --separate-stderr t "$(prog mmap mycp3)" . out
	assert_match '\. is not a regular file' "$stderr"
	assert_gone out
	run -1 --separate-stderr t "$(prog mmap mycp3)" src src
	assert_match 'src and the source are the same file' "$stderr"
	ln src hardlink
	ln -s src symlink
	for same in hardlink symlink ./src; do
		run -1 --separate-stderr t "$(prog mmap mycp3)" src "$same"
		assert_match "$same and the source are the same file" "$stderr"
	done
	cmp src keep # not truncated
	run -1 --separate-stderr t "$(prog mmap mycp3)" absent out
	assert_match 'open absent: No such file or directory' "$stderr"
}

@test "mycp3: wrong argument counts get usage and status 2" {
	run -2 --separate-stderr t "$(prog mmap mycp3)" only-one
	assert_usage
	run -2 --separate-stderr t "$(prog mmap mycp3)" a b c
	assert_usage
}

@test "mipc: the counter reaches exactly twice the loops, with /dev/zero and MAP_ANONYMOUS" {
	loops=2500
	run -0 --separate-stderr t "$(prog mmap mipc)" -n $loops zero
	assert_eq "counter = $((2 * loops)) (expected $((2 * loops))), mapping: MAP_SHARED of /dev/zero" "$output"
	run -0 --separate-stderr t "$(prog mmap mipc)" -n $loops anon
	assert_eq "counter = $((2 * loops)) (expected $((2 * loops))), mapping: MAP_SHARED | MAP_ANONYMOUS" "$output"
	run -0 --separate-stderr t "$(prog mmap mipc)" # APUE's 1000 loops, /dev/zero
	assert_eq "counter = 2000 (expected 2000), mapping: MAP_SHARED of /dev/zero" "$output"
}

@test "mipc: parent and child strictly alternate" {
	run -0 --separate-stderr t "$(prog mmap mipc)" -v -n 3 anon
	assert_eq "parent: 0 -> 1
child: 1 -> 2
parent: 2 -> 3
child: 3 -> 4
parent: 4 -> 5
child: 5 -> 6
counter = 6 (expected 6), mapping: MAP_SHARED | MAP_ANONYMOUS" "$output"
}

@test "mipc -u: without the turns, parent and child lose each other's updates" {
	loops=20000000
	run -0 --separate-stderr t "$(prog mmap mipc)" -u -n $loops anon
	counter=$(sed -n 's/^counter = \([0-9]*\) (expected [0-9]*), mapping: MAP_SHARED | MAP_ANONYMOUS$/\1/p' <<<"$output")
	assert_match '^[0-9]+$' "$counter" "the counter line"
	((counter > 0 && counter <= 2 * loops))
	((counter < 2 * loops)) || skip "no update was lost this time: the two did not overlap"
}

# mipc_child PID -- sets child to the pid of mipc's child, once it has one.
mipc_child() {
	local mipc_pid=$1
	child=
	# (the file ends without a newline: read fails, and still sets child)
	wait_until '{ read -r child _ <"/proc/$mipc_pid/task/$mipc_pid/children"; } 2>/dev/null; [[ -n $child ]]'
}

# Each side is stopped (SIGSTOP) so that the other ends up asleep in its WAIT,
# a read of its pipe, and is then killed: the read must see end of file.
@test "mipc: the other side killed while one waits for its turn: the wait sees EOF, no hang" {
	start_bg mipc.log "$(prog mmap mipc)" -n 100000000 anon
	pid=$BG_PID
	mipc_child "$pid"
	kill -STOP "$pid"
	wait_asleep "$child"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null || : # reaped here: no "Killed" notice from bash later
	lab_poll "! kill -0 $child 2>/dev/null" "$LAB_TIMEOUT" || {
		echo "no EOF: the child still holds the write end of its own pipe (synclib's unused ends left open); it waits for ever on a dead parent" >&2
		kill -KILL "$child"
		return 1
	}
	stop_bg "$pid"
	start_bg mipc.log "$(prog mmap mipc)" -n 100000000 anon
	pid=$BG_PID
	mipc_child "$pid"
	kill -STOP "$child"
	wait_asleep "$pid"
	kill -KILL "$child"
	lab_poll "! kill -0 $pid 2>/dev/null" "$LAB_TIMEOUT" || {
		echo "no EOF: the parent still holds the write end of its own pipe (synclib's unused ends left open); it waits for ever on a dead child" >&2
		return 1
	}
	stop_bg "$pid"
	assert_eq 1 "$BG_STATUS" "the parent's exit status once its child was killed"
}

@test "mipc: bad mapping kind and loop count get usage and status 2" {
	run -2 --separate-stderr t "$(prog mmap mipc)" private
	assert_usage
	run -2 --separate-stderr t "$(prog mmap mipc)" -n -5
	assert_usage
	run -2 --separate-stderr t "$(prog mmap mipc)" zero anon
	assert_usage
}

@test "mmap_producer/mmap_consumer: Hello World through shared.dat, as the lecture runs them" {
	start_at_keyboard producer.log "$(prog mmap mmap_producer)"
	producer=$BG_PID
	wait_for_line producer.log '^memory mapped\. press Enter'
	printf 'Hello World\0' | cmp -n 12 - shared.dat # the string and its NUL
	assert_eq 600 "$(stat -c %a shared.dat)" "permissions"
	run -0 --separate-stderr t "$(prog mmap mmap_consumer)"
	assert_eq "Hello World" "$output"
	echo >&4
	wait_bg "$producer"
	assert_eq 0 "$BG_STATUS" "producer status"
	assert_gone shared.dat
}

@test "mmap_producer: SIGTERM while it waits removes the file; end of input goes straight on" {
	start_at_keyboard producer.log "$(prog mmap mmap_producer)" my.dat "Hi there"
	producer=$BG_PID
	wait_for_line producer.log '^memory mapped'
	run -0 --separate-stderr t "$(prog mmap mmap_consumer)" my.dat
	assert_eq "Hi there" "$output"
	stop_bg "$producer" TERM
	assert_eq 1 "$BG_STATUS" "producer status"
	assert_match 'mmap_producer: stopped by a signal; file removed' "$(<producer.log)"
	assert_gone my.dat
	run -0 --separate-stderr t "$(prog mmap mmap_producer)" </dev/null
	assert_eq "memory mapped. press Enter to exit..." "$output"
	assert_gone shared.dat
}

# A stop sent at once, not only once the program sleeps: it may land before
# the wait has begun, which a flag alone would miss (docs/CONTRIBUTING.md).
@test "mmap_producer: SIGTERM right after the readiness line still removes the file" {
	start_at_keyboard producer.log "$(prog mmap mmap_producer)" my.dat
	wait_for_line producer.log '^memory mapped'
	kill -TERM "$BG_PID"
	wait_bg "$BG_PID"
	assert_eq 1 "$BG_STATUS" "mmap_producer status"
	assert_gone my.dat
}

@test "mmap_consumer: absent, empty and FIFO files are clear errors; a file without a NUL still prints" {
	run -1 --separate-stderr t "$(prog mmap mmap_consumer)"
	assert_match '^mmap_consumer: shared.dat does not exist: start mmap_producer first$' "$stderr"
	: >empty.dat
	run -1 --separate-stderr t "$(prog mmap mmap_consumer)" empty.dat
	assert_match 'empty.dat is empty' "$stderr"
	mkfifo fifo.dat
	run -1 --separate-stderr t "$(prog mmap mmap_consumer)" fifo.dat
	assert_match 'fifo.dat is not a regular file' "$stderr"
	assert_eq "" "$output"
	printf 'Hello World' >bare.dat # no NUL: the copy must end the string itself
	run -0 --separate-stderr t "$(prog mmap mmap_consumer)" bare.dat
	assert_eq "Hello World" "$output"
}

@test "mmap_producer/mmap_consumer: bad arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog mmap mmap_producer)" f.dat msg extra
	assert_usage
	run -2 --separate-stderr t "$(prog mmap mmap_consumer)" a b
	assert_usage
	assert_gone f.dat
}

@test "car_write/car_read: the relative car reads whole; the absolute car's pointers are car_write's heap addresses" {
	run -0 --separate-stderr t "$(prog mmap car_write)" car.dat Tesla "Model 3"
	line=$(grep '^absolute: Wheels\[1\]->Brand ' <<<"$output")
	brand=$(sed -n 's/^absolute: Wheels\[1\]->Brand "\(.*\)" at 0x[0-9a-f]*, on car_write.s heap$/\1/p' <<<"$line")
	heap=$(sed -n 's/.* at \(0x[0-9a-f]*\), on car_write.s heap$/\1/p' <<<"$line")
	assert_match '^0x[0-9a-f]+$' "$heap" "car_write's heap address"
	offset=$(sed -n 's/^relative: Wheels\[1\]\.Brand ".*" at offset \([0-9]*\) of car.dat$/\1/p' <<<"$output")
	assert_match '^[0-9]+$' "$offset" "the offset car_write prints"
	run -0 --separate-stderr t "$(prog mmap car_read)" car.dat
	assert_match "^relative: Tesla Model 3, Wheels\\[1\\]\\.Brand \"$brand\" at offset $offset of car.dat"$'\n' "$output"
	assert_match $'\n  Wheels\\[1\\]: '"$brand"' [A-C]{1,2}/[A-Z]{1,2}'$'\n' "$output"
	assert_eq 4 "$(grep -cE '^  Wheels\[[0-3]\]: ' <<<"$output")" "wheels of the relative car"
	# The file holds car_write's addresses; here they lead nowhere, or into car_read's own memory.
	assert_match $'\n  Wheels\\[1\\] -> '"$heap"': ' "$output"
	assert_eq 5 "$(grep -cE '^  (Make|Wheels\[[0-3]\]) -> 0x[0-9a-f]+: (nothing mapped here: following it is SIGSEGV|mapped here, but to car_read.s own memory, not the car)$' <<<"$output")" "pointer lines"
	assert_eq 1 "$(grep -c Tesla <<<"$output")" "lines with the make: never read through a pointer"
	# Following the pointer as the slide does: a crash, or not the car.
	run --separate-stderr t "$(prog mmap car_read)" -f car.dat
	if ((status == 0)); then
		assert_match $'\nWheels\\[1\\]->Brand: ' "$output"
		[[ $output != *"Brand: \"$brand\""* ]]
	fi
	run -0 --separate-stderr t "$(prog mmap car_write)"
	run -0 --separate-stderr t "$(prog mmap car_read)"
	assert_match '^relative: [^ ]+ [^,]+, Wheels\[1\]' "$output" "car.dat by default"
}

@test "car_read: absent, short, foreign and FIFO files are clear errors; bad arguments get usage" {
	run -1 --separate-stderr t "$(prog mmap car_read)"
	assert_match 'open car.dat: No such file or directory' "$stderr"
	printf 'abc' >short.dat
	run -1 --separate-stderr t "$(prog mmap car_read)" short.dat
	assert_match 'short.dat is too short for a CarFile: run car_write first' "$stderr"
	mkfifo fifo.dat
	run -1 --separate-stderr t "$(prog mmap car_read)" fifo.dat
	assert_match 'fifo.dat is not a regular file' "$stderr"
	head -c 4096 /dev/zero >zeros.dat
	run -1 --separate-stderr t "$(prog mmap car_read)" zeros.dat
	assert_match 'zeros.dat holds no car: run car_write first' "$stderr"
	head -c 4096 /dev/zero | tr '\0' x >letters.dat
	run -1 --separate-stderr t "$(prog mmap car_read)" letters.dat
	assert_match 'letters.dat holds no car' "$stderr"
	run -1 --separate-stderr t "$(prog mmap car_write)" car.dat "$(printf '%050d' 0)" model
	assert_match 'shorter than 50 bytes' "$stderr"
	run -2 --separate-stderr t "$(prog mmap car_write)" car.dat only-make
	assert_usage
	run -2 --separate-stderr t "$(prog mmap car_read)" a b
	assert_usage
	run -2 --separate-stderr t "$(prog mmap car_read)" -x
	assert_usage
}

@test "queue_producer/queue_consumer: 100 messages, oldest first, the producer blocked while 5 are waiting" {
	start_at_keyboard producer.log "$(prog mmap queue_producer)"
	producer=$BG_PID
	wait_for_line producer.log '^message size = [0-9]+$'
	wait_for_line producer.log '^enqueued 4$'
	wait_until "is_sleeping $producer" # waiting for a free slot
	assert_eq "$(seq 0 4 | sed 's/^/enqueued /')" "$(grep '^enqueued' producer.log)" "a full queue: 5 messages"
	start_bg consumer.log "$(prog mmap queue_consumer)"
	consumer=$BG_PID
	wait_for_line consumer.log '^100: 99$'
	assert_eq "$(seq 0 99 | awk '{ print NR ": " $0 }')" "$(<consumer.log)" "what the consumer printed"
	wait_for_line producer.log '^message queue written'
	assert_eq "$(seq 0 99 | sed 's/^/enqueued /')" "$(grep '^enqueued' producer.log)" "what the producer printed"
	echo >&4
	wait_bg "$producer"
	assert_eq 0 "$BG_STATUS" "producer status"
	assert_gone shared.dat
	kill -0 "$consumer" # like the lecture's, it never ends by itself
}

@test "queue_consumer: three consumers share 30000 messages, each taken exactly once, in order" {
	start_at_keyboard producer.log "$(prog mmap queue_producer)" -n 30000 q.dat
	producer=$BG_PID
	wait_for_line producer.log '^message size'
	for c in c1 c2 c3; do
		start_bg $c.log "$(prog mmap queue_consumer)" q.dat
	done
	wait_for_line producer.log '^message queue written' 20
	wait_until '(($(cat c1.log c2.log c3.log | wc -l) >= 30000))'
	assert_eq "$(seq 0 29999)" "$(cat c1.log c2.log c3.log | cut -d' ' -f2 | sort -n)" "the messages taken"
	for c in c1 c2 c3; do # each consumer's share: oldest first
		awk -v c=$c '$2 <= last { printf "%s: %s after %s\n", c, $2, last; exit 1 } { last = $2 }' last=-1 $c.log >&2
	done
	echo >&4
	wait_bg "$producer"
	assert_gone q.dat
}

@test "queue_producer: SIGTERM while it waits for a slot, or right after it is ready, removes the file" {
	start_bg producer.log "$(prog mmap queue_producer)" -n 40
	producer=$BG_PID
	wait_for_line producer.log '^enqueued 4$'
	wait_until "is_sleeping $producer"
	stop_bg "$producer" TERM
	assert_eq 1 "$BG_STATUS" "status after SIGTERM"
	assert_match 'queue_producer: stopped by a signal; file removed' "$(<producer.log)"
	assert_gone shared.dat
	# A stop sent at once may land before the wait has begun (docs/CONTRIBUTING.md).
	start_bg producer.log "$(prog mmap queue_producer)" -n 40 my.dat
	wait_for_line producer.log '^message size'
	kill -TERM "$BG_PID"
	wait_bg "$BG_PID"
	assert_eq 1 "$BG_STATUS" "status after an early SIGTERM"
	assert_gone my.dat
}

@test "queue_producer/queue_consumer: an existing file is left alone; absent and foreign files are errors; usage" {
	printf 'not a queue\n' >notes.txt
	run -1 --separate-stderr t "$(prog mmap queue_producer)" notes.txt </dev/null
	assert_match 'open notes.txt: File exists' "$stderr"
	assert_eq 'not a queue' "$(<notes.txt)" "the file"
	run -1 --separate-stderr t "$(prog mmap queue_consumer)" notes.txt
	assert_match 'notes.txt holds no queue \(yet\?\): start queue_producer first' "$stderr"
	head -c 4096 /dev/zero >zeros.dat # long enough, but nobody made a queue in it
	run -1 --separate-stderr t "$(prog mmap queue_consumer)" zeros.dat
	assert_match 'zeros.dat holds no queue' "$stderr"
	run -1 --separate-stderr t "$(prog mmap queue_consumer)"
	assert_match 'shared.dat does not exist: start queue_producer first' "$stderr"
	assert_eq "" "$output"
	run -2 --separate-stderr t "$(prog mmap queue_producer)" -n many
	assert_usage
	run -2 --separate-stderr t "$(prog mmap queue_producer)" a b
	assert_usage
	run -2 --separate-stderr t "$(prog mmap queue_consumer)" a b
	assert_usage
	assert_gone shared.dat a
}

# queued FILE SEQ ID -- message SEQ of producer ID is in the queue file.
queued() {
	grep -qa "message $2 from producer $3" "$1" 2>/dev/null
}

@test "fcntl_queue: producers first: 3 x 2000 messages arrive once each, in each producer's order" {
	local pids=() id
	for id in 1 2 3; do
		start_bg "p$id.log" "$(prog mmap fcntl_queue)" put -n 2000 -i $id queue.dat
		pids+=("$BG_PID")
	done
	for id in 1 2 3; do
		wait_for_line "p$id.log" '^producer [0-9]+: (created|joined|reopened)'
	done
	run -0 --separate-stderr t "$(prog mmap fcntl_queue)" get -p 3 queue.dat
	printf '%s\n' "$output" >received
	check_queue_output received 3 2000
	assert_match 'consumer: 6000 messages, 3 end markers, file gone$' "$stderr"
	for id in 1 2 3; do
		wait_bg "${pids[id - 1]}"
		assert_eq 0 "$BG_STATUS" "producer $id status"
		assert_match "producer $id: sent 2000 messages and an end marker" "$(<"p$id.log")"
	done
	assert_gone queue.dat
}

@test "fcntl_queue: consumer first: it creates the queue; 2 x 3000 messages arrive in order" {
	start_bg consumer.log "$(prog mmap fcntl_queue)" get -p 2 queue.dat
	consumer=$BG_PID
	wait_for_line consumer.log 'created a new queue'
	start_bg p1.log "$(prog mmap fcntl_queue)" put -n 3000 -i 1 queue.dat
	p1=$BG_PID
	start_bg p2.log "$(prog mmap fcntl_queue)" put -n 3000 -i 2 queue.dat
	p2=$BG_PID
	wait_bg "$consumer"
	assert_eq 0 "$BG_STATUS" "consumer status"
	check_queue_output consumer.log 2 3000
	wait_bg "$p1"
	assert_eq 0 "$BG_STATUS" "producer 1 status"
	wait_bg "$p2"
	assert_eq 0 "$BG_STATUS" "producer 2 status"
	assert_gone queue.dat
}

@test "fcntl_queue: SIGTERM to a producer blocked on a full queue (16 slots) removes the queue it alone used, not one still in use" {
	start_bg producer.log "$(prog mmap fcntl_queue)" put -n 40 -i 1 queue.dat
	producer=$BG_PID
	wait_until "queued queue.dat 16 1"
	wait_until "is_sleeping $producer"
	! queued queue.dat 17 1 # a full queue: the 17th waits
	start_bg other.log "$(prog mmap fcntl_queue)" put -n 1 -i 2 queue.dat
	other=$BG_PID
	wait_for_line other.log '^producer 2: joined the queue'
	stop_bg "$other" TERM
	assert_eq 1 "$BG_STATUS" "status of the second producer after SIGTERM"
	assert_match 'producer 2: stopped by SIGTERM after 0 messages$' "$(tail -n 1 other.log)" "the second producer's last line"
	[[ -f queue.dat ]] || { echo "the second producer removed the queue the first still uses" >&2; return 1; }
	stop_bg "$producer" TERM
	assert_eq 1 "$BG_STATUS" "status after SIGTERM"
	assert_match 'producer 1: stopped by SIGTERM after 16 messages; queue file removed' "$(<producer.log)"
	assert_gone queue.dat
}

@test "fcntl_queue: SIGINT to a consumer waiting on an empty queue removes the file" {
	start_bg consumer.log "$(prog mmap fcntl_queue)" get queue.dat
	wait_for_line consumer.log 'created a new queue'
	wait_until "is_sleeping $BG_PID"
	stop_bg "$BG_PID" INT
	assert_eq 1 "$BG_STATUS" "status after SIGINT"
	assert_match 'consumer: stopped by SIGINT after 0 messages; queue file removed' "$(<consumer.log)"
	assert_gone queue.dat
}

# A stop sent at once, not only once the program sleeps: it may land before
# the wait has begun, which a flag alone would miss (docs/CONTRIBUTING.md).
@test "fcntl_queue: SIGTERM right after the readiness line still stops them and cleans up" {
	start_bg consumer.log "$(prog mmap fcntl_queue)" get queue.dat
	wait_for_line consumer.log 'created a new queue'
	kill -TERM "$BG_PID"
	wait_bg "$BG_PID"
	assert_eq 1 "$BG_STATUS" "consumer status"
	assert_match 'stopped by SIGTERM after 0 messages; queue file removed' "$(<consumer.log)"
	assert_gone queue.dat
	start_bg producer.log "$(prog mmap fcntl_queue)" put -n 40 -i 1 queue.dat
	wait_until "queued queue.dat 16 1" # the next message waits for a slot
	kill -TERM "$BG_PID"
	wait_bg "$BG_PID"
	assert_eq 1 "$BG_STATUS" "producer status"
	assert_match 'producer 1: stopped by SIGTERM after 16 messages; queue file removed' "$(<producer.log)"
	assert_gone queue.dat
}

@test "fcntl_queue: after SIGKILL the file is reopened, its messages kept" {
	start_bg producer.log "$(prog mmap fcntl_queue)" put -n 40 -i 1 queue.dat
	wait_until "queued queue.dat 16 1"
	stop_bg "$BG_PID" KILL
	[[ -e queue.dat ]] # SIGKILL leaves it
	start_bg consumer.log "$(prog mmap fcntl_queue)" get queue.dat
	consumer=$BG_PID
	wait_for_line consumer.log 'reopened a queue nobody was using in queue.dat \(16 waiting\)'
	run -0 --separate-stderr t "$(prog mmap fcntl_queue)" put -n 0 -i 2 queue.dat # only an end marker
	assert_match '^producer 2: joined the queue' "$stderr"
	wait_bg "$consumer"
	assert_eq 0 "$BG_STATUS" "consumer status"
	check_queue_output consumer.log 1 16
	assert_gone queue.dat
}

@test "fcntl_queue: a file that is not a queue is left alone; bad arguments get usage" {
	printf 'not a queue\n' >notes.txt
	run -1 --separate-stderr t "$(prog mmap fcntl_queue)" get notes.txt
	assert_match 'notes.txt exists and is not a queue file' "$stderr"
	run -1 --separate-stderr t "$(prog mmap fcntl_queue)" put notes.txt
	assert_match 'notes.txt exists and is not a queue file' "$stderr"
	assert_eq 'not a queue' "$(<notes.txt)" "the file"
	mkfifo fifo # a FIFO must not make it wait
	run -1 --separate-stderr t "$(prog mmap fcntl_queue)" get fifo
	assert_match 'fifo exists and is not a queue file' "$stderr"
	run -2 --separate-stderr t "$(prog mmap fcntl_queue)" put -n many queue.dat
	assert_usage
	run -2 --separate-stderr t "$(prog mmap fcntl_queue)" put a b
	assert_usage
	run -2 --separate-stderr t "$(prog mmap fcntl_queue)" get -p 0 queue.dat
	assert_usage
	run -2 --separate-stderr t "$(prog mmap fcntl_queue)" get -n 5 queue.dat
	assert_usage
	run -2 --separate-stderr t "$(prog mmap fcntl_queue)" take queue.dat
	assert_usage
	run -2 --separate-stderr t "$(prog mmap fcntl_queue)"
	assert_usage
	assert_gone queue.dat
}

# Issue 15, item 1: a queue whose consumer was killed stays frozen (the lecture
# design's limit), but the producer caught in it still obeys SIGTERM.
@test "queue_producer: frozen behind a consumer killed with kill -9, it still stops on SIGTERM and removes the file" {
	start_bg producer.log "$(prog mmap queue_producer)" -n 1000000 q.dat
	producer=$BG_PID
	wait_for_line producer.log '^message size'
	start_bg consumer.log "$(prog mmap queue_consumer)" q.dat
	wait_for_line consumer.log '^100: '
	stop_bg "$BG_PID" KILL
	wait_asleep "$producer" # five messages wait; nobody takes them
	kill -0 "$producer"     # frozen, not gone
	stop_bg "$producer" TERM
	assert_eq 1 "$BG_STATUS" "status of the frozen producer after SIGTERM"
	assert_match 'queue_producer: stopped by a signal; file removed' "$(<producer.log)"
	assert_gone q.dat
}

@test "robust_queue: three producers of 2000 and a get, started in any order: each message once, in each producer's order" {
	run -0 --separate-stderr t "$(prog mmap robust_queue)" make q.dat
	assert_match '^q.dat: a queue of 16 slots of [0-9]+ bytes$' "$output"
	assert_eq 600 "$(stat -c %a q.dat)" "permissions of the queue file"
	local pids=() id
	for id in 1 2; do
		start_bg "p$id.log" "$(prog mmap robust_queue)" put -n 2000 -i $id q.dat
		pids+=("$BG_PID")
	done
	start_get got
	get=$BG_PID
	start_bg p3.log "$(prog mmap robust_queue)" put -n 2000 -i 3 q.dat
	pids+=("$BG_PID")
	wait_until '(($(wc -l <got) >= 6000))'
	for id in 1 2 3; do
		wait_bg "${pids[id - 1]}"
		assert_eq 0 "$BG_STATUS" "producer $id status"
		assert_match "^robust_queue: producer $id: sent 2000 messages$" "$(<"p$id.log")"
	done
	stop_bg "$get" TERM
	assert_eq 143 "$BG_STATUS" "a get ends only by a signal, like the lecture's consumer"
	check_queue_output got 3 2000
	[[ -f q.dat ]] # the queue outlives its users: it is removed by hand
}

# Issue 15, items 1 and 2: a get killed in the middle of a message, while it
# holds the lock. Reached from the outside: its standard output is a FIFO that
# nobody reads, so once 64 KiB wait there it sleeps in write(2), mid-message.
@test "robust_queue: a get killed with kill -9 mid-message, holding the lock, 4 times: the lock is taken over, no message lost or doubled" {
	[[ $(cat /proc/self/wchan 2>/dev/null) != "" ]] || skip "no /proc/PID/wchan here: cannot see a get stuck in write(2)"
	run -0 --separate-stderr t "$(prog mmap robust_queue)" make q.dat
	local pids=() id r before
	for id in 1 2 3; do
		start_bg "p$id.log" "$(prog mmap robust_queue)" put -n 3000 -i $id q.dat
		pids+=("$BG_PID")
	done
	for r in 1 2 3 4; do
		mkfifo "out$r"
		exec 7<>"out$r" # held open, never read
		start_get "out$r"
		wait_until "stuck_writing $BG_PID"
		before=$(took_over p?.log out?.err)
		stop_bg "$BG_PID" KILL
		wait_until "((\$(took_over p?.log out?.err) > before))" ||
			{ echo "round $r: nobody took over the lock of the killed get: the queue is frozen" >&2; return 1; }
		exec 8<"out$r" 7>&- # now nobody writes: what the get printed, then end of file
		cat <&8 >"part$r"
		exec 8<&-
	done
	start_get final
	wait_until '(($(sort -u part? final | wc -l) >= 9000))'
	stop_bg "$BG_PID"
	cat part1 part2 part3 part4 final >received
	check_queue_output received 3 3000 # in order, once each: the killed get's message came again, once
	for id in 1 2 3; do
		wait_bg "${pids[id - 1]}"
		assert_eq 0 "$BG_STATUS" "producer $id status"
	done
}

@test "robust_queue: gets killed with kill -9 at any moment, 12 times: every message printed, twice at most where one get took over" {
	run -0 --separate-stderr t "$(prog mmap robust_queue)" make q.dat
	local pids=() id k parts=() end
	for id in 1 2; do
		start_bg "p$id.log" "$(prog mmap robust_queue)" put -n 20000 -i $id q.dat
		pids+=("$BG_PID")
	done
	for k in {1..12}; do
		start_get "part$k"
		parts+=("part$k")
		# Killed as soon as it has printed: busy, wherever it is (a poll
		# every 20 ms would let it drain the queue first).
		for ((end = SECONDS + LAB_TIMEOUT; SECONDS < end; )); do
			[[ -s part$k ]] && break
		done
		kill -KILL "$BG_PID"
		stop_bg "$BG_PID"
		[[ -s part$k ]] || { echo "get $k printed nothing in ${LAB_TIMEOUT} s: the queue is frozen" >&2; return 1; }
	done
	start_get final
	wait_until '(($(sort -u "${parts[@]}" final | wc -l) >= 40000))'
	stop_bg "$BG_PID"
	cat "${parts[@]}" final >printed
	# A repeat can only be a get's last line printed again by the next get.
	uniq printed >received
	check_queue_output received 2 20000
	repeats=$(($(wc -l <printed) - $(wc -l <received)))
	((repeats <= 12)) || { echo "$repeats lines printed twice for 12 kills" >&2; return 1; }
	for id in 1 2; do
		wait_bg "${pids[id - 1]}"
		assert_eq 0 "$BG_STATUS" "producer $id status"
	done
}

@test "robust_queue: a line of 47 bytes is one message; 48 bytes or a NUL is said and not sent; control bytes come out as ?" {
	run -0 --separate-stderr t "$(prog mmap robust_queue)" make q.dat
	line47=$(printf '%047d' 47)
	printf '%s\n' first "$line47" "$(printf '%048d' 48)" $'bell\a and escape\e[2J' >lines
	printf 'a NUL\0here\nlast\n' >>lines
	run -1 --separate-stderr t "$(prog mmap robust_queue)" put -i 5 q.dat <lines
	assert_match '(^|'$'\n'')robust_queue: line 3: 48 bytes \(a message holds 47, and no NUL\): not sent'$'\n' "$stderr"
	assert_match $'\nrobust_queue: line 5: 10 bytes \\(a message holds 47, and no NUL\\): not sent\n' "$stderr"
	assert_match $'\nrobust_queue: producer 5: sent 4 messages$' "$stderr"
	start_get got
	wait_until '(($(wc -l <got) >= 4))'
	stop_bg "$BG_PID"
	assert_eq "5 1 first
5 2 $line47
5 4 bell? and escape?[2J
5 6 last" "$(<got)" "what get printed"
}

@test "robust_queue: SIGTERM stops a put waiting for room, a get waiting for a message, and a put waiting for the lock behind a stuck get" {
	run -0 --separate-stderr t "$(prog mmap robust_queue)" make q.dat
	start_bg put.log "$(prog mmap robust_queue)" put -n 40 -i 1 q.dat
	wait_until "queued q.dat 16 1" # full: the 17th waits for room
	stop_bg "$BG_PID" TERM
	assert_eq 143 "$BG_STATUS" "a put waiting for room, after SIGTERM"
	! queued q.dat 17 1
	run -0 --separate-stderr t "$(prog mmap robust_queue)" make e.dat
	start_get got e.dat
	wait_asleep "$BG_PID"
	stop_bg "$BG_PID" TERM
	assert_eq 143 "$BG_STATUS" "a get waiting for a message, after SIGTERM"
	mkfifo out
	exec 7<>out # never read: the get that prints into it gets stuck, holding the lock
	start_bg big.log "$(prog mmap robust_queue)" put -n 3000 -i 2 q.dat
	start_get out
	get=$BG_PID
	wait_until "stuck_writing $get"
	start_bg late.log "$(prog mmap robust_queue)" put -n 1 -i 3 q.dat
	wait_asleep "$BG_PID"
	stop_bg "$BG_PID" TERM
	assert_eq 143 "$BG_STATUS" "a put waiting for the lock, after SIGTERM"
	stop_bg "$get" TERM
	assert_eq 143 "$BG_STATUS" "a get stuck in its output, after SIGTERM"
}

@test "robust_queue: make refuses an existing file; put and get refuse a missing, foreign, half-made or wrongly sized file; usage" {
	printf 'mine\n' >notes.txt
	refused notes.txt "$(prog mmap robust_queue)" make notes.txt
	assert_match 'open notes.txt: File exists' "$stderr"
	assert_eq mine "$(<notes.txt)" "notes.txt"
	refused missing.dat "$(prog mmap robust_queue)" get missing.dat
	assert_match 'missing.dat does not exist: robust_queue make missing.dat first' "$stderr"
	refused notes.txt "$(prog mmap robust_queue)" put notes.txt
	assert_match 'notes.txt is not a queue file' "$stderr"
	run -0 --separate-stderr t "$(prog mmap robust_queue)" make q.dat
	size=$(stat -c %s q.dat)
	head -c "$size" /dev/zero >zeros.dat # the right size, but no make made it
	refused zeros.dat "$(prog mmap robust_queue)" get zeros.dat
	assert_match 'zeros.dat holds no queue \(yet\?\)' "$stderr"
	head -c $((size - 1)) q.dat >short.dat
	refused short.dat "$(prog mmap robust_queue)" get short.dat
	assert_match 'short.dat is not a queue file' "$stderr"
	{ cat q.dat && printf x; } >long.dat
	refused long.dat "$(prog mmap robust_queue)" put long.dat
	assert_match 'long.dat is not a queue file' "$stderr"
	local args
	for args in "" "take q.dat" "make" "make a b" "get -n 5 q.dat" "put -n many q.dat" \
		"put -i -1 q.dat" "put -n 1000000001 q.dat" "get q.dat extra"; do
		run -2 --separate-stderr t "$(prog mmap robust_queue)" $args </dev/null
		assert_usage
	done
	run -0 --separate-stderr t "$(prog mmap robust_queue)" put -n 0 -i 1000000000 q.dat
	assert_match 'producer 1000000000: sent 0 messages' "$stderr"
}

# Issue 15, item 11: -h and --help are never taken as a file; junk arguments
# get usage. The test's directory starts empty: nothing may appear in it.
@test "every mmap program: -h, --help and eight junk arguments get usage (status 2), and nothing is made" {
	local p a path
	for p in mmap_write mmap_read mmap_access read_access cow_private mycp3 mipc \
		mmap_producer mmap_consumer car_write car_read queue_producer queue_consumer \
		fcntl_queue robust_queue; do
		path=$(prog mmap $p)
		for a in -h --help "j1 j2 j3 j4 j5 j6 j7 j8"; do
			quick_run -2 "$path" $a </dev/null
			assert_usage || { echo "$p $a: no usage" >&2; return 1; }
		done
	done
	for p in "fcntl_queue put" "fcntl_queue get" "robust_queue make" "robust_queue put" "robust_queue get"; do
		for a in -h --help; do
			quick_run -2 "$(prog mmap ${p% *})" ${p#* } $a </dev/null
			assert_usage || { echo "$p $a: no usage" >&2; return 1; }
		done
	done
	assert_eq "" "$(ls -A | grep -v "^separate-stderr-")" "files the programs made"
}

# Issue 15, items 3, 4 and 11: a file of the wrong kind is refused at once
# (under `t`, a wait would show as a time-out), and left as it was.
@test "every mmap program: a FIFO or a directory given as the file is refused at once and left alone" {
	mkfifo fifo
	mkdir dir
	printf 'text\n' >src
	local f
	# refused_kept CMD ARGS... -- refused, and the FIFO still there as it was.
	refused_kept() {
		refused "$f" "$@" || return 1
		[[ -p fifo ]] || { echo "${1##*/} removed or replaced the FIFO" >&2; return 1; }
	}
	for f in fifo dir; do
		refused_kept "$(prog mmap mmap_write)" "$f" 7
		refused_kept "$(prog mmap mmap_read)" "$f"
		refused_kept "$(prog mmap mmap_producer)" "$f"
		refused_kept "$(prog mmap mmap_consumer)" "$f"
		refused_kept "$(prog mmap car_write)" "$f"
		refused_kept "$(prog mmap car_read)" "$f"
		refused_kept "$(prog mmap queue_producer)" "$f"
		refused_kept "$(prog mmap queue_consumer)" "$f"
		refused_kept "$(prog mmap fcntl_queue)" get "$f"
		refused_kept "$(prog mmap fcntl_queue)" put "$f"
		refused_kept "$(prog mmap robust_queue)" make "$f"
		refused_kept "$(prog mmap robust_queue)" put "$f"
		refused_kept "$(prog mmap robust_queue)" get "$f"
		refused_kept "$(prog mmap mycp3)" src "$f"
		refused_kept "$(prog mmap mycp3)" "$f" out
		refused_kept "$(prog mmap mmap_access)" "$f"
		refused_kept "$(prog mmap read_access)" "$f"
	done
	[[ -p fifo ]] || { echo "the FIFO is gone or changed" >&2; return 1; }
	assert_eq "" "$(ls -A dir)" "the directory"
	assert_gone out
}

@test "mmap_producer: a file of that name is refused and left as it was (the slide's O_TRUNC emptied it, and the end removed it)" {
	printf 'precious\n' >shared.dat
	run -1 --separate-stderr t "$(prog mmap mmap_producer)" </dev/null
	assert_match '^mmap_producer: open shared.dat: File exists$' "$stderr"
	assert_eq precious "$(<shared.dat)" "shared.dat"
	assert_eq "" "$output" "stdout"
}

# Issue 15, item 11, and issue 16, item 1: the largest number each option
# takes works, one more is a usage error; nothing is clamped.
@test "mmap programs: a number at its limit is taken, one more gets usage" {
	: >empty
	head -c 100 /dev/urandom >small
	run -0 --separate-stderr t "$(prog mmap mmap_access)" -n 1000000000 empty
	assert_match '^empty: 0 bytes, read 1000000000 times by mmap' "$output"
	run -2 --separate-stderr t "$(prog mmap mmap_access)" -n 1000000001 empty
	assert_usage
	run -2 --separate-stderr t "$(prog mmap read_access)" -n 1000000001 empty
	assert_usage
	run -0 --separate-stderr t "$(prog mmap read_access)" -b 1048576 -n 1 small
	assert_match $'^small: 100 bytes, read 1 times by read, 1048576-byte blocks\nsum: '"$(byte_sum small)"$'\n' "$output"
	run -2 --separate-stderr t "$(prog mmap read_access)" -b 1048577 -n 1 small
	assert_usage
	run -0 --separate-stderr t "$(prog mmap mmap_write)" big.dat 9223372036854775807
	assert_eq "wrote 9223372036854775807 to big.dat" "$output"
	run -2 --separate-stderr t "$(prog mmap mmap_write)" big.dat 9223372036854775808
	assert_usage
	run -2 --separate-stderr t "$(prog mmap mipc)" -n 100000001
	assert_usage
	run -2 --separate-stderr t "$(prog mmap queue_producer)" -n 1000000001 </dev/null
	assert_usage
	assert_gone shared.dat
	start_bg producer.log "$(prog mmap queue_producer)" -n 1000000000 q.dat
	wait_for_line producer.log '^enqueued 4$' # taken: it goes on until stopped
	stop_bg "$BG_PID" TERM
	assert_eq 1 "$BG_STATUS" "queue_producer -n 1000000000, stopped"
	assert_gone q.dat
	run -2 --separate-stderr t "$(prog mmap fcntl_queue)" put -i 1000000001 q.dat
	assert_usage
	run -0 --separate-stderr t "$(prog mmap fcntl_queue)" put -n 0 -i 1000000000 q.dat
	assert_match 'producer 1000000000: sent 0 messages' "$stderr"
	# cow_private copies a name list into 128 bytes: 127 characters and the NUL.
	names=PROT_READ$(printf '|PROT_READ%.0s' {1..11})
	names+=$(printf ',%.0s' $(seq $((127 - ${#names}))))
	run -0 --separate-stderr t "$(prog mmap cow_private)" "$names" MAP_PRIVATE
	assert_match $'\nread:    "hello world"\n' "$output"
	run -2 --separate-stderr t "$(prog mmap cow_private)" "$names," MAP_PRIVATE
	assert_usage
}

# Issue 15, item 11: what another process put in a shared file reaches the
# terminal without its control bytes.
@test "mmap_consumer, queue_consumer, fcntl_queue print no control byte from the file raw; car_read refuses such a car" {
	command -v perl >/dev/null || skip "perl is needed to put a control byte into a queue file"
	start_at_keyboard producer.log "$(prog mmap mmap_producer)" m.dat $'Hi\e[2J there\a'
	wait_for_line producer.log '^memory mapped'
	run -0 --separate-stderr t "$(prog mmap mmap_consumer)" m.dat
	assert_eq 'Hi?[2J there?' "$output" "mmap_consumer's line"
	echo >&4
	wait_bg "$BG_PID"
	# A message of the lecture's queue, "2\n" in its slot, becomes ESC under the producer.
	start_bg producer.log "$(prog mmap queue_producer)" -n 6 q.dat
	wait_for_line producer.log '^enqueued 4$'
	wait_asleep "$BG_PID"
	patch_bytes q.dat '\x002\n' '\x00\e\n'
	# and "4\n" fills its 20-byte slot with no NUL: the 20th byte gives way to one
	patch_bytes q.dat '4\n\x00{18}' '4xxxxxxxxxxxxxxxxxx\n'
	start_bg consumer.log "$(prog mmap queue_consumer)" q.dat
	wait_for_line consumer.log '6: 5$'
	assert_eq $'1: 0\n2: 1\n3: ?\n4: 3\n5: 4xxxxxxxxxxxxxxxxxx6: 5' "$(<consumer.log)" \
		"queue_consumer's lines (a slot without its NUL must be cut at 19 bytes)"
	run -0 --separate-stderr t "$(prog mmap fcntl_queue)" put -n 3 -i 1 f.dat
	patch_bytes f.dat 'message 2 from' '\e[2J\a\a\a\a\a from'
	run -0 --separate-stderr t "$(prog mmap fcntl_queue)" get f.dat
	assert_eq $'1 1 message 1 from producer 1\n1 2 ?[2J????? from producer 1\n1 3 message 3 from producer 1' "$output" "fcntl_queue get's lines"
	run -0 --separate-stderr t "$(prog mmap car_write)" car.dat $'Bad\e[2J' Model
	run -1 --separate-stderr t "$(prog mmap car_read)" car.dat
	assert_match 'car.dat holds no car' "$stderr"
	assert_eq "" "$output" "car_read's output"
}

# Issue 16, item 1: each reader takes a file of exactly the size it needs and
# refuses one byte less (a writer's size, and a reader's check, must agree).
@test "file sizes at the limit: mmap_read, car_read, queue_consumer, fcntl_queue take the exact size and refuse one byte less" {
	run -0 --separate-stderr t "$(prog mmap mmap_write)" n.dat 5
	head -c 255 n.dat >short.dat
	run -1 --separate-stderr t "$(prog mmap mmap_read)" short.dat
	assert_match 'short.dat is too short \(255 bytes, need 256\)' "$stderr"
	run -0 --separate-stderr t "$(prog mmap mmap_read)" n.dat
	assert_eq $'value: 5\nwrote back: 10' "$output"
	run -0 --separate-stderr t "$(prog mmap car_write)" car.dat
	size=$(stat -c %s car.dat)
	head -c $((size - 1)) car.dat >short.car
	run -1 --separate-stderr t "$(prog mmap car_read)" short.car
	assert_match 'short.car is too short for a CarFile' "$stderr"
	run -0 --separate-stderr t "$(prog mmap car_read)" car.dat
	# queue_producer sizes its file one byte past the Message (the slide's
	# lseek and write); queue_consumer needs the Message whole.
	start_at_keyboard producer.log "$(prog mmap queue_producer)" -n 0 q.dat
	wait_for_line producer.log '^message queue written'
	size=$(sed -n 's/^message size = //p' producer.log)
	assert_eq $((size + 1)) "$(stat -c %s q.dat)" "queue_producer's file"
	head -c "$size" q.dat >exact.dat
	head -c $((size - 1)) q.dat >short.dat
	echo >&4
	wait_bg "$BG_PID"
	run -1 --separate-stderr t "$(prog mmap queue_consumer)" short.dat
	assert_match 'short.dat holds no queue' "$stderr"
	start_bg exact.log "$(prog mmap queue_consumer)" exact.dat
	wait_asleep "$BG_PID" # taken: it waits for a message
	kill -0 "$BG_PID"
	assert_eq "" "$(<exact.log)" "queue_consumer on a file of the Message's size"
	stop_bg "$BG_PID"
	run -0 --separate-stderr t "$(prog mmap fcntl_queue)" put -n 0 -i 1 f.dat
	size=$(stat -c %s f.dat)
	head -c $((size - 1)) f.dat >short.dat
	run -1 --separate-stderr t "$(prog mmap fcntl_queue)" get short.dat
	assert_match 'short.dat exists and is not a queue file' "$stderr"
	run -0 --separate-stderr t "$(prog mmap fcntl_queue)" get f.dat
	assert_match 'consumer: 0 messages, 1 end markers, file gone' "$stderr"
}
