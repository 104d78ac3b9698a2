ipcbench.o: ipcbench.c ipcbench.h
ipcbench.h:
