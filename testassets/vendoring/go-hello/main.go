package main

import (
	"fmt"

	"example.com/brdl/greeting"
)

func main() {
	fmt.Println(greeting.Greeting())
}
