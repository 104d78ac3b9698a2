benchsvg.o: benchsvg.c
