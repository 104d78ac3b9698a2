#!/usr/bin/env bash
# pipe/demo.sh -- the instructor's tour of pipe/, in lecture order (make -C pipe demo).
source ../mk/demo.bash

demo_title "pipe: a parent talks to its child"
demo_note "stdio over a pipe: fdopen on each end, the child reads lines until EOF"
demo_run pipe_fdopen "$BIN/pipe_fdopen" -n 3 "Hello, world."
demo_note "the same with plain read/write; the child's byte count goes to stderr"
demo_run pipe "$BIN/pipe" "hello world"
demo_note "dup2: the child's printf and the parent's scanf go through the pipe (SYS)"
demo_run pipe_dup2 "$BIN/pipe_dup2"

demo_title "pipe: feeding another program"
demo_note "fork + dup2 + exec sort: the lecture's five lines come back sorted"
demo_run pipe_sort "$BIN/pipe_sort"
demo_note "popen(\"sort\", \"w\") does the pipe, fork and exec; here fed from stdin"
printf 'pear\napple\nfig\n' | demo_run popen_sort "$BIN/popen_sort" -
demo_note "the shell's pipe first: ls -l | more (more copies when stdout is not a terminal)"
touch alpha beta gamma
demo_run shell bash -c 'ls -l | more'
demo_note "the same by hand: pipe, and in each child close + dup, then execlp"
demo_run mymore "$BIN/mymore"

demo_title "pipe: taking turns, and how much a pipe holds"
demo_note "TELL/WAIT over two pipes: strict turns"
demo_run sync "$BIN/sync" -n 3
demo_note "fill a pipe nobody reads, with O_NONBLOCK, until EAGAIN"
demo_run pipe_capacity "$BIN/pipe_capacity"
demo_run pipe_capacity "$BIN/pipe_capacity" -s 1048576

demo_title "beyond: a coprocess, and descriptors across exec"
demo_note "coprocess: each line to add2 through one pipe, its sum back through another"
printf '3 4\n10 -2\n' | demo_run coprocess "$BIN/coprocess"
demo_note "add2 writing with stdio (-s): its answer waits in its buffer, we wait for it"
demo_run coprocess bash -c 'printf "3 4\n5 6\n" | "$0" -s -w 1; exit 0' "$BIN/coprocess"
demo_note "pipe(): sleep inherits the write end across exec, and the EOF waits for it"
demo_run pipe2_cloexec "$BIN/pipe2_cloexec" 1
demo_note "pipe2(O_CLOEXEC): exec closes sleep's copy, and the EOF comes at once"
demo_run pipe2_cloexec "$BIN/pipe2_cloexec" -c 1
