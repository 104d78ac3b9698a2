spool_run.o: spool_run.c
