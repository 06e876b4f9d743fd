package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Errors the edit functions return for cases callers branch on.
var (
	ErrFeedExists = errors.New("config: a feed with this id or URL already exists")
	ErrNoSuchFeed = errors.New("config: no feed with this id")
)

// ValidFeedID reports whether id is a valid feed id: lowercase letters,
// digits, '.', '_' and '-', at most 64, starting with a letter or digit.
func ValidFeedID(id string) bool { return feedIDPattern.MatchString(id) }

// AddFeed appends f to the feeds list of the file at path. The file keeps
// its comments and key order; the result must pass Parse or nothing is
// written (the error then lists the problems).
func AddFeed(path string, f Feed) error { return AddFeeds(path, []Feed{f}) }

// AddFeeds appends every feed in one edit: all of them or none.
func AddFeeds(path string, add []Feed) error {
	return edit(path, func(feeds *yaml.Node) error {
		for _, f := range add {
			f.ID, f.URL = strings.TrimSpace(f.ID), strings.TrimSpace(f.URL)
			for _, item := range feeds.Content {
				if id := mapValue(item, "id"); id != nil && id.Value == f.ID {
					return fmt.Errorf("%w: id %q", ErrFeedExists, f.ID)
				}
				if u := mapValue(item, "url"); u != nil && u.Value == f.URL {
					return fmt.Errorf("%w: %s is feed %q", ErrFeedExists, f.URL, scalar(mapValue(item, "id")))
				}
			}
			n := feedNode(f)
			if feeds.Style&yaml.FlowStyle != 0 {
				n.Style = yaml.FlowStyle
			}
			feeds.Content = append(feeds.Content, n)
		}
		return nil
	})
}

// RemoveFeed removes the feed with the given id.
func RemoveFeed(path, id string) error {
	return edit(path, func(feeds *yaml.Node) error {
		i := feedIndex(feeds, id)
		if i < 0 {
			return fmt.Errorf("%w: %q", ErrNoSuchFeed, id)
		}
		feeds.Content = append(feeds.Content[:i], feeds.Content[i+1:]...)
		return nil
	})
}

// SetFeedPaused sets the paused flag of the feed with the given id.
func SetFeedPaused(path, id string, paused bool) error {
	return edit(path, func(feeds *yaml.Node) error {
		i := feedIndex(feeds, id)
		if i < 0 {
			return fmt.Errorf("%w: %q", ErrNoSuchFeed, id)
		}
		item := feeds.Content[i]
		val := "false"
		if paused {
			val = "true"
		}
		if v := mapValue(item, "paused"); v != nil {
			v.Kind, v.Tag, v.Value, v.Style = yaml.ScalarNode, "!!bool", val, 0
			return nil
		}
		if paused {
			item.Content = append(item.Content, str("paused"), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: val})
		}
		return nil
	})
}

// locks serializes edits of one file within the process.
var locks sync.Map // absolute path -> *sync.Mutex

func lockFor(path string) *sync.Mutex {
	m, _ := locks.LoadOrStore(path, new(sync.Mutex))
	return m.(*sync.Mutex)
}

// edit reads the file, lets change modify its feeds sequence, checks the
// whole new file with Parse and writes it back atomically.
func edit(path string, change func(feeds *yaml.Node) error) error {
	// Edit the file a symlink points at, so the link survives the rename.
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	// One edit at a time: the mutex within this process, the lock file
	// across processes, so that no read-modify-write loses another's edit.
	mu := lockFor(abs)
	mu.Lock()
	defer mu.Unlock()
	unlock, err := lockFile(abs)
	if err != nil {
		return err
	}
	defer unlock()

	info, err := os.Stat(abs)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if _, err := Parse(data); err != nil {
		return fmt.Errorf("config: %s is not valid now, fix it by hand first: %w", abs, err)
	}
	doc, err := decodeDoc(data)
	if err != nil {
		return err
	}
	feeds, err := feedsSeq(doc)
	if err != nil {
		return err
	}
	if err := change(feeds); err != nil {
		return err
	}
	out, err := encodeDoc(doc, indentOf(data))
	if err != nil {
		return err
	}
	if _, err := Parse(out); err != nil {
		return fmt.Errorf("config: edit refused, the file would not be valid: %w", err)
	}
	return writeAtomic(abs, out, info.Mode().Perm())
}

func decodeDoc(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("config: %w", err)
	}
	if doc.Kind == 0 {
		doc = yaml.Node{Kind: yaml.DocumentNode}
	}
	if len(doc.Content) == 0 {
		// A file of only comments decodes to nothing: keep them by hand.
		var comments []string
		for _, line := range strings.Split(string(data), "\n") {
			if l := strings.TrimSpace(line); strings.HasPrefix(l, "#") {
				comments = append(comments, l)
			}
		}
		doc.Content = []*yaml.Node{{Kind: yaml.MappingNode, Tag: "!!map", HeadComment: strings.Join(comments, "\n")}}
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" { // a file of only comments
		*root = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", HeadComment: root.HeadComment,
			LineComment: root.LineComment, FootComment: root.FootComment}
	}
	return &doc, nil
}

// feedsSeq returns the value of the top-level feeds key, made a sequence
// when it was missing or empty.
func feedsSeq(doc *yaml.Node) (*yaml.Node, error) {
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("config: the file's top level is not a mapping of keys")
	}
	v := mapValue(root, "feeds")
	if v == nil {
		v = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		root.Content = append(root.Content, str("feeds"), v)
		return v, nil
	}
	if v.Kind == yaml.AliasNode {
		return nil, fmt.Errorf("config: feeds is a YAML alias; edit it by hand")
	}
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		*v = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", HeadComment: v.HeadComment,
			LineComment: v.LineComment, FootComment: v.FootComment}
	}
	if v.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("config: line %d: feeds is not a list", v.Line)
	}
	return v, nil
}

func encodeDoc(doc *yaml.Node, indent int) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(indent)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("config: encode: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("config: encode: %w", err)
	}
	return buf.Bytes(), nil
}

// indentOf guesses the file's indentation: the smallest indent of a line
// that has one, 2 when none does.
func indentOf(data []byte) int {
	best := 0
	for _, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimLeft(line, " ")
		n := len(line) - len(trimmed)
		if n == 0 || trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if best == 0 || n < best {
			best = n
		}
	}
	if best < 2 || best > 8 {
		return 2
	}
	return best
}

// writeAtomic replaces path with data: a temporary file in the same
// directory, synced, then renamed over it, so a reader (or a crash) sees
// the old file or the new one, never half of one.
func writeAtomic(path string, data []byte, mode os.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("config: write %s: %w", path, err)
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("config: write %s: %w", path, err)
	}
	if err := tmp.Chmod(mode); err != nil {
		return fmt.Errorf("config: write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("config: write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("config: write %s: %w", path, err)
	}
	if err := os.Rename(name, path); err != nil {
		return fmt.Errorf("config: write %s: %w", path, err)
	}
	ok = true
	// Make the rename itself durable; not every platform can sync a directory.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// feedNode is f as a YAML mapping, with only the keys that differ from
// their defaults.
func feedNode(f Feed) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	add := func(k, v, tag string) {
		n.Content = append(n.Content, str(k), &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v})
	}
	add("id", f.ID, "!!str")
	if f.Name != "" {
		add("name", f.Name, "!!str")
	}
	add("url", f.URL, "!!str")
	if f.Lang != "" {
		add("lang", f.Lang, "!!str")
	}
	if f.Interval != 0 {
		add("interval", f.Interval.String(), "!!str")
	}
	if f.MatchContent {
		add("match_content", "true", "!!bool")
	}
	if f.Paused {
		add("paused", "true", "!!bool")
	}
	return n
}

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

// mapValue is the value of key in mapping m, or nil.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func scalar(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	return n.Value
}

func feedIndex(feeds *yaml.Node, id string) int {
	id = strings.TrimSpace(id)
	for i, item := range feeds.Content {
		if v := mapValue(item, "id"); v != nil && strings.TrimSpace(v.Value) == id {
			return i
		}
	}
	return -1
}
