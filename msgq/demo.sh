#!/usr/bin/env bash
# msgq/demo.sh -- the instructor's tour of msgq/ (make -C msgq demo): System V
# queues in lecture order, then the POSIX counterpart. Leaves nothing behind.
source ../mk/demo.bash

# show_queue PROJ -- the `ipcs -q` header and the row of our queue, found by
# the key ftok(".", PROJ) gives (computed here as ftok does on Linux).
show_queue() {
	local dev ino key
	read -r dev ino < <(stat -L -c '%d %i' .)
	key=$(printf '0x%08x' $(((($1 & 0xff) << 24) | ((dev & 0xff) << 16) | (ino & 0xffff))))
	ipcs -q | awk -v k="$key" 'NR == 3 || $1 == k' | label "ipcs -q"
}

demo_title "msgq1 / msgq2: typed messages wait in the kernel (KHU)"
demo_run msgq1 "$BIN/msgq1" -n 3 "hello from msgq1"
demo_note "msgq1 has ended; its queue has not:"
show_queue 75
demo_run msgq2 "$BIN/msgq2"
show_queue 75
echo

demo_title "send / recv: lines of text through a queue (LG)"
printf '%s\n' "first line" "second line" | demo_run send "$BIN/send"
show_queue 76
demo_run recv "$BIN/recv"
demo_note "recv started first waits for send:"
demo_start recv 'waiting for messages' "$BIN/recv"
printf '%s\n' "late line 1" "late line 2" | demo_run send "$BIN/send"
demo_stop
echo

demo_title "msg_types: what msgrcv's type argument selects (KHU)"
demo_run msg_types "$BIN/msg_types"
echo

demo_title "msg_stat: msqid_ds, IPC_SET, and IPC_NOWAIT's EAGAIN and ENOMSG (KHU)"
demo_run msg_stat "$BIN/msg_stat"
echo

demo_title "posix_mq_send / posix_mq_recv: POSIX queues deliver by priority"
name=/labdemo-mq-$$
demo_run posix_mq_send "$BIN/posix_mq_send" -p 1 "$name" "low priority"
demo_run posix_mq_send "$BIN/posix_mq_send" -p 9 "$name" "urgent"
demo_run posix_mq_send "$BIN/posix_mq_send" -p 5 "$name" "middling"
demo_run posix_mq_recv "$BIN/posix_mq_recv" "$name"
