package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Parse decodes and checks a configuration file's bytes. Every problem is
// reported, each as "line N: key: what is wrong".
func Parse(data []byte) (*Config, error) {
	cfg := Default()
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlSyntaxError(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, Errors{{Line: extra.Line, Key: "(document)", Msg: "more than one YAML document"}}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 { // empty file: all defaults
		return &cfg, checkValues(&cfg, lines{})
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return &cfg, checkValues(&cfg, lines{})
	}
	w := walker{lines: lines{}}
	w.walk(root, reflect.TypeOf(cfg), "")
	if len(w.errs) > 0 {
		return nil, w.errs
	}
	if err := root.Decode(&cfg); err != nil {
		return nil, fmt.Errorf("decode: %w", err) // the walk found nothing, so this is a bug
	}
	deriveDefaults(&cfg, w.lines)
	if err := checkValues(&cfg, w.lines); err != nil {
		return nil, err
	}
	return &cfg, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlSyntaxError turns yaml's "yaml: line 3: did not find expected key" into a Problem.
func yamlSyntaxError(err error) error {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return Errors{{Line: n, Key: "(syntax)", Msg: "not valid YAML: " + m[2]}}
	}
	return Errors{{Key: "(syntax)", Msg: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}}
}

// lines maps a key path ("feeds[2].url") to its line in the file.
type lines map[string]int

// line is the line of path, or of its nearest parent that has one.
func (l lines) line(path string) int {
	for p := path; p != ""; {
		if n, ok := l[p]; ok {
			return n
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return 0
}

// walker checks a YAML tree against the Go type it will decode into: unknown
// keys, and values of the wrong shape, are reported with their path and line
// instead of yaml's "field x not found in type config.y".
type walker struct {
	lines lines
	errs  Errors
}

var unmarshalerType = reflect.TypeOf((*yaml.Unmarshaler)(nil)).Elem()

func (w *walker) fail(n *yaml.Node, path, format string, args ...any) {
	w.errs = append(w.errs, Problem{Line: n.Line, Key: path, Msg: fmt.Sprintf(format, args...)})
}

func (w *walker) walk(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if path != "" {
		w.lines[path] = n.Line
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		w.leaf(n, t, path)
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		w.mapping(n, path, "keys", func(k *yaml.Node, key string) (reflect.Type, bool) {
			f, ok := fieldByTag(t, k.Value)
			if !ok {
				w.fail(k, key, "unknown key (known: %s)", strings.Join(tags(t), ", "))
				return nil, false
			}
			return f.Type, true
		})
	case reflect.Map:
		w.mapping(n, path, "names", func(*yaml.Node, string) (reflect.Type, bool) { return t.Elem(), true })
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			if n.Tag == "!!null" {
				return
			}
			w.fail(n, path, "want a list")
			return
		}
		for i, item := range n.Content {
			w.walk(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
		}
	default:
		w.leaf(n, t, path)
	}
}

// mapping walks the pairs of a mapping node (a struct's keys or a map's
// names, as what says), reporting a node of another kind and a key given
// twice; elem gives the type of a key's value, or false when it reported the
// key unknown.
func (w *walker) mapping(n *yaml.Node, path, what string, elem func(k *yaml.Node, key string) (reflect.Type, bool)) {
	if n.Kind != yaml.MappingNode {
		if n.Tag == "!!null" {
			return
		}
		w.fail(n, orRoot(path), "want a mapping of %s", what)
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := join(path, k.Value)
		if seen[k.Value] {
			w.fail(k, key, "key given twice")
			continue
		}
		seen[k.Value] = true
		t, ok := elem(k, key)
		if !ok {
			continue
		}
		w.lines[key] = k.Line
		w.walk(v, t, key)
		w.lines[key] = k.Line
	}
}

func (w *walker) leaf(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind != yaml.ScalarNode {
		w.fail(n, path, "want a single value")
		return
	}
	if isInt(t) && n.Tag == "!!str" {
		// A quoted number (admins: ["123456789"]) is still the number:
		// retag it so the decode below and root.Decode take it.
		if _, err := strconv.ParseInt(strings.TrimSpace(n.Value), 10, 64); err == nil {
			n.Tag, n.Value, n.Style = "!!int", strings.TrimSpace(n.Value), 0
		}
	}
	v := reflect.New(t)
	if err := n.Decode(v.Interface()); err != nil {
		msg := err.Error()
		var te *yaml.TypeError
		if errors.As(err, &te) && len(te.Errors) > 0 {
			msg = fmt.Sprintf("%q is not a valid %s", n.Value, kindName(t))
			if strings.HasPrefix(path, "telegram.admins[") {
				msg += "; admins are numeric Telegram user ids (not @names): @userinfobot tells a user theirs"
			}
		}
		w.fail(n, path, "%s", msg)
	}
}

func isInt(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int64, reflect.Int32:
		return true
	}
	return false
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "true/false value"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "whole number"
	case reflect.String:
		return "string"
	}
	return t.String()
}

func fieldByTag(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if tag := strings.Split(f.Tag.Get("yaml"), ",")[0]; tag == name && tag != "-" {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func tags(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]; tag != "" && tag != "-" {
			out = append(out, tag)
		}
	}
	return out
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func orRoot(path string) string {
	if path == "" {
		return "(top level)"
	}
	return path
}
