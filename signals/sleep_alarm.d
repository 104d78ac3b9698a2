sleep_alarm.o: sleep_alarm.c
