#!/usr/bin/env bash
# sockets/demo.sh -- the instructor's tour of sockets/: the lecture's TCP pair and its
# limit, poll_server, a real protocol (HTTP), UDP, a concurrent server, and beyond the
# lectures epoll, the half-close, multicast and IPv6. Every server binds port 0 and
# says which port it got.
source ../mk/demo.bash

# port_of -- the port the server demo_start started last printed.
port_of() {
	sed -nE 's/.*listening on ([0-9.]+ port |\[.*\]:)([0-9]+)( \(.*\))?$/\2/p' "$DEMO_LOG" | head -n 1
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
demo_note "and one child past the -t time limit is dropped, with a word to its client"
demo_start fork_server 'listening on' "$BIN/fork_server" -t 1 0
exec 5<>"/dev/tcp/127.0.0.1/$(port_of)"
timeout 5 head -n 1 <&5 | label "silent client"
exec 5>&-
demo_stop

demo_title "sockets: epoll_server, edge- and level-triggered (beyond the lectures, Linux)"
head -c 300000 /dev/urandom | base64 >big
for mode in edge level; do
	demo_start epoll_server 'listening on' "$BIN/epoll_server" $([[ $mode == level ]] && echo -l) 0
	demo_note "$mode-triggered: the same 400 KB; see how many events the client cost"
	"$BIN/half_close" "$(port_of)" <big | cmp - <(tr a-z A-Z <big) && demo_note "the answer is whole"
	sleep 0.2 # the server's last log line for the client
	demo_stop
done

demo_title "sockets: half_close, shutdown(SHUT_WR): all sent, and the whole answer still comes"
demo_start server 'listening on' "$BIN/server" 0
printf 'all of this is sent first,\nthen the client half-closes\n' | demo_run half_close "$BIN/half_close" "$(port_of)"
demo_stop

demo_title "sockets: udp_multicast, one datagram to a group, every member gets it"
demo_start receiver-1 'joined' "$BIN/udp_multicast" -r -c 2 239.255.1.2 0
port=$(sed -n 's/.* port \([0-9]*\) on .*/\1/p' "$DEMO_LOG")
demo_start receiver-2 'joined' "$BIN/udp_multicast" -r -c 2 239.255.1.2 "$port"
printf 'to everyone\nonce more\n' | demo_run sender "$BIN/udp_multicast" -s 239.255.1.2 "$port"
sleep 0.2 # both receivers print, then end after two datagrams
demo_stop

demo_title "sockets: inet6_server and inet6_client, IPv6 and IPv4 with the same code"
if grep -qs '^0\{31\}1 ' /proc/net/if_inet6; then # ::1 is there
	demo_start inet6_server 'listening on' "$BIN/inet6_server" 0 ::
	echo "over IPv6" | demo_run inet6_client "$BIN/inet6_client" ::1 "$(port_of)"
	demo_note "dual-stack: an IPv4 client is seen as an IPv4-mapped IPv6 address"
	echo "over IPv4" | demo_run inet6_client "$BIN/inet6_client" 127.0.0.1 "$(port_of)"
	demo_stop
else
	demo_note "(no IPv6 on this machine)"
fi
