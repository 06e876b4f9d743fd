package telegramtest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxTextLength is Telegram's limit for a message text after entity
// parsing, in Unicode code points.
const MaxTextLength = 4096

// formatted is a validated message text.
type formatted struct {
	text     string
	entities []MessageEntity
	raw      string
	mode     string
}

// formatText applies parse_mode and Telegram's text rules to p["text"].
func (s *Server) formatText(p params) (formatted, *apiError) {
	f := formatted{raw: p["text"], mode: p["parse_mode"]}
	if f.raw == "" {
		return f, badRequest("message text is empty")
	}
	if !utf8.ValidString(f.raw) {
		return f, badRequest("text must be encoded in UTF-8")
	}
	switch strings.ToLower(f.mode) {
	case "":
		f.text = f.raw
		var ents []MessageEntity
		if _, err := p.json("entities", &ents); err != nil {
			return f, badRequest("can't parse entities JSON object")
		}
		f.entities = ents
	case "html":
		text, ents, err := parseHTML(f.raw, !s.opts.LenientHTML)
		if err != nil {
			return f, badRequest("can't parse entities: %s", err.Error())
		}
		f.text, f.entities = text, ents
	case "markdown", "markdownv2":
		return f, badRequest("telegramtest: parse_mode %s is not implemented by the fake", f.mode)
	default:
		return f, badRequest("unsupported parse_mode")
	}
	f.text, f.entities = trimText(f.text, f.entities)
	if f.text == "" {
		return f, badRequest("message text is empty")
	}
	if utf8.RuneCountInString(f.text) > MaxTextLength {
		return f, badRequest("message is too long")
	}
	return f, nil
}

// trimText strips leading and trailing white space as Telegram does, moving
// entity offsets (UTF-16) along and dropping entities left empty.
func trimText(text string, ents []MessageEntity) (string, []MessageEntity) {
	trimmed := strings.TrimLeftFunc(text, unicode.IsSpace)
	lead := utf16Count(text[:len(text)-len(trimmed)])
	trimmed = strings.TrimRightFunc(trimmed, unicode.IsSpace)
	total := utf16Count(trimmed)
	out := ents[:0:0]
	for _, e := range ents {
		start, end := max(e.Offset-lead, 0), min(e.Offset+e.Length-lead, total)
		if end <= start {
			continue
		}
		e.Offset, e.Length = start, end-start
		out = append(out, e)
	}
	return trimmed, out
}

func utf16Count(s string) int {
	n := 0
	for _, r := range s {
		n += utf16Len(r)
	}
	return n
}
