#!/usr/bin/env bash
# fifo/demo.sh -- the instructor's tour of fifo/, in lecture order (make -C fifo demo).
source ../mk/demo.bash

demo_title "fifo: a named pipe between unrelated processes"
demo_note "the writer makes the FIFO and waits in open() until a reader comes"
demo_start fifo_writer 'waiting for a reader' "$BIN/fifo_writer" -n 5 numbers.fifo
demo_run fifo_reader "$BIN/fifo_reader" numbers.fifo
demo_note "cat can read a FIFO like any file"
demo_start fifo_writer 'waiting for a reader' "$BIN/fifo_writer" -n 3 cat.fifo
demo_run cat cat cat.fifo
demo_stop

demo_title "fifo: a server and its clients"
demo_start fifos 'listening' "$BIN/fifos" server.fifo
demo_run fifoc "$BIN/fifoc" server.fifo 7
demo_note "three clients at once, each answered on its own FIFO"
pids=()
for n in 11 12 13; do
	demo_run "fifoc $n" "$BIN/fifoc" server.fifo "$n" &
	pids+=("$!")
done
wait "${pids[@]}"
demo_note "SIGTERM: the server removes its FIFO"
demo_stop

demo_title "fifo: atomic writes up to PIPE_BUF"
demo_run fifo_atomic "$BIN/fifo_atomic" atomic.fifo
demo_note "above PIPE_BUF records may tear: the count is whatever this run saw"
demo_run fifo_atomic "$BIN/fifo_atomic" -r 20 -s 100000 atomic.fifo
