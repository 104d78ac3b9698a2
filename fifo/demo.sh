#!/usr/bin/env bash
# fifo/demo.sh -- the instructor's tour of fifo/, in lecture order (make -C fifo demo).
source ../mk/demo.bash

demo_title "fifo: a named pipe between unrelated processes (CE)"
demo_note "the reader makes the FIFO and waits in fopen() until a writer comes"
demo_start fifo_reader 'waiting for a writer' "$BIN/fifo_reader" lines.fifo
demo_note "the writer sends its standard input, as 'cat > lines.fifo' would"
printf 'hello through a FIFO\nsecond line, spaces  kept\n' |
	demo_run fifo_writer "$BIN/fifo_writer" lines.fifo
demo_stop
demo_note "cat can read a FIFO like any file"
demo_start fifo_writer 'waiting for a reader' bash -c 'seq 3 | exec "$0" cat.fifo' "$BIN/fifo_writer"
demo_run cat cat cat.fifo
demo_stop

demo_title "fifo: a program that reads a file reads a FIFO (SYS: gzip)"
seq 1 1000 >file
demo_start fifo_writer 'waiting for a reader' bash -c 'exec "$0" pipe_file <file' "$BIN/fifo_writer"
demo_run gzip bash -c 'gzip -c9 <pipe_file >file.gz && gzip -dc file.gz | wc -l'
demo_stop

demo_title "fifo: a server and its clients (KHU fifos.c / fifoc.c)"
demo_start fifos 'listening' "$BIN/fifos" server.fifo
demo_run fifoc "$BIN/fifoc" server.fifo 7
demo_note "three clients at once, each answered on its own FIFO"
pids=()
for n in 11 12 13; do
	demo_run "fifoc $n" "$BIN/fifoc" server.fifo "$n" &
	pids+=("$!")
done
wait "${pids[@]}"
demo_note "half a line from a client that stopped: a warning, and the next request is still answered"
printf 4242 >server.fifo
demo_run fifoc "$BIN/fifoc" server.fifo 5
demo_note "SIGTERM: the server removes its FIFO"
demo_stop

demo_title "fifo: robust_fifos survives a client that died (beyond the lecture)"
demo_start robust_fifos 'listening' "$BIN/robust_fifos" server.fifo
mkfifo server.fifo.99999
demo_note "a request from a client that made its FIFO and died: skipped, not waited for"
echo '99999 5' >server.fifo
demo_run fifoc "$BIN/fifoc" server.fifo 8
rm server.fifo.99999
demo_stop

demo_title "fifo: atomic writes up to PIPE_BUF (SYS)"
demo_run fifo_atomic "$BIN/fifo_atomic" atomic.fifo
demo_note "above PIPE_BUF records may tear: the count is whatever this run saw"
demo_run fifo_atomic "$BIN/fifo_atomic" atomic.fifo 100000 4 20
