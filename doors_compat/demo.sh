#!/usr/bin/env bash
# doors_compat/demo.sh -- the tour of doors_compat/ (make -C doors_compat demo):
# the lecture's door pair, then UNP vol. 2's door examples, on the door library.
source ../mk/demo.bash

demo_title "doors_compat: the lecture's door server and client"
demo_start door_server 'door attached' "$BIN/door_server" hello.door
demo_run door_client "$BIN/door_client" hello.door 1 "good morning"
demo_run door_client "$BIN/door_client" hello.door 2
demo_note "door_info: a door names its server; a plain file is no door (EBADF)"
demo_run doorinfo "$BIN/doorinfo" hello.door
echo "just a file" >plain
demo_run doorinfo "$BIN/doorinfo" plain
demo_note "fdetach takes the door off the path; the server gets its DOOR_UNREF call"
demo_run fdetach "$BIN/fdetach" hello.door
demo_stop

demo_title "UNP 15.3 and 15.8: a square through a door, and a result buffer too small"
demo_start square_server 'door attached' "$BIN/square_server" square.door
demo_run square_client "$BIN/square_client" square.door 12
demo_run square_client "$BIN/square_client" -b 3 square.door 12
demo_stop

demo_title "UNP 15.9: descriptors through a door, both ways"
seq 1 3 >three.txt
demo_start file_server 'door attached' "$BIN/file_server" files.door
demo_note "the server opens three.txt and returns the descriptor"
demo_run file_client "$BIN/file_client" files.door three.txt
demo_note "-s: the client sends its standard output, the server writes into it"
demo_run file_client "$BIN/file_client" -s files.door three.txt
demo_stop

demo_title "UNP 15.6: door_cred, who is calling"
demo_start cred_server 'door attached' "$BIN/cred_server" cred.door
demo_run cred_client "$BIN/cred_client" cred.door
demo_stop

demo_title "UNP 15.8: three calls of a second each, served at the same time"
demo_start slow_server 'door attached' "$BIN/slow_server" -t 1000 slow.door
clients=()
for i in 1 2 3; do
	demo_run slow_client "$BIN/slow_client" slow.door &
	clients+=($!)
done
wait "${clients[@]}" # (a bare wait would wait for the servers' labellers too)
demo_stop

demo_title "the errors, as illumos documents them"
demo_run door_errors "$BIN/door_errors" scratch.door
