udp_client.o: udp_client.c
