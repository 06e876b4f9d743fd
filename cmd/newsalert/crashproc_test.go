//go:build integration

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/newsalert/newsalert/bot/telegramtest"
)

// The kill -9 tests run the real binary as a child process: these are the
// build, start and kill steps they share.

// buildBinary builds newsalert (pure Go, as users build it) into dir.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "newsalert")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// startBinary starts `bin run -config cfgPath`, logging to dir/name.log; the
// process is killed at the end of the test if it still runs.
func startBinary(t *testing.T, bin, cfgPath, dir, name string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "run", "-config", cfgPath)
	log, err := os.Create(filepath.Join(dir, name+".log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait(); log.Close() })
	return cmd
}

// killBinary sends SIGKILL (no chance to flush anything) and reaps the process.
func killBinary(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
}

// sentContaining counts, per chat, the sendMessage calls whose text holds s.
func sentContaining(tg *telegramtest.Server, s string) map[int64]int {
	n := map[int64]int{}
	for _, m := range tg.AllSent() {
		if m.Method == "sendMessage" && strings.Contains(m.Text, s) {
			n[m.ChatID]++
		}
	}
	return n
}
