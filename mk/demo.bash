# mk/demo.bash -- what every DIR/demo.sh sources for `make demo`.
#
# A demo runs the directory's programs in lecture order, every line of output
# labelled with the program that printed it, inside a scratch directory that
# is removed at the end (with anything the programs left there). It never
# reads the keyboard: stdin is /dev/null unless a step pipes something in.
# With STEP=1 (make -C fifo demo STEP=1) it shows each command before it runs
# and waits for Enter on the terminal, so a lecturer can talk between steps.
#
#   source ../mk/demo.bash
#   demo_title "pipe: a parent talks to its child"
#   demo_run pipe_fdopen "$BIN/pipe_fdopen"              # one program, to the end
#   printf 'b\na\n' | demo_run popen_sort "$BIN/popen_sort"
#   demo_start fifos 'listening' "$BIN/fifos" srv.fifo    # a server, until it is ready
#   demo_run fifoc "$BIN/fifoc" srv.fifo 7
#   demo_stop                                              # TERM to every server started
set -u
BIN=$PWD # the directory's programs (demo.sh runs from its own directory)
DEMO_TMP=$(mktemp -d "${TMPDIR:-/tmp}/labdemo.XXXXXX") || exit 1
DEMO_PIDS=()
cd "$DEMO_TMP" || exit 1

demo_cleanup() {
	demo_stop
	cd / && rm -rf "$DEMO_TMP"
}
trap demo_cleanup EXIT
trap 'exit 130' INT TERM

# label NAME -- copy stdin to stdout with "[NAME] " before every line.
label() {
	local line
	while IFS= read -r line || [[ -n $line ]]; do
		printf '[%s] %s\n' "$1" "$line"
	done
}

demo_title() {
	printf '== %s ==\n' "$*"
}

# demo_step CMD ARGS... -- with STEP=1: show the command as a student would type
# it and wait for Enter (read from the terminal: stdin is /dev/null).
demo_step() {
	[[ ${STEP:-} == 1 ]] || return 0
	local word line=
	for word in "${@/#$BIN\//./}"; do
		[[ $word =~ ^[][[:alnum:]_./=:,@%+-]+$ ]] || word="'$word'"
		line+=" $word"
	done
	printf '   $%s' "$line"
	if { exec 9</dev/tty; } 2>/dev/null; then
		read -r -u 9 _
		exec 9<&-
	else
		echo
	fi
}

# demo_note TEXT -- a line of commentary for the audience.
demo_note() {
	printf '   # %s\n' "$*"
}

# demo_run NAME CMD ARGS... -- run CMD to its end, labelled; a failure stops the demo.
demo_run() {
	local name=$1 status
	shift
	demo_step "$@"
	timeout 30 "$@" 2>&1 | label "$name"
	status=${PIPESTATUS[0]}
	if ((status != 0)); then
		echo "demo: $name exited with status $status" >&2
		exit 1
	fi
}

# demo_start NAME READY-REGEX CMD ARGS... -- start a server in the background,
# its lines labelled as they come, and return once a line matches READY-REGEX.
# DEMO_LOG is then the file its output goes to (to read a port from, say).
demo_start() {
	local name=$1 ready=$2 log i
	shift 2
	demo_step "$@"
	log=$DEMO_TMP/.$name.$RANDOM.log
	DEMO_LOG=$log
	: >"$log" # before tail opens it
	setsid "$@" </dev/null >"$log" 2>&1 &
	DEMO_PIDS+=("$!")
	disown "$!" # a server the demo kills must not make bash print "Killed"
	tail -s 0.1 -n +1 -f --pid="$!" "$log" | label "$name" &
	for ((i = 0; i < 500; i++)); do
		grep -qE -- "$ready" "$log" && return 0
		kill -0 "${DEMO_PIDS[-1]}" 2>/dev/null || break
		sleep 0.02
	done
	echo "demo: $name did not become ready" >&2
	exit 1
}

# demo_stop -- SIGTERM to every server demo_start started, then wait for them
# (and for their labelled output to drain).
demo_stop() {
	local pid
	for pid in "${DEMO_PIDS[@]}"; do
		kill -TERM -- "-$pid" 2>/dev/null
	done
	for pid in "${DEMO_PIDS[@]}"; do
		timeout 5 tail --pid="$pid" -f /dev/null
		kill -KILL -- "-$pid" 2>/dev/null
	done
	DEMO_PIDS=()
	wait 2>/dev/null # the labelling tails
}
