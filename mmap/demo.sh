#!/usr/bin/env bash
# mmap/demo.sh -- the instructor's tour of mmap/: `make -C mmap demo`.
source ../mk/demo.bash

demo_title "mmap_write/mmap_read: a number survives in a mapped file (ALP mmap-write.c, mmap-read.c)"
demo_run mmap_write "$BIN/mmap_write" number.dat
demo_run mmap_read "$BIN/mmap_read" number.dat
demo_run mmap_read "$BIN/mmap_read" number.dat
demo_note "two reads: the file now holds four times the first value"

demo_title "mmap_access/read_access: the same work through mmap and read (LG listing1.c, listing2.c)"
head -c $((8 * 1024 * 1024)) /dev/urandom >data.bin
demo_run mmap_access "$BIN/mmap_access" -b 16 data.bin 2
demo_run read_access "$BIN/read_access" -b 16 data.bin 2
demo_note "same sum; with 16-byte blocks read() pays one system call per block"

demo_title "mycp3: copy through two mappings (KHU mycp3.c)"
chmod 640 data.bin
demo_run mycp3 "$BIN/mycp3" data.bin copy.bin
demo_run cmp cmp data.bin copy.bin
demo_run ls ls -l data.bin copy.bin

demo_title "mipc: parent and child take turns on a shared counter (KHU mipc.c)"
demo_run mipc "$BIN/mipc" -v -n 3 zero
demo_run mipc "$BIN/mipc" -n 1000 anon

demo_title "mmap_producer/mmap_consumer: Hello World through shared.dat (SYS)"
# The producer waits for a line or end of input on stdin: here a FIFO that
# this script holds open and never writes, so only the signal ends the wait.
mkfifo control
exec 4<>control
demo_start mmap_producer 'waiting' bash -c 'exec "$0" shared.dat <control' "$BIN/mmap_producer"
demo_run mmap_consumer "$BIN/mmap_consumer" shared.dat
demo_stop
exec 4>&-
demo_note "SIGTERM ended the producer's wait; it removed shared.dat"

demo_title "car_write/car_read: pointers do not survive another mapping address (SYS)"
demo_run car_write "$BIN/car_write" car.dat
demo_run car_read "$BIN/car_read" car.dat

demo_title "queue_producer/queue_consumer: a bounded FIFO in a mapped file (SYS mmap_locks)"
demo_start queue_consumer 'queue' "$BIN/queue_consumer" -p 2 queue.dat
demo_run producer-1 "$BIN/queue_producer" -n 5 -i 1 queue.dat
demo_run producer-2 "$BIN/queue_producer" -n 5 -i 2 queue.dat
demo_stop
