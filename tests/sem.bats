#!/usr/bin/env bats
# tests/sem.bats -- sem/: System V and POSIX semaphores, through each
# program's command line. Keys are computed here with ftok_key on the test
# directory (every program's default keyfile is "."), from each program's
# documented ftok project id.
load helpers

setup() {
	lab_setup
	SEM_NAMES=()
	PRIVATE_IDS=()
}
# A test that fails half-way must not leave its objects behind: the tests
# assert that each one is gone; this is only the safety net.
teardown() {
	local proj name ids
	exec 4>&- # the FIFO some tests hold open
	lab_teardown
	for proj in $BINARY $UNDO $GAZETTE $SET; do
		ipcrm -S "$(ftok_key . "$proj")" 2>/dev/null || true
	done
	for ids in "${PRIVATE_IDS[@]}"; do # sem_counter's IPC_PRIVATE set and segment
		ipcrm -s "${ids% *}" -m "${ids#* }" 2>/dev/null || true
	done
	for name in "${SEM_NAMES[@]}"; do
		rm -f "/dev/shm/sem.${name#/}" "/dev/shm/${name#/}" # glibc's, musl's
	done
}

# sem_name -- a unique POSIX semaphore name, remembered for the safety net.
sem_name() {
	name=$(unique_name sem)
	SEM_NAMES+=("$name")
}

# ftok project ids, as sem/*.c document them.
BINARY=66  # 'B': binary_sem
UNDO=85    # 'U': sem_undo
GAZETTE=71 # 'G': semaphore
SET=83     # 'S': sem_set

# Run a program as user nobody (the tests run as root in CI): t "${NOBODY[@]}" prog ...
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# start_semaphore [ARGS] -- semaphore in the background reading a FIFO that
# this shell holds open on fd 4 (so it waits for input, as on a keyboard),
# ready when it says so. Sets pid.
start_semaphore() {
	mkfifo in.fifo
	exec 4<>in.fifo
	start_bg sem.log bash -c 'exec "$0" "$@" <in.fifo' "$(prog sem semaphore)" "$@"
	pid=$BG_PID
	wait_for_line sem.log "ready: 2 children share standard input"
}

@test "binary_sem: ALP's functions as a lock, and a hand-over whose SEM_UNDO post is undone" {
	key=$(ftok_key . $BINARY)
	run -0 --separate-stderr t "$(prog sem binary_sem)"
	assert_match "^binary_semaphore_allocation: set [0-9]+ \(key $key\)" "$output"
	# initialize, wait, post; hand-over: wait, the child's post, its exit;
	# initialize; hand-over without SEM_UNDO: wait, post, exit.
	assert_eq "$(printf '%s\n' 1 0 1 0 1 0 1 0 1 1)" \
		"$(sed -n 's/.*: value \([0-9]*\)$/\1/p' <<<"$output")" "the values, step by step"
	assert_match $'binary_semaphore_post \\(SEM_UNDO\\): value 1\nafter the child\'s exit: value 0' "$output"
	assert_match $'hand_over \\(no SEM_UNDO\\): value 1\nafter the child\'s exit: value 1' "$output"
	assert_match "binary_semaphore_deallocate: set [0-9]+ removed" "$output"
	assert_eq "" "$stderr" "stderr"
	assert_no_sysv "$key"
}

@test "binary_sem: bad arguments get usage; a missing key file is an error" {
	run -2 --separate-stderr t "$(prog sem binary_sem)" extra
	assert_usage
	run -2 --separate-stderr t "$(prog sem binary_sem)" -x
	assert_usage
	run -1 --separate-stderr t "$(prog sem binary_sem)" -k no-such-file
	assert_match "ftok no-such-file: No such file or directory" "$stderr"
	assert_no_sysv "$(ftok_key . $BINARY)"
}

# assert_no_semid ID -- the System V semaphore set with this id is gone (for
# the IPC_PRIVATE sets, which have no key to look for).
assert_no_semid() {
	if ipcs -s | awk -v id="$1" '$2 == id { found = 1 } END { exit !found }'; then
		echo "semaphore set $1 was left behind: IPC_RMID missing?" >&2
		return 1
	fi
}

# assert_no_shmid ID -- the shared memory segment with this id is gone.
assert_no_shmid() {
	if ipcs -m | awk -v id="$1" '$2 == id { found = 1 } END { exit !found }'; then
		echo "segment $1 was left behind: shmctl(IPC_RMID) missing?" >&2
		return 1
	fi
}

# counter_ids TEXT -- SEMID and SHMID from sem_counter's first line, also
# remembered for teardown, which removes them should a test fail before the
# program does.
counter_ids() {
	local line=${1%%$'\n'*}
	[[ $line =~ ^semaphore\ set\ ([0-9]+)\ holds\ 1\;\ segment\ ([0-9]+): ]] || return 0
	SEMID=${BASH_REMATCH[1]} SHMID=${BASH_REMATCH[2]}
	PRIVATE_IDS+=("$SEMID $SHMID")
}

# assert_counter_ends_clean OUTPUT -- sem_counter's set and segment are gone.
assert_counter_ends_clean() {
	counter_ids "$1"
	assert_match "removed semaphore set $SEMID" "$1" || return 1
	assert_no_semid "$SEMID" && assert_no_shmid "$SHMID"
}

@test "sem_counter: with the semaphore no update is lost, however the window is widened (-y)" {
	run -0 --separate-stderr t "$(prog sem sem_counter)" -y -n 1000
	assert_match "^semaphore set [0-9]+ holds 1; segment [0-9]+: 4 processes x 1000 increments, each under the semaphore" "$output"
	assert_match "counter = $((4 * 1000)), expected $((4 * 1000)): no update lost" "$output" \
		"the count: a worker that loads and stores outside the semaphore loses updates"
	assert_eq "" "$stderr" "stderr"
	assert_counter_ends_clean "$output"
}

@test "sem_counter: the lowest and highest counts are accepted" {
	run -0 --separate-stderr t "$(prog sem sem_counter)" -n 1
	assert_match "counter = 4, expected 4: no update lost" "$output"
	assert_counter_ends_clean "$output"
	# 100000000 locked would take minutes: accepted means started, then stopped.
	start_bg counter.log "$(prog sem sem_counter)" -u -n 100000000
	wait_until '[[ -s counter.log ]]'
	assert_match "processes x 100000000 increments" "$(cat counter.log)" "-n 100000000"
	stop_bg "$BG_PID"
	assert_counter_ends_clean "$(cat counter.log)"
}

# A race test must be able to lose: unlocked, with the window widened, updates
# are lost, or the test says it could not show the race. -n 1000 already loses
# most of them, and stays short when three test runs share 2 CPUs (-n 5000 then
# took more than 10 s, locked or not).
@test "sem_counter -u -y: without the semaphore updates are lost" {
	run -0 --separate-stderr t "$(prog sem sem_counter)" -u -y -n 1000
	line=$(grep '^counter = ' <<<"$output")
	assert_match "^counter = [0-9]+, expected $((4 * 1000)): " "$line"
	assert_counter_ends_clean "$output"
	counter=$(awk '{ print $3 }' <<<"${line//,/}")
	((counter < 4 * 1000)) || skip "no update was lost this time: the race could not be shown"
	assert_match "updates were lost" "$line"
}

@test "sem_counter -u: even without -y, the long default run loses updates" {
	run -0 --separate-stderr t "$(prog sem sem_counter)" -u
	line=$(grep '^counter = ' <<<"$output")
	assert_match "^counter = [0-9]+, expected $((4 * 10000000)): " "$line"
	echo "# sem_counter -u: $line" >&3
	assert_counter_ends_clean "$output"
	counter=$(awk '{ print $3 }' <<<"${line//,/}")
	((counter < 4 * 10000000)) || skip "no update was lost this time: the race could not be shown"
}

# assert_group_gone PID -- no process of the group PID led (start_bg's setsid)
# is left: the parent waited for every worker before it ended.
assert_group_gone() {
	if kill -0 -- "-$1" 2>/dev/null; then
		echo "a worker outlived the parent: it did not wait for them" >&2
		ps -o pid,stat,args -g "$1" >&2
		return 1
	fi
}

@test "sem_counter: SIGTERM to the parent alone stops the workers and removes the set" {
	start_bg counter.log "$(prog sem sem_counter)" -n 100000000
	pid=$BG_PID
	wait_for_line counter.log "processes x"
	counter_ids "$(cat counter.log)"
	wait_asleep "$pid"
	kill -TERM "$pid" # to the parent alone: it must stop its workers itself
	wait_until "! kill -0 $pid 2>/dev/null" || {
		echo "the parent did not end: its workers did not stop" >&2
		return 1
	}
	assert_group_gone "$pid"
	wait_bg "$pid"
	assert_eq 143 "$BG_STATUS" "status after SIGTERM"
	assert_counter_ends_clean "$(cat counter.log)"
	assert_match "sem_counter: interrupted" "$(cat counter.log)"
}

@test "sem_counter: Ctrl-C (SIGINT to the whole group) ends everyone quietly" {
	start_bg counter.log "$(prog sem sem_counter)" -n 100000000
	pid=$BG_PID
	wait_for_line counter.log "processes x"
	counter_ids "$(cat counter.log)"
	wait_asleep "$pid"
	stop_bg "$pid" INT
	assert_eq 130 "$BG_STATUS" "status after SIGINT"
	assert_counter_ends_clean "$(cat counter.log)"
	assert_eq "sem_counter: interrupted" "$(grep -v -e '^semaphore set' -e '^removed' counter.log)" \
		"other lines: a worker's semop interrupted by the parent's handler?"
}

# Its first line comes just before the forks: a signal sent then lands while
# workers are being made.
@test "sem_counter: SIGTERM right after its first line, while workers start, still stops them" {
	start_bg counter.log "$(prog sem sem_counter)" -n 100000000
	pid=$BG_PID
	wait_for_line counter.log "processes x"
	counter_ids "$(cat counter.log)"
	kill -TERM "$pid" # to the parent alone, not yet asleep
	wait_bg "$pid"
	assert_eq 143 "$BG_STATUS" "status after SIGTERM"
	assert_match "sem_counter: interrupted" "$(cat counter.log)"
	assert_counter_ends_clean "$(cat counter.log)"
}

@test "sem_counter: bad arguments get usage" {
	for args in "-n 0" "-n x" "-n 100000001" "-n -1" "-n 1x" "extra" "-x" "-n"; do
		run -2 --separate-stderr t "$(prog sem sem_counter)" $args
		assert_usage || {
			echo "sem_counter $args" >&2
			return 1
		}
	done
}

@test "sem_undo: the value comes back when the holder is killed" {
	run -0 --separate-stderr t "$(prog sem sem_undo)"
	assert_eq "$(printf '%s\n' 'value at the start: 1' 'value while the child holds it: 0' \
		'value after its death (SEM_UNDO gave it back): 1')" "$(grep '^value' <<<"$output")"
	assert_match "took it with SEM_UNDO" "$output"
	assert_match "IPC_NOWAIT: EAGAIN" "$output"
	assert_match "child killed by signal 9 while holding it" "$output"
	assert_no_sysv "$(ftok_key . $UNDO)"
}

@test "sem_undo -n: without SEM_UNDO the value stays taken" {
	run -0 --separate-stderr t "$(prog sem sem_undo)" -n
	assert_match "took it without SEM_UNDO" "$output"
	assert_match "value after its death \(no SEM_UNDO: still taken\): 0" "$output"
	assert_match "value after semctl SETVAL: 1" "$output"
	assert_no_sysv "$(ftok_key . $UNDO)"
}

@test "sem_undo: bad arguments get usage; a missing key file is an error" {
	run -2 --separate-stderr t "$(prog sem sem_undo)" -x
	assert_usage
	run -2 --separate-stderr t "$(prog sem sem_undo)" extra
	assert_usage
	run -1 --separate-stderr t "$(prog sem sem_undo)" -k no-such-file
	assert_match "ftok no-such-file: No such file or directory" "$stderr"
	assert_no_sysv "$(ftok_key . $UNDO)"
}

@test "semaphore: the two children read every line whole, in order, from stdin" {
	key=$(ftok_key . $GAZETTE)
	{ for i in $(seq 1 30); do echo "line $i: some words"; done
		echo ""; echo "7"; echo "12"; printf 'last, no newline'; } >in.txt
	run -0 --separate-stderr t "$(prog sem semaphore)" <in.txt
	assert_match "^semaphore set [0-9]+ \(key $key\) holds 1, ready" "$output"
	reads=$(sed -e '1d' -e '$d' <<<"$output")
	assert_eq "" "$(grep -v -e '^child [12] read: ' -e '^child [12]: a digit' <<<"$reads")" \
		"lines not from a child"
	assert_eq "$(cat in.txt)" "$(grep -v 'a digit' <<<"$reads" | sed 's/^child [12] read: //')"
	# LG's digit check: a lone digit, and only that, asks for Ctrl-C, from the child that read it.
	assert_eq "1" "$(grep -c 'a digit: press Ctrl-C' <<<"$reads")" "digit prompts"
	assert_match $'child ([12]) read: 7\nchild \\1: a digit: press Ctrl-C to end' "$reads"
	assert_match "removed semaphore set [0-9]+\$" "$output"
	assert_eq "" "$stderr" "stderr"
	assert_no_sysv "$key"
}

# sem_state ID -- "value ncount" of semaphore 0 of set ID, as ipcs shows them:
# the value, and how many processes sleep in semop waiting for it to rise.
sem_state() {
	ipcs -s -i "$1" 2>/dev/null | awk '$1 == "0" && NF == 5 { print $2, $3 }'
}

# start_semaphore_v VALUE -- semaphore -v VALUE reading a FIFO this shell holds
# open (no input yet); sets pid and id (the set's id from its first line).
start_semaphore_v() {
	start_semaphore -v "$1"
	id=$(awk 'NR == 1 { print $3 }' sem.log)
}

@test "semaphore -v: 1 lets one child in, 2 both at once, 0 nobody (ipcs shows who waits)" {
	key=$(ftok_key . $GAZETTE)
	start_semaphore_v 1 # one child holds the lock in its read, the other waits in semop
	wait_until '[[ $(sem_state $id) == "0 1" ]]'
	stop_bg "$pid"
	exec 4>&-
	rm in.fifo

	start_semaphore_v 2 # both inside, reading; nobody waits
	wait_until '[[ $(sem_state $id) == "0 0" ]]'
	assert_match "holds 2, ready" "$(cat sem.log)"
	stop_bg "$pid"
	exec 4>&-
	rm in.fifo

	start_semaphore_v 0 # both wait for a value that never comes, input or not
	echo "nobody reads this" >&4
	wait_until '[[ $(sem_state $id) == "0 2" ]]'
	stop_bg "$pid"
	assert_eq "" "$(grep 'read:' sem.log)" "lines read with -v 0"
	assert_match "removed semaphore set $id" "$(cat sem.log)"
	assert_no_sysv "$key"
}

# Two lines that arrive in one write: the child with the lock must read only
# its own line, or the other child, next in turn, waits for a line that sits
# in the first child's stdio buffer (stdin must be unbuffered, or read(2)).
@test "semaphore: two lines typed at once go to both children, in turn" {
	start_semaphore
	printf 'first\nsecond\n' >&4
	wait_for_line sem.log "read: second"
	assert_match $'child ([12]) read: first\nchild [12] read: second' "$(cat sem.log)"
	stop_bg "$pid"
	assert_no_sysv "$(ftok_key . $GAZETTE)"
}

@test "semaphore -s: a child sleeps 1 s after its turn, as in the lecture" {
	start=$(date +%s%N)
	run -0 --separate-stderr t "$(prog sem semaphore)" -s <<<"only line"
	elapsed_ms=$((($(date +%s%N) - start) / 1000000))
	assert_match "child [12] read: only line" "$output"
	# The child that read the line sleeps before it looks for the next one.
	((elapsed_ms >= 1000)) || { echo "ended after ${elapsed_ms} ms, before the 1 s sleep" >&2; false; }
	assert_no_sysv "$(ftok_key . $GAZETTE)"
}

@test "semaphore: SIGTERM and SIGINT remove the set" {
	key=$(ftok_key . $GAZETTE)
	start_semaphore
	sysv_exists "$key"
	echo "hello" >&4
	wait_for_line sem.log "child [12] read: hello"
	stop_bg "$pid" TERM # to the whole process group, as tests do
	assert_match "removed semaphore set" "$(cat sem.log)"
	assert_eq 143 "$BG_STATUS" "status after SIGTERM"
	assert_no_sysv "$key"
	exec 4>&-
	rm in.fifo

	start_semaphore
	wait_asleep "$pid"
	kill -INT "$pid" # to the parent alone: it must stop its children itself
	wait_bg "$pid"
	assert_eq 130 "$BG_STATUS" "status after SIGINT"
	assert_match "removed semaphore set" "$(cat sem.log)"
	assert_no_sysv "$key"
}

# The readiness line comes just before the forks: a signal sent then lands
# while the children are being made, some still running the parent's handler.
@test "semaphore: SIGTERM right after the readiness line, while children start, still stops them" {
	key=$(ftok_key . $GAZETTE)
	start_semaphore
	kill -TERM "$pid" # to the parent alone, not yet asleep
	wait_bg "$pid"
	assert_eq 143 "$BG_STATUS" "status after SIGTERM"
	assert_match "removed semaphore set" "$(cat sem.log)"
	assert_no_sysv "$key"
}

@test "semaphore: after a SIGKILL the next run finds the old set, uses it and removes it" {
	key=$(ftok_key . $GAZETTE)
	start_semaphore -v 0 # the value a fresh SETVAL must replace
	stop_bg "$pid" KILL
	sysv_exists "$key" # SIGKILL cannot be caught: the set stays
	run -0 --separate-stderr t "$(prog sem semaphore)" <<<"again"
	assert_match "holds 1, ready" "$output"
	assert_match "child [12] read: again" "$output"
	assert_no_sysv "$key"
}

@test "semaphore: bad arguments get usage; a missing key file is an error" {
	run -2 --separate-stderr t "$(prog sem semaphore)" extra
	assert_usage
	for v in 3 -1 1x 10 ""; do # 0 and 2, the ends of the range, work: "semaphore -v: ..."
		run -2 --separate-stderr t "$(prog sem semaphore)" -v "$v" </dev/null
		assert_usage || {
			echo "semaphore -v '$v' was accepted" >&2
			return 1
		}
	done
	run -1 --separate-stderr t "$(prog sem semaphore)" -k no-such-file </dev/null
	assert_match "ftok no-such-file: No such file or directory" "$stderr"
	assert_no_sysv "$(ftok_key . $GAZETTE)"
}

# forks_held_whole OUTPUT -- "ok" if, reading sem_set's lines in order, no
# philosopher eats with a fork another one holds (eats .. puts down), and every
# meal ends; else what went wrong, once.
forks_held_whole() {
	awk '/^philosopher [0-9]+ eats with forks/ {
		if (($6 in holder) || ($8 in holder)) { print "philosopher " $2 " eats with fork " (($6 in holder) ? $6 : $8) " that philosopher " holder[($6 in holder) ? $6 : $8] " holds"; bad = 1; exit }
		holder[$6] = $2; holder[$8] = $2 }
	/^philosopher [0-9]+ puts down forks/ { delete holder[$6]; delete holder[$8] }
	END { if (!bad) { n = 0; for (f in holder) n++; print n ? "a meal never ended" : "ok" } }' <<<"$1"
}

# assert_dinner OUTPUT P M -- P philosophers each ate M meals, every one with
# both forks, and the set is gone.
assert_dinner() {
	local key
	key=$(ftok_key . $SET)
	assert_match "^$2 philosophers x $3 meals: a set of $(($2 + 2)) semaphores, key $key" "$1" || return 1
	assert_eq $(($2 * $3)) "$(grep -c '^philosopher [0-9]* eats with forks' <<<"$1")" "meals eaten" || return 1
	assert_eq ok "$(forks_held_whole "$1")" "forks: each meal needs both, taken by one semop" || return 1
	assert_match "removed semaphore set [0-9]+" "$1" && assert_no_sysv "$key"
}

@test "sem_set: all open one set by key at once: one creates and sets it, the others wait for sem_otime" {
	run -0 --separate-stderr t "$(prog sem sem_set)"
	assert_dinner "$output" 5 3
	# Stevens' handshake: exactly one creates and sets, the others wait for it.
	assert_eq 1 "$(grep -c '^philosopher [0-4] created set [0-9]* and set it with one semop' <<<"$output")" "creators"
	assert_eq 4 "$(grep -c '^philosopher [0-4] waited for sem_otime, then joined' <<<"$output")" "philosophers who joined"
	assert_match "parent waited for sem_otime, then joined set" "$output"
	# The barrier (a wait for zero): nobody eats before all five sat down.
	assert_eq 5 "$(sed -n '/ eats with forks/q; /^philosopher [0-4] .* set [0-9]*/p' <<<"$output" | wc -l)" \
		"philosophers seated before the first meal: no barrier (sem_op 0)?"
	# All or nothing: fork 1 taken, a semop for forks 0 and 1 fails and leaves fork 0 alone.
	assert_match "parent holds fork 1; one semop for forks 0 and 1 with IPC_NOWAIT: EAGAIN" "$output"
	assert_match "forks 0 and 1 now: 1 0 " "$output" "fork 0 after the failed semop"
	assert_eq "" "$stderr" "stderr"
}

# Two philosophers who take their forks one at a time deadlock within a few
# hundred meals here; one semop for both never does.
@test "sem_set: 2 philosophers x 200 meals: one semop takes both forks, no deadlock, no shared fork" {
	run -0 --separate-stderr t "$(prog sem sem_set)" -p 2 -m 200
	assert_eq "" "$(grep deadlock <<<"$output")" "a deadlock: were the forks taken one semop each?"
	assert_dinner "$output" 2 200
	assert_eq "" "$stderr" "stderr"
}

@test "sem_set: 16 philosophers eat side by side, never with a neighbour's fork" {
	run -0 --separate-stderr t "$(prog sem sem_set)" -p 16 -m 10
	assert_dinner "$output" 16 10
	assert_eq 15 "$(grep -c '^philosopher [0-9]* waited for sem_otime, then joined' <<<"$output")" "philosophers who joined"
}

@test "sem_set -n: forks one at a time deadlock; semtimedop notices, the philosophers end, the set goes" {
	key=$(ftok_key . $SET)
	run --separate-stderr t "$(prog sem sem_set)" -n -m 20
	((status != 0)) || skip "all 100 meals were eaten without a deadlock this time: it could not be shown"
	assert_eq 1 "$status" "status after the deadlock"
	assert_match "has fork [0-9]+, reaches for fork" "$output"
	assert_match $'\ndeadlock: no meal for 1 s, [0-9]+ left, every fork taken\n' "$output"
	assert_match "removed semaphore set [0-9]+" "$output"
	assert_eq "" "$stderr" "stderr"
	assert_no_sysv "$key"
}

@test "sem_set: SIGTERM to the parent while they eat ends them all and removes the set" {
	key=$(ftok_key . $SET)
	start_bg set.log "$(prog sem sem_set)" -p 5 -m 6000
	pid=$BG_PID
	wait_for_line set.log "eats with forks"
	kill -TERM "$pid" # to the parent alone: it must end the philosophers
	wait_until "! kill -0 $pid 2>/dev/null" || {
		echo "the parent did not end within its time limit after SIGTERM" >&2
		return 1
	}
	assert_group_gone "$pid"
	wait_bg "$pid"
	assert_eq 143 "$BG_STATUS" "status after SIGTERM"
	assert_match "removed semaphore set" "$(cat set.log)"
	assert_no_sysv "$key"
}

@test "sem_set: after a SIGKILL the next run removes the set left behind" {
	key=$(ftok_key . $SET)
	start_bg set.log "$(prog sem sem_set)" -p 5 -m 6000
	wait_for_line set.log "eats with forks"
	stop_bg "$BG_PID" KILL
	sysv_exists "$key" # SIGKILL cannot be caught: the set stays
	run -0 --separate-stderr t "$(prog sem sem_set)" -p 2 -m 1
	assert_match "sem_set: removed semaphore set [0-9]+ left by an earlier run" "$stderr"
	assert_dinner "$output" 2 1
}

@test "sem_set: a reader that goes away does not leave the set behind" {
	key=$(ftok_key . $SET)
	run -0 t bash -c '"$0" -p 5 -m 20 | head -n 1' "$(prog sem sem_set)"
	assert_match "^5 philosophers x 20 meals" "$output"
	assert_no_sysv "$key"
}

@test "sem_set: limits: 2 to 16 philosophers, at most 32767 meals in all (a semaphore's largest value)" {
	local args
	for args in "-p 1" "-p 17" "-p 0" "-m 0" "-p 2 -m 16384" "-p 7 -m 4682" "-p 16 -m 2048" "-p x" "-m 1x"; do
		run -2 --separate-stderr t "$(prog sem sem_set)" $args
		assert_usage || {
			echo "sem_set $args was accepted" >&2
			return 1
		}
	done
	for args in "-p 7 -m 4681" "-p 16 -m 2047" "-p 2 -m 16383"; do # 32767, 32752, 32766
		start_bg set.log "$(prog sem sem_set)" $args
		wait_until '[[ -s set.log ]]'
		assert_match "x ${args##* } meals: a set of" "$(cat set.log)" "sem_set $args" || return 1
		stop_bg "$BG_PID"
		assert_no_sysv "$(ftok_key . $SET)"
	done
}

@test "sem_set: bad arguments get usage; a missing key file is an error" {
	run -2 --separate-stderr t "$(prog sem sem_set)" extra
	assert_usage
	run -2 --separate-stderr t "$(prog sem sem_set)" -x
	assert_usage
	run -1 --separate-stderr t "$(prog sem sem_set)" -k no-such-file
	assert_match "ftok no-such-file: No such file or directory" "$stderr"
	assert_no_sysv "$(ftok_key . $SET)"
}

@test "posix_sem: a waiter is woken by a poster, an unrelated process" {
	sem_name
	start_bg wait.log "$(prog sem posix_sem)" -n 2 wait "$name"
	pid=$BG_PID
	wait_for_line wait.log "created $name with value 0; waiting for 2 post"
	sem_file "$name" >/dev/null # the name exists
	run -0 --separate-stderr t "$(prog sem posix_sem)" post "$name"
	wait_for_line wait.log "woken \(1 of 2\)"
	run -0 --separate-stderr t "$(prog sem posix_sem)" post "$name"
	wait_bg "$pid"
	assert_eq 0 "$BG_STATUS" "the waiter's status"
	assert_match "woken \(2 of 2\).*removed $name" "$(tr '\n' ' ' <wait.log)"
	assert_posix_gone "$name"
}

# Issue 15 item 7: the second waiter took the name over (unlinked and made it
# again), so the first waited on a semaphore no poster could reach.
@test "posix_sem: a second waiter leaves a waiting one's name alone" {
	sem_name
	start_bg wait.log "$(prog sem posix_sem)" wait "$name"
	pid=$BG_PID
	wait_for_line wait.log "waiting for 1 post"
	LAB_TIMEOUT=3 run -1 --separate-stderr t "$(prog sem posix_sem)" wait "$name"
	assert_match "$name already exists" "$stderr" "the second waiter's error"
	assert_eq "" "$output" "the second waiter's stdout"
	run -0 --separate-stderr t "$(prog sem posix_sem)" post "$name"
	wait_for_line wait.log "woken \(1 of 1\)" 3 || {
		echo "the first waiter was not woken: the second took the name over" >&2
		return 1
	}
	wait_bg "$pid"
	assert_eq 0 "$BG_STATUS" "the first waiter's status"
	assert_posix_gone "$name"
}

@test "posix_sem: SIGTERM removes the name; after SIGKILL the name stays until unlink" {
	sem_name
	start_bg wait.log "$(prog sem posix_sem)" wait "$name"
	wait_for_line wait.log "waiting for 1 post"
	stop_bg "$BG_PID" TERM
	assert_eq 1 "$BG_STATUS" "status after SIGTERM"
	assert_match "interrupted after 0 of 1 post" "$(cat wait.log)"
	assert_match "removed $name" "$(cat wait.log)"
	assert_posix_gone "$name"

	start_bg wait.log "$(prog sem posix_sem)" wait "$name"
	wait_for_line wait.log "waiting for 1 post"
	stop_bg "$BG_PID" KILL
	sem_file "$name" >/dev/null # SIGKILL cannot be caught: the name stays
	run -1 --separate-stderr t "$(prog sem posix_sem)" wait "$name"
	assert_match "$name already exists.*posix_sem unlink $name" "$stderr" "the next waiter's error"
	run -0 --separate-stderr t "$(prog sem posix_sem)" unlink "$name"
	assert_eq "posix_sem: removed $name" "$output"
	assert_posix_gone "$name"
	run -1 --separate-stderr t "$(prog sem posix_sem)" unlink "$name"
	assert_match "sem_unlink $name" "$stderr" "unlink of a name that is gone"
	start_bg wait.log "$(prog sem posix_sem)" wait "$name"
	pid=$BG_PID
	wait_for_line wait.log "waiting for 1 post"
	run -0 --separate-stderr t "$(prog sem posix_sem)" post "$name"
	wait_bg "$pid"
	assert_eq 0 "$BG_STATUS" "the new waiter's status"
	assert_posix_gone "$name"
}

@test "posix_sem: SIGTERM right after the readiness line, before or in sem_wait, still cleans up" {
	sem_name
	start_bg wait.log "$(prog sem posix_sem)" wait "$name"
	pid=$BG_PID
	wait_for_line wait.log "waiting for 1 post"
	kill -TERM "$pid" # its handler posts: sem_wait returns even if not yet begun
	wait_bg "$pid"
	assert_eq 1 "$BG_STATUS" "status after SIGTERM"
	assert_match "interrupted after 0 of 1 post" "$(cat wait.log)"
	assert_posix_gone "$name"
}

@test "posix_sem: posting to an absent name, or to another user's, is an error" {
	sem_name
	run -1 --separate-stderr t "$(prog sem posix_sem)" post "$name"
	assert_match "semaphore $name does not exist" "$stderr"
	assert_posix_gone "$name"
	start_bg wait.log "$(prog sem posix_sem)" wait "$name"
	pid=$BG_PID
	wait_for_line wait.log "waiting for 1 post"
	run -1 --separate-stderr t "${NOBODY[@]}" "$(prog sem posix_sem)" post "$name"
	assert_match "sem_open $name: Permission denied" "$stderr"
	run -0 --separate-stderr t "$(prog sem posix_sem)" post "$name"
	wait_bg "$pid"
	assert_posix_gone "$name"
}

@test "posix_sem: bad arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog sem posix_sem)" jump /lab-x
	assert_usage
	run -2 --separate-stderr t "$(prog sem posix_sem)" wait no-slash
	assert_usage
	run -2 --separate-stderr t "$(prog sem posix_sem)" -n 0 post /lab-x
	assert_usage
	run -2 --separate-stderr t "$(prog sem posix_sem)" -n 1000001 post /lab-x
	assert_usage
	run -2 --separate-stderr t "$(prog sem posix_sem)" -n 2 unlink /lab-x
	assert_usage
	run -2 --separate-stderr t "$(prog sem posix_sem)" post
	assert_usage
}

@test "posix_sem: the largest count, 1000000 posts, is accepted" {
	sem_name
	start_bg wait.log "$(prog sem posix_sem)" wait "$name"
	pid=$BG_PID
	wait_for_line wait.log "waiting for 1 post"
	run -0 --separate-stderr t "$(prog sem posix_sem)" -n 1000000 post "$name"
	assert_eq "posix_sem: posted $name 1000000 time(s)" "$output"
	wait_bg "$pid"
	assert_eq 0 "$BG_STATUS" "the waiter's status"
	assert_posix_gone "$name"
}

@test "every sem program: -h and --help print usage and exit 2, never taken as a name" {
	local p a path
	mkdir scratch && cd scratch
	for p in semaphore binary_sem sem_undo sem_counter sem_set posix_sem; do
		path=$(prog sem "$p")
		for a in -h --help; do
			quick_run -2 "$path" "$a" </dev/null
			assert_usage || {
				echo "$p $a" >&2
				return 1
			}
		done
	done
	run -2 --separate-stderr t "$(prog sem posix_sem)" wait --help
	assert_usage
	assert_eq "" "$(ls -A)" "files made in the test directory"
	assert_eq "" "$(ls /dev/shm | grep -E '^(sem\.)?(-h|--help)$')" "POSIX names made"
}

# A reader that goes away (| head -1): a write then fails (SIGPIPE or EPIPE),
# and the program must still remove what it made.
@test "every sem program: a reader that goes away leaves no set, segment or name behind" {
	local p
	for p in binary_sem sem_undo "sem_undo -n"; do
		run t bash -c '$0 | head -n 1' "$(prog sem ${p%% *}) ${p#* }"
		assert_no_sysv "$(ftok_key . $BINARY)" && assert_no_sysv "$(ftok_key . $UNDO)" || {
			echo "$p | head -n 1" >&2
			return 1
		}
	done
	run t bash -c 'seq 100 | "$0" | head -n 1' "$(prog sem semaphore)"
	assert_no_sysv "$(ftok_key . $GAZETTE)"
	run t bash -c '"$0" -n 10 | head -n 1' "$(prog sem sem_counter)"
	counter_ids "$output"
	assert_no_semid "$SEMID" && assert_no_shmid "$SHMID"
	sem_name
	start_bg wait.log bash -c '"$0" -n 2 wait "$1" | head -n 1' "$(prog sem posix_sem)" "$name"
	pid=$BG_PID
	wait_for_line wait.log "waiting for 2 post"
	run -0 t "$(prog sem posix_sem)" -n 2 post "$name"
	wait_bg "$pid"
	assert_posix_gone "$name"
}
