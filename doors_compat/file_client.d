file_client.o: file_client.c door.h file_proto.h
door.h:
file_proto.h:
