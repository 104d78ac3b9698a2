lockfile.o: lockfile.c
