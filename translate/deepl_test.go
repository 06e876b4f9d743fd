package translate

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/newsalert/newsalert/feeds"
	"github.com/newsalert/newsalert/store"
)

// TestDeepL: the second provider, against a fake of DeepL's JSON API.
func TestDeepL(t *testing.T) {
	var quota atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v2/translate" || r.Header.Get("Authorization") != "DeepL-Auth-Key k3y:fx" {
			w.WriteHeader(403)
			fmt.Fprint(w, `{"message":"Wrong endpoint or key"}`)
			return
		}
		if quota.Load() {
			w.WriteHeader(456)
			fmt.Fprint(w, `{"message":"Quota exceeded"}`)
			return
		}
		var req struct {
			Text       []string `json:"text"`
			SourceLang string   `json:"source_lang"`
			TargetLang string   `json:"target_lang"`
		}
		json.NewDecoder(r.Body).Decode(&req)
		var tr []map[string]string
		for _, s := range req.Text {
			tr = append(tr, map[string]string{"detected_source_language": req.SourceLang, "text": req.TargetLang + ": " + s})
		}
		json.NewEncoder(w).Encode(map[string]any{"translations": tr})
	}))
	defer srv.Close()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tr := New(Config{Provider: "deepl", URL: srv.URL, APIKey: "k3y:fx"}, db)
	art := &feeds.Article{ID: 1, Lang: "uk", Title: "Міністри НАТО зустрілися", Summary: "Вони домовилися."}
	title, summary, err := tr.Translate(ctx, art, "en")
	if err != nil || title != "EN-GB: Міністри НАТО зустрілися" || summary != "EN-GB: Вони домовилися." {
		t.Fatalf("Translate = %q, %q, %v", title, summary, err)
	}
	quota.Store(true)
	if _, _, err := tr.Translate(ctx, &feeds.Article{ID: 2, Lang: "uk", Title: "x", Summary: "y"}, "ru"); err == nil {
		t.Error("no error over quota")
	}
}
