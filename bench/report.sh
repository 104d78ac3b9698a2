#!/bin/sh
# report.sh -- measure, then regenerate what docs/performance.md shows:
#   docs/performance.csv      every figure of the main run (ipcbench -w)
#   docs/performance-8k.csv   the bandwidth run with 8 KiB messages
#   docs/performance-copy.csv shared memory copying messages in and out (-c)
#   docs/performance-noyield.csv  spinning on one CPU without yielding (-y)
#   docs/performance.svg      the chart, drawn from performance.csv by benchsvg
#   the two tables in docs/performance.md, between its BEGIN/END markers.
# Usage: sh report.sh        (from bench/; `make -C bench report` does that)
# Environment: REPORT_ARGS (default "-p same,diff,sched -r 7 -t 40").
set -eu
cd "$(dirname "$0")"
here=$(pwd)
docs=../docs
args=${REPORT_ARGS:--p same,diff,sched -r 7 -t 40}
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
# shellcheck disable=SC2086
run -copy -c -m memcpy-1m,shm-spin,posix-shm,sysv-shm,mmap-file -k bw $args
run -noyield -y -m cacheline,shm-spin -k lat -p same -r 3 -t 40
./benchsvg -t "ipcbench on $(machine)" "$docs/performance.csv" >"$tmp/chart.svg"
mv "$tmp/chart.svg" "$docs/performance.svg"

# Put each table between its markers in docs/performance.md.
splice() {
    awk -v table="$1" -v tag="$2" '
        $0 == "<!-- BEGIN " tag " -->" {
            fence = tag != "targets"
            print; if (fence) print "```"
            while ((getline line < table) > 0) print line
            if (fence) print "```"
            skip = 1; next
        }
        $0 == "<!-- END " tag " -->" { skip = 0 }
        !skip' "$docs/performance.md" >"$tmp/doc.md"
    cat "$tmp/doc.md" >"$docs/performance.md"
}
# The issue's targets, computed from the CSV. The lmbench figures are the ones
# the issue quotes for this machine class, measured on another day; the
# comparison with lmbench in one sitting is in docs/performance.md, by hand.
targets() {
    awk -F, '
    BEGIN {
        ref["pipe,latency,same"] = 5;        ref["pipe,latency,diff"] = 45
        ref["fifo,latency,same"] = 5.5;      ref["fifo,latency,diff"] = 45
        ref["unix-stream,latency,same"] = 9; ref["unix-stream,latency,diff"] = 42
        ref["tcp,latency,same"] = 14;        ref["tcp,latency,diff"] = 60
        ref["udp,latency,same"] = 11;        ref["udp,latency,diff"] = 55
        ref["sysv-shm,latency,same"] = 1.8;  ref["sysv-shm,latency,diff"] = 6.5
        ref["pipe,bandwidth,same"] = 4.3;    ref["pipe,bandwidth,diff"] = 1.3
        ref["unix-stream,bandwidth,same"] = 5.8; ref["unix-stream,bandwidth,diff"] = 6
        ref["tcp,bandwidth,same"] = 3.7;     ref["tcp,bandwidth,diff"] = 3.9
        ref["memcpy-1m,bandwidth,same"] = 47; ref["memcpy-64m,bandwidth,same"] = 10
        n = split("pipe fifo unix-stream tcp udp sysv-shm", lat_order, " ")
    }
    NR > 1 && $8 != "" {
        v[$1 "," $2 "," $3] = $2 == "latency" ? $8 / 1000 : $8 / 1e9
    }
    function row(key, unit, strict,   r, ours, ratio, verdict) {
        if (!(key in v) || !(key in ref)) return
        ours = v[key]; r = ref[key]; ratio = ours / r
        verdict = ratio >= 0.85 && ratio <= 1.15 ? "yes" : "no"
        split(key, k, ",")
        printf "| %s %s | %s | %.3g %s | %.3g %s | %.2f | %s |\n", k[1], k[2], k[3], ours, unit, r, unit, ratio, strict ? verdict : "(" verdict ")"
    }
    END {
        print "| figure | placement | ipcbench | lmbench (issue) | ratio | within 15%? |"
        print "|---|---|---|---|---|---|"
        for (i = 1; i <= n; i++)
            for (p = 0; p < 2; p++)
                row(lat_order[i] ",latency," (p ? "diff" : "same"), "us", i <= 4)
        split("pipe unix-stream tcp", bw_order, " ")
        for (i = 1; i <= 3; i++)
            for (p = 0; p < 2; p++)
                row(bw_order[i] ",bandwidth," (p ? "diff" : "same"), "GB/s", 0)
        row("memcpy-1m,bandwidth,same", "GB/s", 0)
        row("memcpy-64m,bandwidth,same", "GB/s", 0)
        print ""
        print "| target | placement | measured | verdict |"
        print "|---|---|---|---|"
        for (p = 0; p < 2; p++) {
            pl = p ? "diff" : "same"
            s = v["shm-spin,latency," pl]; c = v["cacheline,latency," pl]
            if (s && c)
                printf "| shm-spin round trip within 2x of the cache-line bounce | %s | %.3g us vs %.3g us: %.2fx | %s |\n", pl, s, c, s / c, (s <= 2 * c ? "met" : "missed")
        }
        for (p = 0; p < 2; p++) {
            pl = p ? "diff" : "same"
            m1 = v["memcpy-1m,bandwidth," pl]; m64 = v["memcpy-64m,bandwidth," pl]
            split("shm-spin posix-shm sysv-shm mmap-file", shm, " ")
            for (i = 1; i <= 4; i++) {
                b = v[shm[i] ",bandwidth," pl]
                if (b && m1 && m64)
                    printf "| %s bandwidth at least half of memcpy | %s | %.3g GB/s = %.2f of memcpy-1m, %.2f of memcpy-64m | %s |\n", shm[i], pl, b, b / m1, b / m64, (b >= m1 / 2 ? "met" : (b >= m64 / 2 ? "met for 64 MiB only" : "missed"))
            }
        }
    }' "$docs/performance.csv"
}
targets >"$tmp/targets.md"
cat "$tmp/targets.md"

splice "$tmp/.txt" main-table
splice "$tmp/-8k.txt" table-8k
splice "$tmp/-copy.txt" table-copy
splice "$tmp/-noyield.txt" table-noyield
splice "$tmp/targets.md" targets
echo "report.sh: wrote $docs/performance*.csv, performance.svg, performance.md"
