# tests/stop_bg_fix.bash -- loaded by msgq.bats and sem.bats after helpers.
# helpers.bash's stop_bg fails under Bats' errexit whenever the program has
# already ended: `kill` of a group that is gone returns 1, and so does `wait`
# for a program that exited non-zero or died of a signal. This is the same
# function with those two failures tolerated; delete this file (and the
# `load stop_bg_fix` lines) once helpers.bash carries the fix.
stop_bg() {
	local pid=$1 sig=${2:-TERM} i
	kill "-$sig" -- "-$pid" 2>/dev/null || true
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL -- "-$pid" 2>/dev/null || true
	BG_STATUS=0
	wait "$pid" 2>/dev/null || BG_STATUS=$?
	local kept=() p
	for p in "${LAB_BG[@]}"; do [[ $p == "$pid" ]] || kept+=("$p"); done
	LAB_BG=("${kept[@]}")
}
