cred_server.o: cred_server.c door.h door_file.h
door.h:
door_file.h:
