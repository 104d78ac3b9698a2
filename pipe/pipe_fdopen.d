pipe_fdopen.o: pipe_fdopen.c
