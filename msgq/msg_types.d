msg_types.o: msg_types.c
