module example.com/brdl/greeting

go 1.19
