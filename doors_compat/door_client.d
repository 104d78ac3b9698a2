door_client.o: door_client.c door.h hello.h
door.h:
hello.h:
