slow_server.o: slow_server.c door.h door_file.h slow_proto.h
door.h:
door_file.h:
slow_proto.h:
