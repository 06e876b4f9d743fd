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
		fmt.Fprintf(stderr, "%s: %d problem(s); nothing was started\n", *path, len(problems.Errors))
		return errReported
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: OK: %d feeds, %d topics, %d admins, schedule %q\n",
		*path, len(cfg.Feeds), len(cfg.Topics), len(cfg.Telegram.Admins), cfg.Fetch.Schedule)
	for _, n := range cfg.Notes() {
		fmt.Fprintf(stdout, "note: %s\n", n)
	}
	if cfg.Telegram.Token == "" {
		fmt.Fprintf(stdout, "note: no Telegram token yet: set telegram.token or %s before `newsalert run`\n", config.TokenEnv)
	}
	return nil
}
