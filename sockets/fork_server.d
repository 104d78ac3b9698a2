fork_server.o: fork_server.c
