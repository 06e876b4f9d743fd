package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/newsalert/newsalert/config"
)

func checkConfig(args []string, stdout, stderr io.Writer) error {
	fs, path := flags("check-config", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := config.Load(*path)
	var problems config.FileErrors
	if errors.As(err, &problems) {
		fmt.Fprintln(stderr, problems)
		fmt.Fprintf(stderr, "%s: %s; nothing was started\n", *path, count(len(problems.Errors), "problem", "problems"))
		return errReported
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: OK: %s, %s, %s, schedule %q\n", *path, count(len(cfg.Feeds), "feed", "feeds"),
		count(len(cfg.Topics), "topic", "topics"), count(len(cfg.Telegram.Admins), "admin", "admins"), cfg.Fetch.Schedule)
	for _, n := range cfg.Notes() {
		fmt.Fprintf(stdout, "note: %s\n", n)
	}
	if cfg.Telegram.Token == "" {
		fmt.Fprintf(stdout, "note: no Telegram token yet: set telegram.token or %s before `newsalert run`\n", config.TokenEnv)
	}
	return nil
}
