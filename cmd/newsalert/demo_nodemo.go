//go:build nodemo

package main

import (
	"context"
	"fmt"
	"io"
)

// runDemo in a release build: the demo links the whole Telegram fake
// (bot/telegramtest), which a production binary has no use for.
func runDemo(_ context.Context, _ []string, _ io.Reader, _, stderr io.Writer) error {
	fmt.Fprintln(stderr, `newsalert demo is not in this build (built with -tags nodemo, as releases and the Docker image are).
Run it from a clone of the repository:  go run ./cmd/newsalert demo`)
	return errReported
}
