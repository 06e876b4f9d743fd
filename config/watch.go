package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// WatchDebounce is how long Watch waits after the last change of the file
// before reading it: editors write a file in several steps.
const WatchDebounce = 200 * time.Millisecond

// Watch reports every change of the config file at path until ctx ends:
// onChange gets the newly loaded config, or the error that makes it unusable
// (the caller then keeps the config it runs on). It watches the directory,
// not the file, because editors and AddFeed replace the file by a rename,
// and a watch on the file itself would be lost with the old inode. Changes
// that leave the file's bytes as they were are not reported.
//
// Watch returns once the watch is set up; onChange is called from one
// goroutine, never concurrently.
func Watch(ctx context.Context, path string, onChange func(*Config, error)) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("config: watch: %w", err)
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("config: watch: %w", err)
	}
	dir := filepath.Dir(abs)
	if err := w.Add(dir); err != nil {
		w.Close()
		return fmt.Errorf("config: watch %s: %w", dir, err)
	}
	last, _ := os.ReadFile(abs)
	// A symlinked file (a Kubernetes ConfigMap) changes when a link elsewhere
	// in the directory is swapped: then any event may be ours.
	fi, _ := os.Lstat(abs)
	linked := fi != nil && fi.Mode()&os.ModeSymlink != 0
	go func() {
		defer w.Close()
		timer := time.NewTimer(time.Hour)
		timer.Stop()
		defer timer.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				if linked || filepath.Clean(ev.Name) == abs {
					timer.Reset(WatchDebounce)
				}
			case err, ok := <-w.Errors:
				if !ok {
					return
				}
				// Events may have been dropped: look at the file anyway.
				slog.Warn("config: watch", "path", abs, "err", err)
				timer.Reset(WatchDebounce)
			case <-timer.C:
				data, err := os.ReadFile(abs)
				if err != nil {
					if os.IsNotExist(err) {
						// Removed, perhaps mid-way through an editor's save: a
						// new file will bring a new event.
						slog.Warn("config: file removed; keeping the running config", "path", abs)
						continue
					}
					onChange(nil, fmt.Errorf("config: %w", err))
					continue
				}
				if last != nil && bytes.Equal(data, last) {
					continue
				}
				last = data
				onChange(loadBytes(path, data))
			}
		}
	}()
	return nil
}

// loadBytes is Load of bytes already read.
func loadBytes(path string, data []byte) (*Config, error) {
	cfg, err := Parse(data)
	if err != nil {
		var list Errors
		if errors.As(err, &list) {
			return nil, FileErrors{Path: path, Errors: list}
		}
		return nil, fmt.Errorf("config: %s: %w", path, err)
	}
	cfg.Path = path
	if tok := os.Getenv(TokenEnv); tok != "" {
		cfg.Telegram.Token = Secret(tok)
	}
	return cfg, nil
}
