#!/usr/bin/env bash
# mmap/demo.sh -- the instructor's tour of mmap/: `make -C mmap demo`.
source ../mk/demo.bash

demo_title "mmap_write/mmap_read: a number survives in a mapped file (ALP mmap-write.c, mmap-read.c)"
demo_run mmap_write "$BIN/mmap_write" integer-file
demo_run mmap_read "$BIN/mmap_read" integer-file
demo_run mmap_read "$BIN/mmap_read" integer-file
demo_note "two reads: the file now holds four times the first value"

demo_title "mmap_access/read_access: test_file read NTHLOOP times (LG listing1.c, listing2.c)"
demo_run mmap_access "$BIN/mmap_access"
demo_run read_access "$BIN/read_access"
demo_note "the same sum; read(2) pays a system call and a copy for every access"
head -c $((8 * 1024 * 1024)) /dev/urandom >data.bin
demo_run mmap_access "$BIN/mmap_access" -n 2 data.bin
demo_run read_access "$BIN/read_access" -b 16 -n 2 data.bin
demo_note "a large file read 16 bytes at a time: one read(2) per 16 bytes"

demo_title "cow_private: mmap's third and fourth arguments (LG: 'experiment with them')"
demo_run cow_private "$BIN/cow_private" 'PROT_READ|PROT_WRITE' MAP_SHARED
demo_run cow_private "$BIN/cow_private" 'PROT_READ|PROT_WRITE' MAP_PRIVATE
demo_run cow_private "$BIN/cow_private" PROT_READ MAP_SHARED
demo_note "MAP_PRIVATE: the write stays in this process's copy of the page"

demo_title "mycp3: copy through two mappings (KHU mycp3.c)"
chmod 640 data.bin
demo_run mycp3 "$BIN/mycp3" data.bin copy.bin
demo_run cmp cmp data.bin copy.bin
demo_run ls ls -l data.bin copy.bin

demo_title "mipc: parent and child take turns on a shared counter (KHU mipc.c)"
demo_run mipc "$BIN/mipc" -v -n 3 zero
demo_run mipc "$BIN/mipc" -n 1000 anon
demo_run mipc "$BIN/mipc" -u -n 10000000 anon
demo_note "-u: without the turns, updates are lost (SYS: mapped memory is not atomic)"

# The producers wait for Enter on stdin: here a FIFO that this script holds
# open and writes a line into when it is time.
mkfifo control
exec 4<>control

# wait_gone FILE -- wait (5 s at most) until the program that owns FILE has
# removed it, that is, has finished.
wait_gone() {
	local i
	for ((i = 0; i < 100; i++)); do
		[[ -e $1 ]] || return 0
		sleep 0.05
	done
}

demo_title "mmap_producer/mmap_consumer: Hello World through shared.dat (SYS)"
demo_start mmap_producer 'memory mapped' bash -c 'exec "$0" <control' "$BIN/mmap_producer"
demo_run mmap_consumer "$BIN/mmap_consumer"
echo >&4 # Enter
wait_gone shared.dat
demo_stop

demo_title "car_write/car_read: pointers do not survive in another process (SYS)"
demo_run car_write "$BIN/car_write"
demo_run car_read "$BIN/car_read"

demo_title "queue_producer/queue_consumer: a bounded queue in a mapped file (SYS mmap_locks)"
demo_start queue_producer 'enqueued 4' bash -c 'exec "$0" -n 10 <control' "$BIN/queue_producer"
demo_note "five messages in, and the producer waits for a free slot"
demo_start queue_consumer '^10: 9' "$BIN/queue_consumer"
echo >&4 # Enter
wait_gone shared.dat
demo_stop
demo_note "the consumer never ends by itself: SIGTERM stopped it"

demo_title "fcntl_queue: producers and consumer in any order (beyond the queue pair)"
demo_start consumer 'created a new queue' "$BIN/fcntl_queue" get -p 2 queue.dat
demo_run producer-1 "$BIN/fcntl_queue" put -n 3 -i 1 queue.dat
demo_run producer-2 "$BIN/fcntl_queue" put -n 3 -i 2 queue.dat
wait_gone queue.dat # the consumer ends after the second end marker
demo_stop
exec 4>&-

demo_title "robust_queue: a queue no kill -9 can freeze or rob (beyond the queue pair)"
demo_run make "$BIN/robust_queue" make robust.dat
demo_run put-1 "$BIN/robust_queue" put -n 3 -i 1 robust.dat
printf 'hello\nworld\n' | demo_run put-2 "$BIN/robust_queue" put -i 2 robust.dat
demo_start get '^2 2 world' "$BIN/robust_queue" get robust.dat
demo_stop
demo_note "get prints a message under the lock and takes it out after: killed in between,"
demo_note "the next get prints it again (at least once); a death holding the lock is EOWNERDEAD"
rm robust.dat
