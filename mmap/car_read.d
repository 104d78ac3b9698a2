car_read.o: car_read.c car.h
car.h:
