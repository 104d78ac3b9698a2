handler.o: handler.c
