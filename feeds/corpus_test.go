package feeds

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCorpus serves every file under $NEWSALERT_CORPUS (real feeds kept
// outside the repository) from a local server, polls each once and logs
// what it yields: items and the first title, or the failure's reason.
//
//	NEWSALERT_CORPUS=/path/to/feeds go test ./feeds -run TestCorpus -v
func TestCorpus(t *testing.T) {
	dir := os.Getenv("NEWSALERT_CORPUS")
	if dir == "" {
		t.Skip("NEWSALERT_CORPUS not set")
	}
	fs := newFeedServer(t)
	r := newRig(t, nil)
	var srcs []Source
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".md") {
			return nil
		}
		body, err := os.ReadFile(path)
		if err != nil {
			t.Error(err)
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		ct := "application/xml"
		if strings.HasSuffix(path, ".json") {
			ct = "application/json"
		}
		srcs = append(srcs, Source{ID: rel, URL: fs.set("/"+rel, doc{body: body, contentType: ct})})
		return nil
	})
	for _, res := range r.poller.PollAll(context.Background(), srcs) {
		if res.Err != nil {
			t.Logf("%-55s error: %s", res.Source.ID, res.Reason)
			continue
		}
		first := ""
		if len(res.Parsed) > 0 {
			first = res.Parsed[0].Title
		}
		t.Logf("%-55s %3d items, %3d kept; first: %.70s", res.Source.ID, res.Items, len(res.Parsed), first)
	}
}
