spool_submit.o: spool_submit.c
