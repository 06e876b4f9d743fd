package feeds

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func titles(arts []Article) []string {
	var ts []string
	for _, a := range arts {
		ts = append(ts, a.Title)
	}
	return ts
}

func TestPollSeedsThenReportsNew(t *testing.T) {
	fs := newFeedServer(t)
	r := newRig(t, nil)
	body := readFixture(t, "rss_uk.xml")
	src := Source{ID: "uk", URL: fs.set("/uk", doc{body: body}), Lang: "uk"}

	res := r.poll(t, src)
	if !res.Seeded || len(res.New) != 0 || res.Items != 3 || len(res.Parsed) != 3 {
		t.Fatalf("first poll: seeded=%v new=%d items=%d parsed=%d; want seeded, 0 new, 3 items",
			res.Seeded, len(res.New), res.Items, len(res.Parsed))
	}
	if pend, _ := r.store.Pending(context.Background(), 10); len(pend) != 0 {
		t.Fatalf("seeded articles are pending: %v", titles(pend))
	}

	// One more item at the top.
	newItem := []byte(`<item><title>НАТО: нова заява щодо України</title><link>https://uk.example.org/news/4</link><guid>uk-4</guid></item>`)
	fs.set("/uk", doc{body: bytes.Replace(body, []byte("<item>"), append(newItem, "\n<item>"...), 1)})
	r.clock.Add(5 * time.Minute)
	res = r.poll(t, src)
	if res.Seeded || res.NotModified {
		t.Fatalf("second poll: seeded=%v notModified=%v", res.Seeded, res.NotModified)
	}
	if diff := cmp.Diff([]string{"НАТО: нова заява щодо України"}, titles(res.New)); diff != "" {
		t.Fatalf("new articles (-want +got):\n%s", diff)
	}
	a := res.New[0]
	if a.ID == 0 || a.FeedID != "uk" || a.Lang != "uk" || !a.Seen.Equal(r.clock.Now()) {
		t.Errorf("new article = %+v", a)
	}
	pend, err := r.store.Pending(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(res.New, pend, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("Pending (-new +pending):\n%s", diff)
	}
	if got, err := r.store.Article(context.Background(), a.ID); err != nil || got.Title != a.Title || got.Categories != nil {
		t.Errorf("Article(%d) = %+v, %v", a.ID, got, err)
	}
	if _, err := r.store.Article(context.Background(), 1<<40); !errors.Is(err, ErrNoArticle) {
		t.Errorf("Article(missing) error = %v, want ErrNoArticle", err)
	}
	markMatched(t, r, a.ID)
	if pend, _ := r.store.Pending(context.Background(), 10); len(pend) != 0 {
		t.Errorf("pending after MarkMatched: %v", titles(pend))
	}
	recent, err := r.store.Recent(context.Background(), testNow.Add(-48*time.Hour))
	if err != nil || len(recent) != 4 {
		t.Errorf("Recent = %d articles, %v; want 4", len(recent), err)
	}
}

func TestPollConditionalGet(t *testing.T) {
	fs := newFeedServer(t)
	r := newRig(t, nil)
	src := Source{ID: "uk", URL: fs.set("/uk", doc{body: readFixture(t, "rss_uk.xml")})}
	r.poll(t, src)
	articles := r.count(t, `SELECT count(*) FROM articles`)

	res := r.poll(t, src)
	if !res.NotModified || res.Items != 0 || res.Parsed != nil || len(res.New) != 0 {
		t.Fatalf("second poll: notModified=%v items=%d new=%d; want a 304 that parses nothing", res.NotModified, res.Items, len(res.New))
	}
	if fs.notMod.Load() != 1 {
		t.Errorf("server sent %d 304s, want 1", fs.notMod.Load())
	}
	if got := r.count(t, `SELECT count(*) FROM articles`); got != articles {
		t.Errorf("articles %d -> %d after a 304", articles, got)
	}

	// The validators survive a restart: a new Store and Poller on the same file.
	st, err := NewStore(r.db).State(context.Background(), "uk")
	if err != nil || st.Validators.ETag == "" || st.Validators.LastModified == "" || !st.Seeded {
		t.Errorf("stored state = %+v, %v", st, err)
	}
}

func TestPollSameBodyWithoutValidators(t *testing.T) {
	fs := newFeedServer(t)
	r := newRig(t, nil)
	src := Source{ID: "uk", URL: fs.set("/uk", doc{body: readFixture(t, "rss_uk.xml"), noCache: true})}
	r.poll(t, src)
	if res := r.poll(t, src); !res.NotModified || res.Parsed != nil {
		t.Errorf("same body again: notModified=%v parsed=%d, want nothing parsed", res.NotModified, len(res.Parsed))
	}
	if fs.notMod.Load() != 0 || fs.requests.Load() != 2 {
		t.Errorf("server: %d requests, %d 304s; want 2 full responses", fs.requests.Load(), fs.notMod.Load())
	}
}

func TestPollStaleItemsNotReported(t *testing.T) {
	fs := newFeedServer(t)
	r := newRig(t, nil)
	src := Source{ID: "uk", URL: fs.set("/uk", doc{body: []byte(`<rss version="2.0"><channel><title>t</title></channel></rss>`)})}
	r.poll(t, src) // seed an empty feed
	// A dormant feed wakes up with its backlog: only the recent item is new.
	fs.set("/uk", doc{body: []byte(`<rss version="2.0"><channel><title>t</title>
		<item><title>Fresh</title><guid>1</guid><pubDate>Sat, 28 Nov 2026 10:00:00 +0000</pubDate></item>
		<item><title>Old</title><guid>2</guid><pubDate>Sat, 31 Oct 2026 10:00:00 +0000</pubDate></item>
		</channel></rss>`)})
	res := r.poll(t, src)
	if diff := cmp.Diff([]string{"Fresh"}, titles(res.New)); diff != "" {
		t.Errorf("new (-want +got):\n%s", diff)
	}
	if n := r.count(t, `SELECT count(*) FROM articles WHERE matched = 1`); n != 1 {
		t.Errorf("%d articles recorded as handled, want the old one", n)
	}
}

func TestPollIdentity(t *testing.T) {
	fs := newFeedServer(t)
	r := newRig(t, nil)
	empty := []byte(`<rss version="2.0"><channel><title>e</title></channel></rss>`)
	poll := func(id, path string, body []byte) PollResult {
		t.Helper()
		return r.poll(t, Source{ID: id, URL: fs.set(path, doc{body: body})})
	}
	// Seed both feeds empty, so what follows is new.
	poll("a", "/a", empty)
	poll("b", "/b", empty)

	res := poll("a", "/a", readFixture(t, "rss_guids.xml"))
	want := []string{"Has link, no GUID", "No GUID, no link", "Duplicate GUID first", "Two guid elements", "Home link one", "Home link two"}
	if diff := cmp.Diff(want, titles(res.New)); diff != "" {
		t.Errorf("new from rss_guids.xml (-want +got):\n%s", diff)
	}

	// Edited in place: same GUID, new title and link.
	edited := bytes.ReplaceAll(readFixture(t, "rss_guids.xml"), []byte("Duplicate GUID first"), []byte("Duplicate GUID, corrected"))
	if res := poll("a", "/a", edited); len(res.New) != 0 {
		t.Errorf("edited item reported new: %v", titles(res.New))
	}

	// The same story through another feed, with tracking parameters.
	other := []byte(`<rss version="2.0"><channel><title>b</title>
		<item><title>Same story elsewhere</title><guid>b-1</guid><link>HTTPS://G.example.org:443/a?utm_source=b&amp;fbclid=1#x</link></item>
		<item><title>Really new</title><guid>b-2</guid><link>https://g.example.org/new</link></item>
		</channel></rss>`)
	if diff := cmp.Diff([]string{"Really new"}, titles(poll("b", "/b", other).New)); diff != "" {
		t.Errorf("new from feed b (-want +got):\n%s", diff)
	}
}

func TestPollEncodingsOverHTTP(t *testing.T) {
	fs := newFeedServer(t)
	r := newRig(t, nil)
	uk := readFixture(t, "rss_uk.xml")
	tests := []struct {
		name string
		doc  doc
		want string
	}{
		{"charset only in header", doc{body: readFixture(t, "rss_koi8r_noprolog_enc.xml"), contentType: "application/xml; charset=koi8-r"}, "Генсек НАТО посетил Киев"},
		{"gzip with Content-Encoding", doc{body: uk, gzip: true, encoding: true}, "Україна та НАТО домовилися про навчання"},
		{"gzip without Content-Encoding", doc{body: readFixture(t, "rss_windows1251.xml"), gzip: true}, "Генсек НАТО посетил Киев"},
		{"BOM", doc{body: readFixture(t, "rss_bom.xml"), contentType: "text/xml"}, "Україна та НАТО домовилися про навчання"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := Source{ID: "f" + itoa(i), URL: fs.set("/"+itoa(i), tt.doc)}
			res := r.poll(t, src)
			if len(res.Parsed) == 0 || res.Parsed[0].Title != tt.want {
				t.Errorf("first title = %v, want %q", titles(res.Parsed), tt.want)
			}
		})
	}
}

func TestPollBackoffAndRetryAfter(t *testing.T) {
	fs := newFeedServer(t)
	r := newRig(t, nil)
	src := Source{ID: "x", URL: fs.set("/x", doc{status: http.StatusInternalServerError}), Interval: 10 * time.Minute}
	ctx := context.Background()
	for i, want := range []time.Duration{10 * time.Minute, 20 * time.Minute, 40 * time.Minute} {
		res, err := r.poller.Poll(ctx, src)
		if !errors.Is(err, ErrHTTPStatus) || res.Reason != "HTTP 500" {
			t.Fatalf("poll %d: err=%v reason=%q", i, err, res.Reason)
		}
		if got := res.NextCheck.Sub(r.clock.Now()); got != want {
			t.Errorf("failure %d: next check in %s, want %s", i+1, got, want)
		}
	}
	st, _ := r.store.State(ctx, "x")
	if st.Failures != 3 || st.LastError != "HTTP 500" {
		t.Errorf("state = %+v", st)
	}

	fs.set("/x", doc{status: http.StatusTooManyRequests, header: http.Header{"Retry-After": {"7200"}}})
	res, _ := r.poller.Poll(ctx, src)
	if got := res.NextCheck.Sub(r.clock.Now()); got != 2*time.Hour {
		t.Errorf("429 Retry-After 7200: next check in %s, want 2h", got)
	}

	fs.set("/x", doc{body: readFixture(t, "rss_uk.xml"), header: http.Header{"Cache-Control": {"public, max-age=900"}}})
	res = r.poll(t, src)
	if got := res.NextCheck.Sub(r.clock.Now()); got != 15*time.Minute {
		t.Errorf("max-age=900: next check in %s, want 15m", got)
	}
	st, _ = r.store.State(ctx, "x")
	if st.Failures != 0 || st.LastError != "" || !st.LastSuccess.Equal(r.clock.Now().Truncate(time.Second)) {
		t.Errorf("state after success = %+v", st)
	}

	hs, err := r.store.Health(ctx)
	if err != nil || len(hs) != 1 || hs[0].Articles != 3 || hs[0].Failures != 0 {
		t.Errorf("Health = %+v, %v", hs, err)
	}
}

func TestBackoffCap(t *testing.T) {
	if got := backoff(5*time.Minute, 30, 6*time.Hour); got != 6*time.Hour {
		t.Errorf("backoff after 30 failures = %s, want the 6h cap", got)
	}
}

func TestPrune(t *testing.T) {
	fs := newFeedServer(t)
	r := newRig(t, nil)
	ctx := context.Background()
	src := Source{ID: "uk", URL: fs.set("/uk", doc{body: readFixture(t, "rss_uk.xml")})}
	r.poll(t, src) // seeded: matched = 1
	r.clock.Add(40 * 24 * time.Hour)
	arts, keys, err := r.store.Prune(ctx, 30*24*time.Hour, 90*24*time.Hour)
	if err != nil || arts != 3 || keys != 0 {
		t.Fatalf("Prune = %d articles, %d keys, %v; want 3, 0", arts, keys, err)
	}
	// The feed still lists the old items: their keys keep them from being new.
	fs.set("/uk", doc{body: append(readFixture(t, "rss_uk.xml"), ' ')})
	if res := r.poll(t, src); len(res.New) != 0 {
		t.Errorf("re-listed pruned items came back as new: %v", titles(res.New))
	}
	r.clock.Add(100 * 24 * time.Hour)
	if _, keys, _ := r.store.Prune(ctx, 30*24*time.Hour, 90*24*time.Hour); keys == 0 {
		t.Errorf("old keys were not pruned")
	}
}

func TestPollURLChangeReseeds(t *testing.T) {
	fs := newFeedServer(t)
	r := newRig(t, nil)
	r.poll(t, Source{ID: "f", URL: fs.set("/one", doc{body: readFixture(t, "rss_uk.xml")})})
	res := r.poll(t, Source{ID: "f", URL: fs.set("/two", doc{body: readFixture(t, "rss_windows1251.xml")})})
	if !res.Seeded || len(res.New) != 0 {
		t.Errorf("after a URL change: seeded=%v new=%d, want a fresh seed", res.Seeded, len(res.New))
	}
}

func TestPollAll(t *testing.T) {
	fs := newFeedServer(t)
	r := newRig(t, nil)
	srcs := []Source{
		{ID: "ok", URL: fs.set("/ok", doc{body: readFixture(t, "rss_uk.xml")})},
		{ID: "html", URL: fs.set("/html", doc{body: readFixture(t, "notafeed.html"), contentType: "text/html"})},
		{ID: "gone", URL: fs.URL + "/missing"},
		{ID: "paused", URL: fs.URL + "/ok", Paused: true},
	}
	var got []string
	for _, res := range r.poller.PollAll(context.Background(), srcs) {
		got = append(got, res.Source.ID+": "+res.Reason)
	}
	want := []string{"ok: ", "html: not a feed", "gone: HTTP 404", "paused: "}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("PollAll (-want +got):\n%s", diff)
	}
}

func TestPollLanguageFallback(t *testing.T) {
	fs := newFeedServer(t)
	r := newRig(t, nil)
	body := []byte(`<rss version="2.0"><channel><title>t</title><language>en-US</language>
		<item><title>One</title><guid>1</guid></item></channel></rss>`)
	tests := []struct{ lang, want string }{{"", "en"}, {"uk", "uk"}}
	for i, tt := range tests {
		res := r.poll(t, Source{ID: "l" + itoa(i), URL: fs.set("/l"+itoa(i), doc{body: body}), Lang: tt.lang})
		if len(res.Parsed) != 1 || res.Parsed[0].Lang != tt.want {
			t.Errorf("Source.Lang %q: article lang = %v, want %q", tt.lang, res.Parsed, tt.want)
		}
	}
}
