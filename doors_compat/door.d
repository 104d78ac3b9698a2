door.o: door.c door.h
door.h:
