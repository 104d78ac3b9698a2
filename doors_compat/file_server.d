file_server.o: file_server.c door.h door_file.h file_proto.h
door.h:
door_file.h:
file_proto.h:
