car_write.o: car_write.c car.h
car.h:
