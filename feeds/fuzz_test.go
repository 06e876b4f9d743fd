package feeds

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds arbitrary bytes and Content-Type headers through what a
// response body goes through: gzip sniffing and the cap, charset decoding,
// the depth check, gofeed and our cleaning. Nothing may panic; an error must
// have a reason.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		f.Add(b, "")
		f.Add(b, "text/xml; charset=windows-1251")
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(readFixture(f, "rss_uk.xml"))
	zw.Close()
	f.Add(gz.Bytes(), "application/rss+xml")
	f.Add(gz.Bytes()[:gz.Len()/2], "")
	f.Add([]byte("\xff\xfe<\x00r\x00s\x00s\x00>\x00"), "")
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1","items":[{"id":1}]}`), "application/json")
	f.Add(deepXML(1000), "")

	fetcher := NewFetcher(FetcherConfig{MaxBody: 1 << 20})
	parser := NewParser()
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		resp := &http.Response{
			Header:        http.Header{"Content-Type": {contentType}},
			Body:          io.NopCloser(bytes.NewReader(body)),
			ContentLength: -1,
		}
		b, err := fetcher.readBody(resp)
		if err != nil {
			if Reason(err) == "" {
				t.Fatalf("error without a reason: %v", err)
			}
			return
		}
		feed, err := parser.Parse(b, contentType, testNow)
		if err != nil {
			if Reason(err) == "" {
				t.Fatalf("error without a reason: %v", err)
			}
			return
		}
		for _, a := range feed.Articles {
			if a.Published.IsZero() || a.Published.After(testNow) {
				t.Fatalf("published %v out of range", a.Published)
			}
			if len(a.Title) > maxTitle || len(a.Summary) > maxDescription || len(a.Content) > maxContent {
				t.Fatalf("field over its cap")
			}
		}
	})
}
