package feeds

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"sync"
)

// readBody reads at most MaxBody decompressed bytes. Content-Encoding gzip
// and a gzip body served without it (magic 1f 8b) are both decompressed;
// one more layer is peeled if the decompressed data is itself gzip.
func (f *Fetcher) readBody(resp *http.Response) ([]byte, error) {
	br := bufio.NewReader(resp.Body)
	var r io.Reader = br
	gz := false
	for layer := 0; layer < 3; layer++ {
		// Sniff rather than trust Content-Encoding: we only ask for gzip,
		// servers send gzip files as-is, and some claim gzip but send plain.
		if magic, _ := br.Peek(2); !bytes.Equal(magic, []byte{0x1f, 0x8b}) {
			break
		}
		gz = true
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, &xmlError{msg: "bad gzip: " + err.Error()}
		}
		br = bufio.NewReader(zr)
		r = br
	}
	limit := f.cfg.MaxBody
	if !gz && resp.ContentLength > limit {
		return nil, &tooLargeError{limit: limit}
	}
	body, err := readCapped(r, limit)
	if err != nil && gz && (errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) || errors.Is(err, io.ErrUnexpectedEOF)) {
		return nil, &xmlError{msg: "bad gzip: " + err.Error()}
	}
	return body, err
}

// chunks recycles read buffers: a body read up to the cap and then refused
// (a bomb, a huge page) leaves no garbage behind for the next poll.
var chunks = sync.Pool{New: func() any { return new([chunkSize]byte) }}

const chunkSize = 64 << 10

// readCapped reads r to the end into pooled chunks and returns one
// exact-size copy, or a tooLargeError as soon as more than limit bytes came.
func readCapped(r io.Reader, limit int64) ([]byte, error) {
	var held []*[chunkSize]byte
	defer func() {
		for _, c := range held {
			chunks.Put(c)
		}
	}()
	var total int64
	for {
		c := chunks.Get().(*[chunkSize]byte)
		held = append(held, c)
		n, err := io.ReadFull(r, c[:])
		total += int64(n)
		if total > limit {
			return nil, &tooLargeError{limit: limit}
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	out := make([]byte, 0, total)
	for _, c := range held {
		out = append(out, c[:min(int64(chunkSize), total-int64(len(out)))]...)
	}
	return out, nil
}
