mech_msg.o: mech_msg.c ipcbench.h
ipcbench.h:
