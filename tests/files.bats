#!/usr/bin/env bats
# tests/files.bats -- files/: lock files and spool folders, through each
# program's command line.
load helpers

setup() { lab_setup; }
teardown() { lab_teardown; }

# refuses_with_usage DIR PROG ARGS... -- PROG ARGS... exits 2 with a usage line
# on stderr and nothing on stdout (run directly, not through `run`: many of
# these in one test must stay fast).
refuses_with_usage() {
	local dir=$1 p=$2
	shift 2
	quick_run -2 "$(prog "$dir" "$p")" "$@" &&
		assert_match '(^|'$'\n'')usage: ' "$stderr" "stderr of $p $*" &&
		assert_eq "" "$output" "stdout of $p $*"
}

# count_lines REGEX FILE... -- how many lines of the files match.
count_lines() {
	local re=$1
	shift
	cat "$@" | grep -cE -- "$re" || true
}

# jobs_in DIR -- the job files under DIR (recursively), one name a line.
jobs_in() {
	find "$1" -type f -printf '%f\n' | sort
}

# submit TEXT... -- one job each into the spool folder q, in this order.
submit() {
	local text
	for text in "$@"; do
		t "$(prog files spool_submit)" q "$text" >/dev/null
	done
}

# start_slow_job PROG -- start PROG (spool_run or spool_workers) on q with
# 30 s of pretend work, in the background (log: log), and wait until it is
# on its first job; JOB is that job's name.
start_slow_job() {
	start_bg log "$(prog files "$1")" -w 30000 q
	wait_for_line log '^working on '
	JOB=$(sed -n 's/^working on //p' log)
}

@test "lockfile: a second instance is refused, naming the holder; SIGTERM releases the lock" {
	start_bg log "$(prog files lockfile)" L
	local pid=$BG_PID
	wait_for_line log "^lockfile: pid $pid holds L\$"
	assert_eq "$pid" "$(cat L)" "pid in the lock file"
	run -1 --separate-stderr t "$(prog files lockfile)" L
	assert_eq "lockfile: L is held by pid $pid: try again later" "$stderr"
	assert_eq "" "$output"
	assert_eq "$pid" "$(cat L)" "the holder's lock, untouched"
	stop_bg "$pid"
	assert_eq 0 "$BG_STATUS" "exit status"
	assert_eq "lockfile: pid $pid released L" "$(sed 1d log)"
	assert_gone L
}

@test "lockfile: SIGINT also releases the lock" {
	start_bg log "$(prog files lockfile)" L
	wait_for_line log 'holds L'
	stop_bg "$BG_PID" INT
	assert_eq 0 "$BG_STATUS" "exit status"
	assert_match "released L" "$(cat log)"
	assert_gone L
}

# Sent at once, the signal may come before sigwait() has begun: blocked, it
# waits there, pending, and is not missed.
@test "lockfile: SIGTERM right after the readiness line still releases the lock" {
	start_bg log "$(prog files lockfile)" L
	wait_for_line log 'holds L'
	kill -TERM "$BG_PID"
	wait_bg "$BG_PID"
	assert_eq 0 "$BG_STATUS" "exit status"
	assert_match "released L" "$(cat log)"
	assert_gone L
}

@test "lockfile: of several started at once, exactly one holds the lock" {
	local i pids=()
	for i in 1 2 3 4 5; do
		start_bg "log.$i" "$(prog files lockfile)" L
		pids+=("$BG_PID")
	done
	wait_until "(( \$(count_lines 'holds L|held by' log.*) == 5 ))"
	assert_eq 1 "$(count_lines 'holds L' log.*)" "holders"
	assert_eq 4 "$(count_lines 'L is held by pid' log.*)" "refused"
	local holder
	holder=$(sed -n 's/^lockfile: pid \([0-9]*\) holds L$/\1/p' log.*)
	assert_eq "$holder" "$(cat L)" "pid in the lock"
	for i in "${pids[@]}"; do stop_bg "$i"; done
	assert_gone L
}

@test "lockfile: a holder killed with SIGKILL leaves its lock; the next is refused, told the holder is gone" {
	start_bg log "$(prog files lockfile)" L
	local dead=$BG_PID
	wait_for_line log 'holds L'
	stop_bg "$dead" KILL
	assert_eq 137 "$BG_STATUS" "killed"
	run -1 --separate-stderr t "$(prog files lockfile)" L
	assert_eq "lockfile: L is held by pid $dead, which is gone: a stale lock" "$stderr"
	assert_eq "$dead" "$(cat L)" "the dead holder's lock, still there"
	rm L
}

@test "lockfile: a file that holds no pid, or a lock in a missing folder, is an error" {
	echo "not a pid" >L
	run -1 --separate-stderr t "$(prog files lockfile)" L
	assert_eq "lockfile: L does not hold a pid: not a lock of this program?" "$stderr"
	assert_eq "not a pid" "$(cat L)"
	run -1 --separate-stderr t "$(prog files lockfile)" no/such/L
	assert_eq "lockfile: open no/such/L: No such file or directory" "$stderr"
}

@test "lockfile: bad arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog files lockfile)"
	assert_usage
	run -2 --separate-stderr t "$(prog files lockfile)" L M
	assert_usage
	run -2 --separate-stderr t "$(prog files lockfile)" -t 0 L
	assert_usage
	assert_gone L M
}

@test "stale_lock: a live holder's lock is refused, naming the holder" {
	start_bg log "$(prog files lockfile)" L
	local pid=$BG_PID
	wait_for_line log 'holds L'
	run -1 --separate-stderr t "$(prog files stale_lock)" -t 0 L
	assert_eq "stale_lock: L is held by pid $pid: try again later" "$stderr"
	assert_eq "$pid" "$(cat L)" "the holder's lock, untouched"
}

@test "stale_lock: a lock left by a SIGKILLed holder is stale and taken over" {
	start_bg log "$(prog files lockfile)" L
	local dead=$BG_PID
	wait_for_line log 'holds L'
	stop_bg "$dead" KILL
	assert_eq "$dead" "$(cat L)" "the dead holder's lock is still there"
	run -0 --separate-stderr t "$(prog files stale_lock)" -t 0 L
	assert_match "^stale_lock: stale lock L from dead pid $dead: taking it over
stale_lock: pid [0-9]+ holds L
stale_lock: pid [0-9]+ released L\$" "$output"
	assert_eq "" "$stderr" "stderr"
	assert_gone L L.takeover
}

@test "stale_lock: SIGTERM or SIGINT releases the lock it took over" {
	local sig
	for sig in TERM INT; do
		dead_pid >L
		start_bg "log.$sig" "$(prog files stale_lock)" L
		wait_for_line "log.$sig" 'holds L'
		stop_bg "$BG_PID" "$sig"
		assert_eq 0 "$BG_STATUS" "exit status after SIG$sig"
		assert_match "released L" "$(cat "log.$sig")"
		assert_gone L L.takeover
	done
}

@test "stale_lock: several take-overs of one stale lock at once: exactly one wins" {
	dead_pid >L
	local i pids=()
	for i in 1 2 3 4; do
		start_bg "log.$i" "$(prog files stale_lock)" -d 1000 L
		pids+=("$BG_PID")
	done
	wait_until "(( \$(count_lines 'holds L|held by' log.*) == 4 ))"
	local takers
	takers=$(count_lines 'taking it over' log.*)
	# Under load a taker may start after the winner's new lock exists: it is
	# refused without a take-over, and the race had fewer runners.
	((takers >= 2)) || skip "could not show the race: only $takers of 4 saw the lock stale"
	assert_eq 1 "$(count_lines 'holds L' log.*)" "holders (two: the take-over's guard did not hold)"
	assert_eq 3 "$(count_lines 'L is held by pid' log.*)" "refused"
	local holder
	holder=$(sed -n 's/^stale_lock: pid \([0-9]*\) holds L$/\1/p' log.*)
	assert_eq "$holder" "$(cat L)" "pid in the lock"
	for i in "${pids[@]}"; do stop_bg "$i"; done
	assert_gone L L.takeover
}

@test "stale_lock: -u (take-over without the guard) shows the race: two hold the lock" {
	dead_pid >L
	local i pids=()
	for i in 1 2 3; do
		start_bg "log.$i" "$(prog files stale_lock)" -u -d 1500 L
		pids+=("$BG_PID")
	done
	wait_until "(( \$(count_lines 'holds L|held by' log.*) == 3 ))"
	local holders
	holders=$(count_lines 'holds L' log.*)
	if ((holders < 2)); then
		echo "expected the race to let two or more hold the lock, $holders did" >&2
		cat log.* >&2
		return 1
	fi
	for i in "${pids[@]}"; do stop_bg "$i"; done
	assert_match 'L is no longer ours' "$(cat log.*)"
	assert_gone L
}

# A stop sent at once, not only once the program waits: it may come before
# the wait has begun; blocked, it is still pending there.
@test "stale_lock: SIGTERM right after 'taking it over' ends the -d wait at once (status 1)" {
	dead_pid >L
	start_bg log "$(prog files stale_lock)" -d 30000 L
	wait_for_line log 'taking it over'
	kill -TERM "$BG_PID"
	wait_bg "$BG_PID"
	assert_eq 1 "$BG_STATUS" "exit status"
	assert_match 'stopped by a signal before getting L' "$(cat log)"
	assert_gone L.takeover
}

@test "stale_lock: a file that holds no pid is an error; bad arguments get usage" {
	echo "not a pid" >L
	run -1 --separate-stderr t "$(prog files stale_lock)" -t 0 L
	assert_eq "stale_lock: L does not hold a pid: not a lock of this program?" "$stderr"
	assert_eq "not a pid" "$(cat L)"
	run -2 --separate-stderr t "$(prog files stale_lock)"
	assert_usage
	run -2 --separate-stderr t "$(prog files stale_lock)" -t -1 M
	assert_usage
	run -2 --separate-stderr t "$(prog files stale_lock)" -d soon M
	assert_usage
	assert_gone M
}

@test "spool: submitted jobs are run in order, each once, and removed" {
	local i names=()
	for i in 1 2 3; do
		run -0 --separate-stderr t "$(prog files spool_submit)" q "job number $i"
		assert_match '^submitted [^/ ]+$' "$output"
		names+=("${output#submitted }")
		[[ -f q/new/${names[-1]} ]]
	done
	assert_eq "$(printf '%s\n' "${names[@]}")" "$(jobs_in q/new)" "jobs queued"
	assert_eq "" "$(jobs_in q/tmp)" "tmp/ after submitting"
	run -0 --separate-stderr t "$(prog files spool_run)" -e q
	assert_eq "$(printf 'done %s: job number %d\n' "${names[0]}" 1 "${names[1]}" 2 \
		"${names[2]}" 3)" "$(grep '^done' <<<"$output")"
	assert_match 'processed 3 job\(s\)' "$output"
	assert_eq "" "$(jobs_in q)" "jobs left in the spool"
}

@test "spool: a job half written is never seen; whole once renamed into new/" {
	start_bg sub.log "$(prog files spool_submit)" -d 3000 q "the whole job"
	local sub=$BG_PID
	wait_until '[[ -n $(ls q/tmp 2>/dev/null) ]]'
	run -0 --separate-stderr t "$(prog files spool_run)" -e q
	assert_match 'processed 0 job\(s\)' "$output"
	wait_bg "$sub"
	assert_eq 0 "$BG_STATUS" "submitter's status"
	run -0 --separate-stderr t "$(prog files spool_run)" -e q
	assert_match "done [^:]+: the whole job" "$output"
	assert_match 'processed 1 job\(s\)' "$output"
}

@test "spool_submit: stopped by SIGTERM or SIGINT before the rename, it leaves nothing" {
	local sig
	for sig in TERM INT; do
		start_bg "log.$sig" "$(prog files spool_submit)" -d 30000 q "never submitted"
		wait_until '[[ -n $(ls q/tmp 2>/dev/null) ]]'
		stop_bg "$BG_PID" "$sig"
		assert_eq 1 "$BG_STATUS" "exit status after SIG$sig"
		assert_eq "spool_submit: stopped by a signal: the job was not submitted" \
			"$(cat "log.$sig")"
		assert_eq "" "$(jobs_in q)" "jobs in the spool"
	done
}

@test "spool_submit: SIGTERM as soon as the half job appears ends the -d pause at once" {
	start_bg sub.log "$(prog files spool_submit)" -d 30000 q "never submitted"
	wait_until '[[ -n $(ls q/tmp 2>/dev/null) ]]'
	kill -TERM "$BG_PID" # at once: it may not have begun to wait yet
	wait_bg "$BG_PID"
	assert_eq 1 "$BG_STATUS" "submitter's status"
	assert_eq "" "$(jobs_in q)" "jobs in the spool"
}

@test "spool_run: killed mid-job, it loses nothing: the next run does every job, in order" {
	submit "job 1" "job 2" "job 3"
	start_slow_job spool_run
	stop_bg "$BG_PID" KILL
	assert_eq 137 "$BG_STATUS" "killed"
	[[ -f q/new/$JOB ]]
	run -0 --separate-stderr t "$(prog files spool_run)" -e q
	assert_eq "$(printf 'job %d\n' 1 2 3)" "$(sed -n 's/^done [^:]*: //p' <<<"$output")"
	assert_eq "" "$(jobs_in q)" "jobs left in the spool"
}

@test "spool_run: SIGTERM ends it (default action); the job it was on stays queued" {
	submit "slow job"
	start_slow_job spool_run
	stop_bg "$BG_PID"
	assert_eq 143 "$BG_STATUS" "exit status (128 + SIGTERM)"
	assert_eq "$JOB" "$(jobs_in q)" "the job, still queued"
	[[ -f q/new/$JOB ]]
}

@test "spool: a missing spool folder, or one that cannot be made, is an error" {
	run -1 --separate-stderr t "$(prog files spool_run)" -e nowhere
	assert_match '^spool_run: nowhere is not a spool folder' "$stderr"
	run -1 --separate-stderr t "$(prog files spool_workers)" -e nowhere
	assert_match '^spool_workers: nowhere is not a spool folder' "$stderr"
	assert_gone nowhere
	echo file >plain
	run -1 --separate-stderr t "$(prog files spool_submit)" plain/q "a job"
	assert_eq "spool_submit: mkdir plain/q: Not a directory" "$stderr"
}

@test "spool_submit/spool_run/spool_workers: bad arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog files spool_submit)" q
	assert_usage
	run -2 --separate-stderr t "$(prog files spool_submit)" q a b
	assert_usage
	run -2 --separate-stderr t "$(prog files spool_submit)" -d "" q a
	assert_usage
	run -2 --separate-stderr t "$(prog files spool_run)"
	assert_usage
	run -2 --separate-stderr t "$(prog files spool_run)" -w soon q
	assert_usage
	run -2 --separate-stderr t "$(prog files spool_workers)" -n 0 q
	assert_usage
	assert_gone q
}

@test "spool_workers: concurrent submitters and workers: every job processed exactly once" {
	local w s workers=()
	mkdir -p q/tmp q/new
	for w in 1 2 3; do
		start_bg "w.$w" "$(prog files spool_workers)" q
		workers+=("$BG_PID")
	done
	for s in 1 2 3 4; do
		start_bg "s.$s" bash -c 'for j in 1 2 3 4 5 6 7 8 9 10; do
			"$0" q "s'"$s"'-j$j" || exit 1; done' "$(prog files spool_submit)"
	done
	wait_until "(( \$(count_lines '^done ' w.*) >= 40 ))" 30
	for w in "${workers[@]}"; do
		stop_bg "$w"
		assert_eq 0 "$BG_STATUS" "worker's status"
	done
	local expected
	expected=$(for s in 1 2 3 4; do for j in $(seq 10); do echo "s$s-j$j"; done; done | sort)
	assert_eq "$expected" "$(sed -n 's/^done [^:]*: //p' w.* | sort)" "jobs processed"
	assert_eq 40 "$(count_lines '^submitted ' s.*)" "jobs submitted"
	assert_eq "" "$(jobs_in q)" "jobs left in the spool"
	assert_eq "" "$(ls q/work)" "work/ after the workers stopped"
}

@test "spool_workers: a worker killed mid-job loses nothing: the next worker requeues it" {
	submit "job 1" "job 2" "job 3"
	start_slow_job spool_workers
	local dead=$BG_PID job=$JOB
	stop_bg "$dead" KILL
	[[ -f q/work/$dead/$job ]]
	run -0 --separate-stderr t "$(prog files spool_workers)" -e q
	assert_match "requeued $job from worker $dead" "$output"
	assert_eq "$(printf 'job %d\n' 1 2 3)" "$(sed -n 's/^done [^:]*: //p' <<<"$output")"
	assert_eq "" "$(jobs_in q)" "jobs left in the spool"
	assert_eq "" "$(ls q/work)" "work/ after the run"
}

@test "spool_workers: SIGTERM mid-job puts the job back into new/" {
	submit "slow job"
	start_slow_job spool_workers
	stop_bg "$BG_PID"
	assert_eq 0 "$BG_STATUS" "exit status"
	assert_match "put $JOB back" "$(cat log)"
	assert_eq "$JOB" "$(jobs_in q)" "the job, back in the queue"
	[[ -f q/new/$JOB ]]
	assert_eq "" "$(ls q/work)" "work/"
}

@test "spool_workers: SIGTERM right after 'working on' ends the -w pause at once" {
	submit "slow job"
	start_slow_job spool_workers
	kill -TERM "$BG_PID" # at once: it may not have begun to wait yet
	wait_bg "$BG_PID"
	assert_eq 0 "$BG_STATUS" "worker's status"
	assert_match "put $JOB back" "$(cat log)"
	assert_eq 1 "$(jobs_in q/new | wc -l)" "the job, back in new/"
	assert_eq "" "$(ls q/work)" "work/"
}

@test "spool_workers -n: stops after that many jobs, the rest stay queued" {
	submit "job 1" "job 2" "job 3"
	run -0 --separate-stderr t "$(prog files spool_workers)" -n 2 q
	assert_eq "$(printf 'job %d\n' 1 2)" "$(sed -n 's/^done [^:]*: //p' <<<"$output")"
	assert_eq 1 "$(jobs_in q/new | wc -l)" "jobs still queued"
}

# foreign_entries -- a FIFO, a folder and a link in q/new/, named to sort
# before the jobs, as a stranger (or a mistaken `mkfifo`) could leave them.
foreign_entries() {
	mkdir -p q/new
	mkfifo q/new/0fifo
	mkdir q/new/0dir
	ln -s /etc/hostname q/new/0link
}

@test "spool_run: a FIFO, a folder and a link in new/ are reported and set aside, never waited on" {
	submit "job 1"
	foreign_entries
	submit "job 2"
	run -0 --separate-stderr t "$(prog files spool_run)" -e q
	assert_eq "$(printf 'job %d\n' 1 2)" "$(sed -n 's/^done [^:]*: //p' <<<"$output")" \
		"jobs done (a FIFO in new/ must not make open() wait)"
	assert_match 'processed 2 job\(s\)' "$output"
	local e
	for e in 0dir 0fifo 0link; do
		assert_match "spool_run: $e is no job .*: set aside as \\.$e" "$stderr" "report of $e"
	done
	assert_eq "$(printf '%s\n' .0dir .0fifo .0link)" "$(ls -A q/new)" "new/ after the run"
}

@test "spool_workers: a FIFO, a folder and a link in new/ are reported and set aside, never waited on" {
	submit "job 1"
	foreign_entries
	submit "job 2"
	run -0 --separate-stderr t "$(prog files spool_workers)" -e q
	assert_eq "$(printf 'job %d\n' 1 2)" "$(sed -n 's/^done [^:]*: //p' <<<"$output")" \
		"jobs done (a FIFO in new/ must not make open() wait)"
	local e
	for e in 0dir 0fifo 0link; do
		assert_match "spool_workers: $e is no job .*: set aside as \\.$e" "$stderr" "report of $e"
	done
	assert_eq "$(printf '%s\n' .0dir .0fifo .0link)" "$(ls -A q/new)" "new/ after the run"
	assert_eq "" "$(ls -A q/work)" "work/ after the run"
	# and the next worker starts and ends as cleanly: nothing was left to requeue
	run -0 --separate-stderr t "$(prog files spool_workers)" -e q
	assert_eq "" "$stderr" "stderr of the next worker"
}

@test "spool_workers: a stranger's file in work/ named like a dead pid does not stop a worker" {
	submit "job 1"
	mkdir -p q/work
	echo "not a worker's folder" >"q/work/$(dead_pid)"
	run -0 --separate-stderr t "$(prog files spool_workers)" -e q
	assert_eq "job 1" "$(sed -n 's/^done [^:]*: //p' <<<"$output")" "jobs done"
	assert_eq "" "$stderr" "stderr"
}

@test "spool_run/spool_workers: a job's control bytes are printed as '?'; a name with them is never listed" {
	local p
	for p in spool_run spool_workers; do
		rm -rf q
		submit $'red \e[31m text\tend'
		touch q/new/$'0\e[2Jname'
		run -0 --separate-stderr t "$(prog files "$p")" -e q
		assert_eq $'red ?[31m text?end' "$(sed -n 's/^done [^:]*: //p' <<<"$output")" \
			"$p: the job as printed (an escape sequence must not reach the terminal)"
		[[ $output$stderr != *$'\e'* ]] || {
			echo "$p printed a raw escape byte" >&2
			return 1
		}
		assert_eq $'0\e[2Jname' "$(ls q/new)" "$p: the strangely named entry, left alone"
	done
}

@test "spool_submit/spool_run/spool_workers: a FIFO or file where the spool folder or new/ should be is refused at once" {
	mkfifo fifo
	run -1 --separate-stderr t "$(prog files spool_submit)" fifo "a job"
	assert_match '^spool_submit: mkdir fifo: ' "$stderr" "a FIFO in the spool folder's place"
	mkdir q && mkfifo q/new
	run -1 --separate-stderr t "$(prog files spool_submit)" q "a job"
	assert_match '^spool_submit: mkdir q/new: ' "$stderr" "a FIFO in new/'s place"
	assert_eq "" "$(ls q/tmp)" "tmp/: no job written"
	local p
	for p in spool_run spool_workers; do
		run -1 --separate-stderr t "$(prog files "$p")" -e fifo
		assert_match "^$p: fifo is not a spool folder" "$stderr"
		run -1 --separate-stderr t "$(prog files "$p")" -e q
		assert_match "^$p: q is not a spool folder" "$stderr"
	done
}

@test "lockfile/stale_lock: a FIFO or a folder at the lock's path is refused at once, not waited on" {
	local p
	mkfifo F
	mkdir D
	for p in lockfile stale_lock; do
		run -1 --separate-stderr t "$(prog files "$p")" F
		assert_eq "$p: F exists and is not a regular file: not a lock" "$stderr" \
			"$p on a FIFO (open for reading waits for a writer unless O_NONBLOCK)"
		run -1 --separate-stderr t "$(prog files "$p")" D
		assert_eq "$p: D exists and is not a regular file: not a lock" "$stderr" "$p on a folder"
	done
	[[ -p F && -d D ]]
	assert_gone F.takeover D.takeover
}

@test "spool_workers -n, stale_lock -t: numbers out of range are refused, never clamped" {
	submit "job 1"
	run -2 --separate-stderr t "$(prog files spool_workers)" -n 99999999999999999999 q
	assert_usage
	run -2 --separate-stderr t "$(prog files stale_lock)" -t 99999999999999999999 L
	assert_usage
	run -2 --separate-stderr t "$(prog files spool_run)" -w 99999999999999999999 q
	assert_usage
	assert_eq 1 "$(jobs_in q/new | wc -l)" "the job, untouched"
	assert_gone L
}

@test "every files program: -h and --help print usage and exit 2, never taken as a path" {
	local p
	mkdir scratch && cd scratch
	for p in lockfile stale_lock spool_submit spool_run spool_workers flock_demo fcntl_lock spool_watch; do
		refuses_with_usage files "$p" -h
		refuses_with_usage files "$p" --help
	done
	run -2 --separate-stderr t "$(prog files spool_submit)" -h "a job"
	assert_usage
	run -2 --separate-stderr t "$(prog files spool_submit)" --help "a job"
	assert_usage
	assert_eq "" "$(ls -A)" "files made in the test directory"
}

@test "every files program: eight junk arguments get usage and status 2" {
	local p
	mkdir scratch && cd scratch
	for p in lockfile stale_lock spool_submit spool_run spool_workers flock_demo fcntl_lock spool_watch; do
		refuses_with_usage files "$p" j1 j2 j3 j4 j5 j6 j7 j8
	done
	assert_eq "" "$(ls -A)" "files made in the test directory"
}

# The race of the claim, shown where it is lost and where it is not: jobs that
# are all queued before the workers start, and pretend work long enough that
# every worker lists them all while the first is still busy with the first job.
@test "spool_run: two daemons on one folder run the same job twice (its stated limit)" {
	submit "job 1" "job 2"
	start_bg log.1 "$(prog files spool_run)" -e -w 300 q
	local a=$BG_PID
	start_bg log.2 "$(prog files spool_run)" -e -w 300 q
	local b=$BG_PID
	wait_bg "$a"
	wait_bg "$b"
	local done
	done=$(count_lines '^done ' log.1 log.2)
	((done > 2)) || skip "could not show the race: the daemons ran $done jobs for 2 (one started too late)"
	assert_eq "" "$(jobs_in q)" "jobs left"
}

@test "spool_workers: three workers started together on queued jobs: each job is done by exactly one" {
	submit "job 1" "job 2" "job 3" "job 4"
	local w workers=()
	for w in 1 2 3; do
		start_bg "w.$w" "$(prog files spool_workers)" -e -w 300 q
		workers+=("$BG_PID")
	done
	for w in "${workers[@]}"; do
		wait_bg "$w"
		assert_eq 0 "$BG_STATUS" "worker's status"
	done
	assert_eq "$(printf 'job %d\n' 1 2 3 4)" "$(sed -n 's/^done [^:]*: //p' w.* | sort)" \
		"jobs done (each once: the rename into work/PID is the claim; without it every worker runs every job)"
	assert_eq "" "$(jobs_in q)" "jobs left in the spool"
}

@test "spool_workers: a worker that starts while another is mid-job leaves that job alone" {
	submit "slow job" "job 2"
	start_slow_job spool_workers
	local busy=$BG_PID job=$JOB
	run -0 --separate-stderr t "$(prog files spool_workers)" -e q
	assert_eq "job 2" "$(sed -n 's/^done [^:]*: //p' <<<"$output")" \
		"what the second worker did (a live worker's job is not requeued)"
	[[ $output != *requeued* ]]
	[[ -f q/work/$busy/$job ]]
	stop_bg "$busy"
	assert_match "put $job back" "$(cat log)"
}

# ---- flock_demo: flock(2), the lock the kernel drops with its holder ----

@test "flock_demo: a second locker says it waits, and gets the lock when the holder releases it" {
	start_bg a.log "$(prog files flock_demo)" L
	local a=$BG_PID
	wait_for_line a.log "^flock_demo: pid $a holds an exclusive lock on L\$"
	start_bg b.log "$(prog files flock_demo)" L
	local b=$BG_PID
	wait_for_line b.log "^flock_demo: pid $b waiting for an exclusive lock on L\$"
	wait_asleep "$b"
	[[ $(cat b.log) != *holds* ]] || {
		echo "two processes hold the exclusive lock at once: was flock() called?" >&2
		return 1
	}
	stop_bg "$a"
	assert_eq 0 "$BG_STATUS" "holder's status"
	assert_eq "flock_demo: pid $a released L" "$(sed 1d a.log)"
	wait_for_line b.log "^flock_demo: pid $b holds an exclusive lock on L\$"
	stop_bg "$b"
	[[ -f L ]] # never removed: see the opening comment
}

@test "flock_demo: the lock dies with its holder: after kill -9 the waiter gets it" {
	start_bg a.log "$(prog files flock_demo)" L
	local a=$BG_PID
	wait_for_line a.log 'holds'
	start_bg b.log "$(prog files flock_demo)" L
	local b=$BG_PID
	wait_for_line b.log 'waiting for'
	stop_bg "$a" KILL
	wait_for_line b.log "^flock_demo: pid $b holds an exclusive lock on L\$"
}

@test "flock_demo: -n is refused at once while the lock is held; shared locks share, an exclusive one waits for them" {
	start_bg s1.log "$(prog files flock_demo)" -s L
	wait_for_line s1.log 'holds a shared lock on L'
	run -0 --separate-stderr t "$(prog files flock_demo)" -s -n -t 0 L
	assert_match 'holds a shared lock on L' "$output" "a second shared lock, at once"
	run -1 --separate-stderr t "$(prog files flock_demo)" -n -t 0 L
	assert_eq "flock_demo: L is locked by another process (EWOULDBLOCK): not waiting" "$stderr"
	assert_eq "" "$output" "stdout of the refused locker"
}

@test "flock_demo -c: four counters under the lock add up; without it (-u) updates are lost" {
	run -0 --separate-stderr t bash -c 'for i in 1 2 3 4; do "$0" -c 5000 C & done; wait' \
		"$(prog files flock_demo)"
	assert_eq 4 "$(grep -c 'added 5000 under the lock' <<<"$output")" "counters that ended"
	assert_eq 20000 "$(cat C)" "the count after 4 x 5000 under the lock (a lost update: the lock did not hold)"
	rm C
	run -0 --separate-stderr t bash -c 'for i in 1 2 3 4; do "$0" -c 5000 -u C & done; wait' \
		"$(prog files flock_demo)"
	assert_eq 4 "$(grep -c 'added 5000 without the lock' <<<"$output")" "counters that ended"
	(($(cat C) < 20000)) || skip "could not show the race: 4 x 5000 unlocked updates lost none here"
}

@test "flock_demo: SIGTERM or SIGINT right after the readiness line releases the lock (status 0)" {
	local sig
	for sig in TERM INT; do
		start_bg "log.$sig" "$(prog files flock_demo)" L
		wait_for_line "log.$sig" 'holds'
		kill "-$sig" "$BG_PID"
		wait_bg "$BG_PID"
		assert_eq 0 "$BG_STATUS" "status after SIG$sig"
		assert_match 'released L' "$(cat "log.$sig")"
	done
}

@test "flock_demo: its descriptor of the file has O_CLOEXEC (an exec'd program would hold the lock on)" {
	start_bg log "$(prog files flock_demo)" L
	wait_for_line log 'holds'
	assert_fd_flag "$BG_PID" '/L$' O_CLOEXEC
}

@test "flock_demo/fcntl_lock: a FIFO or a folder is refused at once; bad arguments get usage" {
	local p
	mkfifo F
	mkdir D
	for p in flock_demo fcntl_lock; do
		run -1 --separate-stderr t "$(prog files "$p")" -t 0 F
		assert_eq "$p: F is not a regular file" "$stderr" "$p on a FIFO"
		run -1 --separate-stderr t "$(prog files "$p")" -t 0 D
		assert_match "^$p: " "$stderr" "$p on a folder"
	done
	run -2 --separate-stderr t "$(prog files flock_demo)" -u L
	assert_usage
	run -2 --separate-stderr t "$(prog files flock_demo)" -c 0 L
	assert_usage
	run -2 --separate-stderr t "$(prog files fcntl_lock)" -r 5 L
	assert_usage
	run -2 --separate-stderr t "$(prog files fcntl_lock)" -r 5,-1 L
	assert_usage
	run -2 --separate-stderr t "$(prog files fcntl_lock)" -l -s L
	assert_usage
	assert_gone L
}

# ---- fcntl_lock: record locks ----

@test "fcntl_lock -D: the kernel finds the deadlock: one request fails with EDEADLK, the other gets both bytes" {
	run -0 --separate-stderr t "$(prog files fcntl_lock)" -D D
	assert_eq "" "$stderr" "stderr"
	assert_eq 1 "$(grep -c 'EDEADLK, the kernel found the deadlock' <<<"$output")" \
		"EDEADLK lines (F_SETLKW must wait, and the second request of the cycle must fail)"
	assert_eq 1 "$(grep -c 'too: holds bytes 0 and 1' <<<"$output")" "winners"
	assert_match '^parent [0-9]+: holds byte 0
child [0-9]+: holds byte 1
' "$output"
}

@test "fcntl_lock: a taken range names its holder (F_GETLK) and waits; a range that does not overlap is held at once" {
	start_bg a.log "$(prog files fcntl_lock)" -r 0,10 R
	local a=$BG_PID
	wait_for_line a.log "^fcntl_lock: pid $a holds bytes 0-9 of R \\(write lock\\)\$"
	run -0 --separate-stderr t "$(prog files fcntl_lock)" -r 10,10 -t 0 R
	assert_match 'holds bytes 10-19 of R' "$output" "a range next to it, at once"
	run -1 --separate-stderr t "$(prog files fcntl_lock)" -n -r 5,10 R
	assert_eq "fcntl_lock: bytes 5-14 of R: a write lock held by pid $a; not waiting" "$output"
	start_bg b.log "$(prog files fcntl_lock)" -s R
	local b=$BG_PID
	wait_for_line b.log "^fcntl_lock: bytes 0- of R: a write lock held by pid $a; waiting\$"
	stop_bg "$a"
	assert_eq 0 "$BG_STATUS" "holder's status"
	wait_for_line b.log "^fcntl_lock: pid $b holds bytes 0- of R \\(read lock\\)\$"
}

@test "fcntl_lock: the lock dies with its holder: after kill -9 the waiter gets it" {
	start_bg a.log "$(prog files fcntl_lock)" R
	local a=$BG_PID
	wait_for_line a.log 'holds'
	start_bg b.log "$(prog files fcntl_lock)" R
	wait_for_line b.log "held by pid $a; waiting"
	stop_bg "$a" KILL
	wait_for_line b.log 'holds bytes 0- of R'
}

@test "fcntl_lock -l: lockf(3) takes the same locks as fcntl: each conflicts with the other" {
	start_bg a.log "$(prog files fcntl_lock)" -l -r 0,4 R
	local a=$BG_PID
	wait_for_line a.log 'holds bytes 0-3'
	run -1 --separate-stderr t "$(prog files fcntl_lock)" -n -r 2,1 R
	assert_eq "fcntl_lock: bytes 2-2 of R: a write lock held by pid $a; not waiting" "$output"
	stop_bg "$a"
	start_bg b.log "$(prog files fcntl_lock)" -r 0,4 R
	local b=$BG_PID
	wait_for_line b.log 'holds bytes 0-3'
	run -1 --separate-stderr t "$(prog files fcntl_lock)" -l -n -r 3,1 R
	assert_eq "fcntl_lock: bytes 3-3 of R: a write lock held by pid $b; not waiting" "$output"
}

@test "fcntl_lock -c: closing another descriptor of the file drops the lock: another process gets it at once" {
	start_bg a.log "$(prog files fcntl_lock)" -c R
	wait_for_line a.log 'holds bytes 0- of R \(write lock, or thinks so\)'
	run -0 --separate-stderr t "$(prog files fcntl_lock)" -n -t 0 R
	assert_match 'holds bytes 0- of R \(write lock\)' "$output" \
		"a second locker (the first one's close() of another descriptor dropped its lock)"
}

@test "flock and fcntl locks do not see each other (Linux): each is held at once on the same file" {
	start_bg a.log "$(prog files flock_demo)" L
	wait_for_line a.log 'holds an exclusive lock'
	run -0 --separate-stderr t "$(prog files fcntl_lock)" -n -t 0 L
	assert_match 'holds bytes 0- of L' "$output"
}

@test "fcntl_lock: SIGTERM right after the readiness line ends it with status 0" {
	start_bg log "$(prog files fcntl_lock)" R
	wait_for_line log 'holds'
	kill -TERM "$BG_PID"
	wait_bg "$BG_PID"
	assert_eq 0 "$BG_STATUS" "status"
	assert_match 'released bytes 0- of R' "$(cat log)"
}

# ---- spool_watch: inotify instead of looking again and again ----

@test "spool_watch: jobs queued before it starts and submitted after are run in order and removed" {
	submit "job 1" "job 2"
	start_bg log "$(prog files spool_watch)" q
	local pid=$BG_PID
	wait_for_line log "^spool_watch: pid $pid watching q/new\$"
	wait_until "(( \$(count_lines '^done ' log) == 2 ))"
	submit "job 3"
	wait_until "(( \$(count_lines '^done ' log) == 3 ))" ||
		{ echo "job 3 was not run: does the watch see a rename into new/ (IN_MOVED_TO)?" >&2 && return 1; }
	echo "job 4" >q/new/direct # written in place: IN_CLOSE_WRITE
	wait_until "(( \$(count_lines '^done ' log) == 4 ))"
	stop_bg "$pid"
	assert_eq 0 "$BG_STATUS" "status after SIGTERM"
	assert_eq "$(printf 'job %d\n' 1 2 3 4)" "$(sed -n 's/^done [^:]*: //p' log)" "jobs done"
	assert_match 'processed 4 job\(s\)' "$(tail -n 1 log)"
	assert_eq "" "$(jobs_in q)" "jobs left"
}

# The 0.5 s here is the measurement, not a wait for readiness.
@test "spool_watch: idle, it makes no system call; spool_run, which looks again and again, does" {
	mkdir -p q/new
	start_bg w.log "$(prog files spool_watch)" q
	local w=$BG_PID
	wait_for_line w.log 'watching'
	start_bg r.log "$(prog files spool_run)" q
	local r=$BG_PID
	wait_for_line r.log 'working on q'
	wait_asleep "$w"
	local w0 r0
	w0=$(sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' "/proc/$w/status")
	r0=$(sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' "/proc/$r/status")
	sleep 0.5
	assert_eq "$w0" "$(sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' "/proc/$w/status")" \
		"spool_watch's voluntary context switches over 0.5 s idle (it must sleep until an event)"
	(($(sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' "/proc/$r/status") > r0))
}

@test "spool_watch: SIGTERM or SIGINT right after the readiness line ends it at once, status 0" {
	mkdir -p q/new
	local sig
	for sig in TERM INT; do
		start_bg "log.$sig" "$(prog files spool_watch)" q
		wait_for_line "log.$sig" 'watching'
		kill "-$sig" "$BG_PID"
		wait_bg "$BG_PID"
		assert_eq 0 "$BG_STATUS" "status after SIG$sig"
		assert_match 'processed 0 job\(s\)' "$(cat "log.$sig")"
	done
}

@test "spool_watch: -n ends after that many jobs; a FIFO in new/ is set aside, never waited on" {
	submit "job 1"
	mkfifo q/new/0fifo
	submit "job 2" "job 3"
	run -0 --separate-stderr t "$(prog files spool_watch)" -n 2 q
	assert_eq "$(printf 'job %d\n' 1 2)" "$(sed -n 's/^done [^:]*: //p' <<<"$output")" "jobs done"
	assert_match 'spool_watch: 0fifo is no job .*: set aside as \.0fifo' "$stderr"
	assert_eq 1 "$(jobs_in q/new | wc -l)" "jobs still queued"
}

@test "spool_watch: its inotify descriptor has O_CLOEXEC; a missing folder or a FIFO as new/ is refused at once" {
	mkdir -p q/new
	start_bg log "$(prog files spool_watch)" q
	wait_for_line log 'watching'
	assert_fd_flag "$BG_PID" 'inotify' O_CLOEXEC
	run -1 --separate-stderr t "$(prog files spool_watch)" nowhere
	assert_match '^spool_watch: nowhere is not a spool folder' "$stderr"
	mkdir p && mkfifo p/new
	run -1 --separate-stderr t "$(prog files spool_watch)" p
	assert_match '^spool_watch: p is not a spool folder' "$stderr"
	run -2 --separate-stderr t "$(prog files spool_watch)" -n 0 q
	assert_usage
}
