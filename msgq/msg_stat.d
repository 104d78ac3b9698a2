msg_stat.o: msg_stat.c
