// Command newsalert is a Telegram bot that delivers news alerts.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "newsalert: under construction")
	os.Exit(2)
}
