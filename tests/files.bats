#!/usr/bin/env bats
# tests/files.bats -- files/: lock files and spool folders, through each
# program's command line.
load helpers

setup() { lab_setup; }
teardown() { lab_teardown; }

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
	assert_eq 4 "$(count_lines 'taking it over' log.*)" "takers that saw the stale lock"
	assert_eq 1 "$(count_lines 'holds L' log.*)" "holders"
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
	local p a
	mkdir scratch && cd scratch
	for p in lockfile stale_lock spool_submit spool_run spool_workers; do
		for a in -h --help; do
			run -2 --separate-stderr t "$(prog files "$p")" "$a"
			assert_usage || {
				echo "$p $a" >&2
				return 1
			}
		done
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
	for p in lockfile stale_lock spool_submit spool_run spool_workers; do
		run -2 --separate-stderr t "$(prog files "$p")" j1 j2 j3 j4 j5 j6 j7 j8
		assert_usage || {
			echo "$p" >&2
			return 1
		}
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
