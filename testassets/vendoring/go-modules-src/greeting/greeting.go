// Package greeting is the one dependency of the go-hello vendoring sample.
package greeting

// Greeting is what the sample prints.
func Greeting() string { return "Hello from a vendored module" }
