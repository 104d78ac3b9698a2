mech_shm.o: mech_shm.c ipcbench.h
ipcbench.h:
