door_server.o: door_server.c door.h door_file.h hello.h
door.h:
door_file.h:
hello.h:
