mycp3.o: mycp3.c
