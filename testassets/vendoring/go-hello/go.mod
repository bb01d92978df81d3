module example.com/brdl/go-hello

go 1.19

require example.com/brdl/greeting v0.1.0
