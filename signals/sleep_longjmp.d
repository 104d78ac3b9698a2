sleep_longjmp.o: sleep_longjmp.c
