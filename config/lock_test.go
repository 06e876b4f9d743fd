package config

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// editorEnv makes the test binary an editor process: it adds editorCount
// feeds, one edit each, to the file named, with ids prefixed by its value.
const (
	editorEnv   = "NEWSALERT_TEST_EDITOR"
	editorFile  = "NEWSALERT_TEST_EDITOR_FILE"
	editorCount = 15
)

func TestMain(m *testing.M) {
	if prefix := os.Getenv(editorEnv); prefix != "" {
		if err := addMany(os.Getenv(editorFile), prefix); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func addMany(path, prefix string) error {
	for i := range editorCount {
		id := prefix + "-" + strconv.Itoa(i)
		if err := AddFeed(path, Feed{ID: id, URL: "https://" + id + ".example/rss"}); err != nil {
			return err
		}
	}
	return nil
}

// Two processes edit config.yaml at once, as a shell `feeds add` beside the
// bot's /addfeed: every edit of both is in the file.
func TestConcurrentEditorsLoseNoEdit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte("# editors\nfeeds:\n  - {id: first, url: \"https://first.example/rss\"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var cmds []*exec.Cmd
	for _, prefix := range []string{"p1", "p2"} {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), editorEnv+"="+prefix, editorFile+"="+path)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	// And this process too, at the same time.
	if err := addMany(path, "p0"); err != nil {
		t.Error(err)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("editor process: %v", err)
		}
	}
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, f := range cfg.Feeds {
		have[f.ID] = true
	}
	lost := 0
	for _, prefix := range []string{"p0", "p1", "p2"} {
		for i := range editorCount {
			if !have[prefix+"-"+strconv.Itoa(i)] {
				lost++
			}
		}
	}
	if lost > 0 || !have["first"] {
		t.Errorf("%d of %d edits lost (first kept: %v)", lost, 3*editorCount, have["first"])
	}
}
