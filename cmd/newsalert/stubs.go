package main

import (
	"context"
	"errors"
	"io"
)

var errNotYet = errors.New("not built yet")

func runBot(ctx context.Context, args []string, stderr io.Writer) error { return errNotYet }
func runDemo(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return errNotYet
}
func pollOnce(ctx context.Context, args []string, stdout, stderr io.Writer) error { return errNotYet }
func matchQuery(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errNotYet
}
