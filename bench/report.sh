#!/bin/sh
# report.sh -- measure, then regenerate what docs/performance.md shows:
#   docs/performance.csv      every figure of the main run (ipcbench -w)
#   docs/performance-8k.csv   the bandwidth run with 8 KiB messages
#   docs/performance.svg      the chart, drawn from performance.csv by benchsvg
#   the two tables in docs/performance.md, between its BEGIN/END markers.
# Usage: sh report.sh        (from bench/; `make -C bench report` does that)
# Environment: REPORT_ARGS (default "-p same,diff -r 7 -t 40").
set -eu
cd "$(dirname "$0")"
here=$(pwd)
docs=../docs
args=${REPORT_ARGS:--p same,diff -r 7 -t 40}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipcbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

machine() {
    printf '%s, %s CPUs, Linux %s, %s\n' \
        "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
        "$(getconf _NPROCESSORS_ONLN)" "$(uname -r)" "$(date -u '+%Y-%m-%d %H:%M UTC')"
}

# run NAME ARGS...: the table to $tmp/NAME.txt, the CSV to $docs/performanceNAME.csv;
# the bench runs in $tmp, so its FIFOs, sockets and ftok path are there
run() {
    name=$1
    shift
    {
        echo "\$ ./ipcbench $*"
        echo "# $(machine)"
        echo "# uptime before: $(uptime)"
        (cd "$tmp" && "$here/ipcbench" "$@" -w "$here/$docs/performance$name.csv")
        echo "# uptime after:  $(uptime)"
    } >"$tmp/$name.txt"
    cat "$tmp/$name.txt"
}

# shellcheck disable=SC2086 # args is a list of options
run "" $args
run -8k -k bw -s 8192 $args
./benchsvg -t "ipcbench on $(machine)" "$docs/performance.csv" >"$tmp/chart.svg"
mv "$tmp/chart.svg" "$docs/performance.svg"

# Put each table between its markers in docs/performance.md.
splice() {
    awk -v table="$1" -v tag="$2" '
        $0 == "<!-- BEGIN " tag " -->" {
            print; print "```"
            while ((getline line < table) > 0) print line
            print "```"; skip = 1; next
        }
        $0 == "<!-- END " tag " -->" { skip = 0 }
        !skip' "$docs/performance.md" >"$tmp/doc.md"
    cat "$tmp/doc.md" >"$docs/performance.md"
}
splice "$tmp/.txt" main-table
splice "$tmp/-8k.txt" table-8k
echo "report.sh: wrote $docs/performance.csv, performance-8k.csv, performance.svg, performance.md"
