#!/usr/bin/env bash
# sockets/demo.sh -- the instructor's tour of sockets/: the lecture's TCP pair and its
# limit, poll_server, a real protocol (HTTP), UDP, and a concurrent server. Every
# server binds port 0 and says which port it got.
source ../mk/demo.bash

# port_of -- the port the server demo_start started last printed.
port_of() {
	sed -n 's/.*listening on [0-9.]* port \([0-9][0-9]*\)$/\1/p' "$DEMO_LOG" | head -n 1
}

demo_title "sockets: server and client (LG, CE): TCP on loopback, one client at a time"
demo_start server 'listening on' "$BIN/server" 0
port=$(port_of)
demo_note "the client writes each line of its stdin and reads back as many bytes"
printf 'hello, server\nsockets are streams: read and write in turn\n' |
	demo_run client "$BIN/client" "$port"
demo_note "its limit: while a silent client is connected, the next one waits"
exec 5<>"/dev/tcp/127.0.0.1/$port"
echo "anyone?" | timeout 1 "$BIN/client" "$port" 2>&1 | label client
demo_note "(no reply within 1 s: timeout ended that client; now the silent one leaves)"
exec 5>&-
echo "served once the silent one left" | demo_run client "$BIN/client" "$port"
demo_stop
demo_note "run the client without the server (LG):"
echo "hello?" | "$BIN/client" "$port" 2>&1 | label client || true

demo_title "sockets: poll_server, many clients in one process (beyond the lectures)"
demo_start poll_server 'listening on' "$BIN/poll_server" 0
port=$(port_of)
exec 5<>"/dev/tcp/127.0.0.1/$port"
demo_note "a silent client is connected, and still the next one is served at once"
echo "served anyway" | demo_run client "$BIN/client" "$port"
exec 5>&-
demo_stop

demo_title "sockets: socket_inet fetches a page from the lab's http_server"
printf 'A page served from a file.\n' >page.txt
demo_start http_server 'listening on' "$BIN/http_server" -f page.txt 0
demo_run socket_inet "$BIN/socket_inet" 127.0.0.1 "$(port_of)" /
demo_stop

demo_title "sockets: udp_server and udp_client (one datagram per line, no connection)"
demo_start udp_server 'listening on' "$BIN/udp_server" 0
printf 'first datagram\nsecond datagram\n' | demo_run udp_client "$BIN/udp_client" "$(port_of)"
demo_stop
demo_note "with the server gone the client says so (or times out) instead of hanging:"
echo "anyone there?" | timeout 10 "$BIN/udp_client" -t 1 "$(port_of)" 2>&1 | label udp_client

demo_title "sockets: fork_server, one child per client, every child reaped"
demo_start fork_server 'listening on' "$BIN/fork_server" 0
port=$(port_of)
clients=()
for i in 1 2 3 4 5; do
	echo "client $i at the same time" | timeout 10 "$BIN/client" "$port" 2>&1 | label "client $i" &
	clients+=("$!")
done
wait "${clients[@]}"
demo_note "five children forked, five reaped: no zombie under the server"
demo_stop
