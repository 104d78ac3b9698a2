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
demo_note "recv only opens send's queue (no IPC_CREAT): before send, there is none"
{ "$BIN/recv" 2>&1 || true; } | label recv
demo_note "ipcs -q before send: no queue of ours"
show_queue 76
printf '%s\n' "first line" "second line" | demo_run send "$BIN/send"
demo_note "ipcs -q after: send has ended; its queue holds 2 lines and the end message"
show_queue 76
demo_run recv "$BIN/recv"
show_queue 76
demo_note "send still reading (a line a second) while recv waits in msgrcv:"
demo_start send 'one message per line' \
	bash -c '{ sleep 1; echo "typed line 1"; sleep 1; echo "typed line 2"; } | exec "$0"' "$BIN/send"
demo_start recv 'waiting for messages' "$BIN/recv"
timeout 10 tail --pid="${DEMO_PIDS[-1]}" -f /dev/null # recv ends with send's input
demo_stop
echo

demo_title "msg_types: what msgrcv's type argument selects (KHU)"
demo_run msg_types "$BIN/msg_types"
echo

demo_title "msg_stat: msqid_ds, IPC_SET, and IPC_NOWAIT's EAGAIN and ENOMSG (KHU)"
demo_run msg_stat "$BIN/msg_stat"
echo

demo_title "beyond: posix_mq_send / posix_mq_recv: POSIX queues deliver by priority"
name=/labdemo-mq-$$
demo_run posix_mq_send "$BIN/posix_mq_send" -p 1 "$name" "low priority"
demo_run posix_mq_send "$BIN/posix_mq_send" -p 9 "$name" "urgent"
demo_run posix_mq_send "$BIN/posix_mq_send" -p 5 "$name" "middling"
demo_run posix_mq_recv "$BIN/posix_mq_recv" "$name"
echo

demo_title "beyond: msgq_server / msgq_client: one queue, replies by mtype = pid"
demo_start msgq_server 'serving$' "$BIN/msgq_server"
for i in 1 2 3; do
	demo_run "msgq_client $i" "$BIN/msgq_client" "hello from client $i"
done
demo_stop
echo

demo_title "beyond: mq_notify: told by a signal when the empty queue gets a message"
name=/labdemo-notify-$$
demo_start mq_notify 'waiting' "$BIN/mq_notify" -w 2 "$name"
demo_run posix_mq_send "$BIN/posix_mq_send" "$name" "first"
demo_run posix_mq_send "$BIN/posix_mq_send" "$name" "second" "third"
timeout 10 tail --pid="${DEMO_PIDS[-1]}" -f /dev/null # it ends 2 s after the last message
demo_stop
