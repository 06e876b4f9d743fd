// Command newsalert is a Telegram bot that delivers news alerts.
//
// Usage:
//
//	newsalert run -config config.yaml           run the bot
//	newsalert demo                              the bot in this terminal: no token, no network
//	newsalert check-config -config config.yaml  say what is wrong with a config
//	newsalert poll -once -config config.yaml    poll every feed once and print what is new
//	newsalert match -config F -since 7d QUERY   what a query would have matched
//	newsalert feeds list|add|remove|pause|resume|import|export -config F
//	newsalert subscriptions export|import -config F [FILE]
//	newsalert version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // time zones work in a static binary on a bare image
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

var (
	// errUsage is returned for a bad command line; the usage text is already out.
	errUsage = errors.New("usage")
	// errReported is a failure already explained on stderr.
	errReported = errors.New("reported")
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// exitCode is the process's exit status for what run returned: 0 only on
// success, so systemd's Restart=on-failure and Docker's restart policies
// start a bot whose worker stopped.
func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage):
		return 2
	case errors.Is(err, errReported):
		return 1
	default:
		fmt.Fprintln(stderr, "newsalert:", err)
		return 1
	}
}

const usage = `newsalert: a Telegram bot that delivers news alerts.

Commands:
  run -config F            run the bot
  demo                     the bot in this terminal, against a local fake Telegram and local feeds
  check-config -config F   check a config file and say what is wrong with it
  poll -once -config F     poll every feed once; print new articles and why failing feeds fail
  match -config F [-since 7d] QUERY
                           run a subscription query over stored recent articles
  stories -config F [-since 24h] [-outlet NAME]
                           recent stories of outlets: their editions and how each was paired
  feeds list|add|remove|pause|resume|import|export -config F ...
                           edit the feed list (the running bot follows)
  subscriptions export|import -config F [FILE]
                           back up and restore every chat's subscriptions (JSON lines)
  healthcheck -config F    ask a running bot's /healthz (exit 0 when healthy)
  version                  print the version

Run "newsalert COMMAND -h" for a command's flags.
`

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "run":
		return runBot(ctx, args, stderr)
	case "demo":
		return runDemo(ctx, args, stdin, stdout, stderr)
	case "check-config":
		return checkConfig(args, stdout, stderr)
	case "poll":
		return pollOnce(ctx, args, stdout, stderr)
	case "match":
		return matchQuery(ctx, args, stdout, stderr)
	case "stories":
		return storiesCmd(ctx, args, stdout, stderr)
	case "feeds":
		return feedsCmd(ctx, args, stdin, stdout, stderr)
	case "subscriptions":
		return subscriptionsCmd(ctx, args, stdin, stdout, stderr)
	case "healthcheck":
		return healthCheck(ctx, args, stdout, stderr)
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, "newsalert", version)
		return nil
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "newsalert: unknown command %q\n\n%s", cmd, usage)
	return errUsage
}

// flags makes a command's flag set, with the usual -config flag.
func flags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("newsalert "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "config.yaml", "configuration file")
	return fs, path
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	return nil
}
