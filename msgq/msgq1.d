msgq1.o: msgq1.c
