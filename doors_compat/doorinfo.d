doorinfo.o: doorinfo.c door.h
door.h:
