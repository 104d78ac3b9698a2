square_client.o: square_client.c door.h
door.h:
