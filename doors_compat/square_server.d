square_server.o: square_server.c door.h door_file.h
door.h:
door_file.h:
