package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// healthCheck asks a running bot's /healthz, for container health checks
// (the image has no curl): exit 0 when healthy, 1 with the reasons if not.
func healthCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := flags("healthcheck", stderr)
	addr := fs.String("addr", "", "host:port of http.listen (default: read from -config)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *addr == "" {
		cfg, err := loadConfig(*path, stderr)
		if err != nil {
			return err
		}
		if cfg.HTTP.Listen == "" {
			return fmt.Errorf("http.listen is empty in %s: no health endpoint to ask", *path)
		}
		*addr = cfg.HTTP.Listen
	}
	host := *addr
	if strings.HasPrefix(host, ":") {
		host = "127.0.0.1" + host
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+host+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	fmt.Fprintln(stdout, strings.TrimSpace(string(body)))
	if resp.StatusCode != http.StatusOK {
		return errReported
	}
	return nil
}
