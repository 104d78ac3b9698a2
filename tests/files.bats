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

@test "lockfile: a second instance is refused while the first holds the lock" {
	start_bg log "$(prog files lockfile)" L
	local pid=$BG_PID
	wait_for_line log "^lockfile: pid $pid holds L\$"
	assert_eq "$pid" "$(cat L)" "pid in the lock file"
	run -1 --separate-stderr t "$(prog files lockfile)" -t 0 L
	assert_eq "lockfile: L is held by pid $pid: try again later" "$stderr"
	assert_eq "" "$output"
	assert_eq "$pid" "$(cat L)" "the holder's lock, untouched"
	stop_bg "$pid"
	assert_eq 0 "$BG_STATUS" "exit status"
	assert_match "released L" "$(cat log)"
	assert_gone L
}

@test "lockfile: SIGINT also releases the lock (the handler really runs)" {
	start_bg log "$(prog files lockfile)" L
	wait_for_line log 'holds L'
	stop_bg "$BG_PID" INT
	assert_eq 0 "$BG_STATUS" "exit status"
	assert_match "released L" "$(cat log)"
	assert_gone L
}

@test "lockfile: a lock left by a SIGKILLed holder is stale and taken over" {
	start_bg log "$(prog files lockfile)" L
	local dead=$BG_PID
	wait_for_line log 'holds L'
	stop_bg "$dead" KILL
	assert_eq 137 "$BG_STATUS" "killed"
	assert_eq "$dead" "$(cat L)" "the dead holder's lock is still there"
	run -0 --separate-stderr t "$(prog files lockfile)" -t 0 L
	assert_match "^lockfile: stale lock L from dead pid $dead: taking it over
lockfile: pid [0-9]+ holds L
lockfile: pid [0-9]+ released L\$" "$output"
	assert_eq "" "$stderr" "stderr"
	assert_gone L L.takeover
}

@test "lockfile: several take-overs of one stale lock at once: exactly one wins" {
	dead_pid >L
	local i pids=()
	for i in 1 2 3 4; do
		start_bg "log.$i" "$(prog files lockfile)" -d 1000 L
		pids+=("$BG_PID")
	done
	wait_until "(( \$(count_lines 'holds L|held by' log.*) == 4 ))"
	assert_eq 4 "$(count_lines 'taking it over' log.*)" "takers that saw the stale lock"
	assert_eq 1 "$(count_lines 'holds L' log.*)" "holders"
	assert_eq 3 "$(count_lines 'L is held by pid' log.*)" "refused"
	local holder
	holder=$(sed -n 's/^lockfile: pid \([0-9]*\) holds L$/\1/p' log.*)
	assert_eq "$holder" "$(cat L)" "pid in the lock"
	for i in "${pids[@]}"; do stop_bg "$i"; done
	assert_gone L L.takeover
}

@test "lockfile: -u (take-over without the guard) shows the race: two hold the lock" {
	dead_pid >L
	local i pids=()
	for i in 1 2 3; do
		start_bg "log.$i" "$(prog files lockfile)" -u -d 1500 L
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

# A stop sent at once, not only once the program sleeps: it may land before
# the sleep has begun, which a flag alone would miss (docs/CONTRIBUTING.md).
@test "lockfile: SIGTERM right after 'taking it over' ends the -d wait at once (status 1)" {
	dead_pid >L
	start_bg log "$(prog files lockfile)" -d 30000 L
	wait_for_line log 'taking it over'
	kill -TERM "$BG_PID"
	wait_bg "$BG_PID"
	assert_eq 1 "$BG_STATUS" "exit status"
	assert_match 'stopped by a signal before getting L' "$(cat log)"
	assert_gone L L.takeover
}

@test "lockfile: a file that holds no pid, or a lock in a missing folder, is an error" {
	echo "not a pid" >L
	run -1 --separate-stderr t "$(prog files lockfile)" -t 0 L
	assert_eq "lockfile: L does not hold a pid: not a lock of this program?" "$stderr"
	assert_eq "not a pid" "$(cat L)"
	run -1 --separate-stderr t "$(prog files lockfile)" -t 0 no/such/L
	assert_eq "lockfile: open no/such/L: No such file or directory" "$stderr"
}

@test "lockfile: bad arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog files lockfile)"
	assert_usage
	run -2 --separate-stderr t "$(prog files lockfile)" -t -1 L
	assert_usage
	run -2 --separate-stderr t "$(prog files lockfile)" -d soon L
	assert_usage
	run -2 --separate-stderr t "$(prog files lockfile)" L M
	assert_usage
	assert_gone L M
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
	assert_eq "" "$(ls q/work)" "work/ after the run"
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

@test "spool: concurrent submitters and workers: every job processed exactly once" {
	local w s workers=()
	mkdir -p q/tmp q/new q/work
	for w in 1 2 3; do
		start_bg "w.$w" "$(prog files spool_run)" q
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

@test "spool: a worker killed mid-job loses nothing: the next worker requeues it" {
	local i
	for i in 1 2 3; do
		t "$(prog files spool_submit)" q "job $i" >/dev/null
	done
	start_bg log "$(prog files spool_run)" -w 30000 q
	local dead=$BG_PID
	wait_for_line log '^working on '
	local job
	job=$(sed -n 's/^working on //p' log)
	stop_bg "$dead" KILL
	[[ -f q/work/$dead/$job ]]
	run -0 --separate-stderr t "$(prog files spool_run)" -e q
	assert_match "requeued $job from worker $dead" "$output"
	assert_eq "$(printf 'job %d\n' 1 2 3)" "$(sed -n 's/^done [^:]*: //p' <<<"$output")"
	assert_eq "" "$(jobs_in q)" "jobs left in the spool"
	assert_eq "" "$(ls q/work)" "work/ after the run"
}

@test "spool: SIGTERM mid-job puts the job back into new/" {
	t "$(prog files spool_submit)" q "slow job" >/dev/null
	start_bg log "$(prog files spool_run)" -w 30000 q
	wait_for_line log '^working on '
	local job
	job=$(sed -n 's/^working on //p' log)
	stop_bg "$BG_PID"
	assert_eq 0 "$BG_STATUS" "exit status"
	assert_match "put $job back" "$(cat log)"
	assert_eq "$job" "$(jobs_in q)" "the job, back in the queue"
	[[ -f q/new/$job ]]
	assert_eq "" "$(ls q/work)" "work/"
}

@test "spool: SIGTERM right after the readiness line ends a -d or -w sleep at once" {
	start_bg sub.log "$(prog files spool_submit)" -d 30000 q "never submitted"
	wait_until '[[ -n $(ls q/tmp 2>/dev/null) ]]'
	kill -TERM "$BG_PID" # at once: it may not have begun to sleep yet
	wait_bg "$BG_PID"
	assert_eq 1 "$BG_STATUS" "submitter's status"
	assert_eq "" "$(jobs_in q)" "jobs in the spool"
	t "$(prog files spool_submit)" q "slow job" >/dev/null
	start_bg run.log "$(prog files spool_run)" -w 30000 q
	wait_for_line run.log '^working on '
	kill -TERM "$BG_PID"
	wait_bg "$BG_PID"
	assert_eq 0 "$BG_STATUS" "worker's status"
	assert_match 'put [^ ]+ back' "$(cat run.log)"
	assert_eq 1 "$(jobs_in q/new | wc -l)" "the job, back in new/"
	assert_eq "" "$(ls q/work)" "work/"
}

@test "spool_run -n: stops after that many jobs, the rest stay queued" {
	local i
	for i in 1 2 3; do
		t "$(prog files spool_submit)" q "job $i" >/dev/null
	done
	run -0 --separate-stderr t "$(prog files spool_run)" -n 2 q
	assert_eq "$(printf 'job %d\n' 1 2)" "$(sed -n 's/^done [^:]*: //p' <<<"$output")"
	assert_eq 1 "$(jobs_in q/new | wc -l)" "jobs still queued"
}

@test "spool: a missing spool folder, or one that cannot be made, is an error" {
	run -1 --separate-stderr t "$(prog files spool_run)" -e nowhere
	assert_match '^spool_run: nowhere is not a spool folder' "$stderr"
	assert_gone nowhere
	echo file >plain
	run -1 --separate-stderr t "$(prog files spool_submit)" plain/q "a job"
	assert_eq "spool_submit: mkdir plain/q: Not a directory" "$stderr"
}

@test "spool_submit/spool_run: bad arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog files spool_submit)" q
	assert_usage
	run -2 --separate-stderr t "$(prog files spool_submit)" q a b
	assert_usage
	run -2 --separate-stderr t "$(prog files spool_run)"
	assert_usage
	run -2 --separate-stderr t "$(prog files spool_run)" -n 0 q
	assert_usage
	assert_gone q
}
