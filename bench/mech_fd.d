mech_fd.o: mech_fd.c ipcbench.h
ipcbench.h:
