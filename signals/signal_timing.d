signal_timing.o: signal_timing.c
