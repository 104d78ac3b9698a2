#!/usr/bin/env bash
# doors_compat/demo.sh -- the tour of doors_compat/ (make -C doors_compat demo):
# the lecture's door pair, then UNP vol. 2's door examples, on the door library.
source ../mk/demo.bash

demo_title "doors_compat: the lecture's door server and client"
demo_start door_server 'door attached' "$BIN/door_server" hello.door
demo_run door_client "$BIN/door_client" hello.door 12
demo_run door_client "$BIN/door_client" hello.door 13
demo_note "door_info: a door names its server; a plain file is no door (EBADF)"
demo_run doorinfo "$BIN/doorinfo" hello.door
echo "just a file" >plain
demo_run doorinfo "$BIN/doorinfo" plain
demo_stop

demo_title "UNP: a square through a door, and a result buffer too small"
demo_start square_server 'door attached' "$BIN/square_server" square.door
demo_run square_client "$BIN/square_client" square.door 12
demo_run square_client "$BIN/square_client" -b 3 square.door 12
demo_stop

demo_title "UNP: DOOR_UNREF: fdetach tells the server that no path leads to it"
demo_start unref_server 'door attached' "$BIN/unref_server" unref.door
demo_run doorinfo "$BIN/doorinfo" unref.door
demo_run fdetach "$BIN/fdetach" unref.door
demo_run doorinfo "$BIN/doorinfo" unref.door # no door there any more
demo_stop
rm -f unref.door # made by unref_server, which lost it to fdetach: it leaves it
demo_note "beyond UNP: DOOR_UNREF_MULTI, copies of a door handed out and closed"
demo_run unref_multi "$BIN/unref_multi"

demo_title "UNP: door_server_create: the server makes its threads, calls reuse them"
demo_start pool_server 'door attached' "$BIN/pool_server" pool.door
for n in 1 2 3; do
	demo_run square_client "$BIN/square_client" pool.door "$n"
done
demo_stop
demo_note "beyond UNP: a private pool of two threads (door_bind), four calls at once"
demo_start bind_server 'door attached' "$BIN/bind_server" -n 2 -t 500 bind.door
clients=()
for n in 1 2 3 4; do
	demo_run square_client "$BIN/square_client" bind.door "$n" &
	clients+=($!)
done
wait "${clients[@]}"
demo_stop

demo_title "UNP: descriptors through a door"
seq 1 3 >three.txt
demo_start file_server 'door attached' "$BIN/file_server" files.door
demo_note "the server opens three.txt and returns the descriptor"
demo_run file_client "$BIN/file_client" files.door three.txt
demo_stop
demo_note "beyond UNP: the client sends its standard output, the server writes into it"
demo_start copy_server 'door attached' "$BIN/copy_server" copy.door
demo_run copy_client "$BIN/copy_client" copy.door three.txt
demo_stop

demo_title "UNP: door_cred, who is calling"
demo_start cred_server 'door attached' "$BIN/cred_server" cred.door
demo_run cred_client "$BIN/cred_client" cred.door
demo_stop
demo_note "beyond UNP: door_ucred, the call that replaced door_cred"
demo_start ucred_server 'door attached' "$BIN/ucred_server" ucred.door
demo_run cred_client "$BIN/cred_client" ucred.door
demo_stop

demo_title "UNP: three calls of two seconds each, served at the same time"
demo_start slow_server 'door attached' "$BIN/slow_server" slow.door 2
clients=()
for i in 1 2 3; do
	demo_run slow_client "$BIN/slow_client" slow.door &
	clients+=($!)
done
wait "${clients[@]}" # (a bare wait would wait for the servers' labellers too)
demo_stop

demo_title "the errors, as illumos documents them"
demo_run door_errors "$BIN/door_errors" scratch.door
