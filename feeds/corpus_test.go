package feeds

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestCorpus parses every file under $NEWSALERT_CORPUS (a directory of real
// feeds that is not part of the repository) and logs items or the reason.
func TestCorpus(t *testing.T) {
	dir := os.Getenv("NEWSALERT_CORPUS")
	if dir == "" {
		t.Skip("NEWSALERT_CORPUS not set")
	}
	p := NewParser()
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || filepath.Ext(path) == ".md" {
			return nil
		}
		b, _ := os.ReadFile(path)
		if bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err == nil {
				b, _ = io.ReadAll(io.LimitReader(zr, 10<<20))
			}
		}
		rel, _ := filepath.Rel(dir, path)
		f, err := p.Parse(b, "", now)
		if err != nil {
			t.Logf("%-60s error: %s", rel, Reason(err))
			return nil
		}
		first := ""
		if len(f.Articles) > 0 {
			a := f.Articles[0]
			first = a.Title + " | " + a.Published.Format(time.RFC3339) + " | " + a.Link
		}
		t.Logf("%-60s %3d items lang=%q repaired=%v first: %.150s", rel, len(f.Articles), f.Language, f.Repaired, first)
		return nil
	})
}
