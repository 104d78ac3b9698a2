slow_client.o: slow_client.c door.h slow_proto.h
door.h:
slow_proto.h:
