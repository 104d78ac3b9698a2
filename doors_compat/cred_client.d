cred_client.o: cred_client.c door.h
door.h:
