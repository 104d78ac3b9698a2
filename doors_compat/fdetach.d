fdetach.o: fdetach.c door.h
door.h:
