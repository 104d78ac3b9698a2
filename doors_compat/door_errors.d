door_errors.o: door_errors.c door.h
door.h:
