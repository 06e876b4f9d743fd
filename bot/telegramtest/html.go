package telegramtest

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// This file follows the HTML parser of TDLib (td/telegram/MessageEntity.cpp,
// parse_html), which the Bot API server uses for parse_mode=HTML: the same
// tags and attributes, the same byte offsets and the same error texts.

// htmlTags are the supported tags; the value is the entity type they make.
var htmlTags = map[string]string{
	"a": "text_link", "b": "bold", "strong": "bold", "i": "italic", "em": "italic",
	"u": "underline", "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
	"del": "strikethrough", "tg-spoiler": "spoiler", "span": "spoiler", "tg-emoji": "custom_emoji",
	"tg-time": "date_time", "code": "code", "pre": "pre", "blockquote": "blockquote",
}

// entityPriority orders entities of the same span, as TDLib sorts them.
var entityPriority = map[string]int{
	"blockquote": 0, "expandable_blockquote": 0, "pre": 11, "code": 20, "text_link": 49,
	"text_mention": 49, "date_time": 50, "bold": 90, "italic": 91, "underline": 92,
	"strikethrough": 93, "spoiler": 94, "custom_emoji": 99,
}

type openTag struct {
	name       string
	arg        string
	expandable bool
	unix       string // tg-time
	format     string // tg-time
	offset     int    // UTF-16 offset of the content
	byteOffset int    // offset of the content in the output text
}

// htmlParser holds the state of one parseHTML call.
type htmlParser struct {
	src    string
	strict bool
	out    strings.Builder
	u16    int // UTF-16 length of out
	stack  []openTag
	ents   []MessageEntity
}

// parseHTML turns Telegram HTML into plain text and entities. In strict mode
// a "&" that does not start one of the entities Telegram decodes, with its
// ";", is an error; Telegram would show it literally.
func parseHTML(src string, strict bool) (string, []MessageEntity, error) {
	if !utf8.ValidString(src) {
		return "", nil, fmt.Errorf("text must be encoded in UTF-8")
	}
	p := &htmlParser{src: src, strict: strict}
	for i := 0; i < len(src); {
		var err error
		switch c := src[i]; {
		case c == '&':
			i, err = p.reference(i)
		case c != '<':
			p.out.WriteByte(c)
			if c&0xC0 != 0x80 { // first byte of a character
				p.u16++
				if c >= 0xF0 { // four bytes: a surrogate pair in UTF-16
					p.u16++
				}
			}
			i++
		case p.at(i+1) == '/':
			i, err = p.endTag(i)
		default:
			i, err = p.startTag(i)
		}
		if err != nil {
			return "", nil, err
		}
	}
	if len(p.stack) > 0 {
		return "", nil, fmt.Errorf("Can't find end tag corresponding to start tag \"%s\"", p.stack[len(p.stack)-1].name)
	}
	return p.out.String(), p.sorted(), nil
}

func (p *htmlParser) at(k int) byte {
	if k < len(p.src) {
		return p.src[k]
	}
	return 0
}

func (p *htmlParser) skipSpaces(i int) int {
	for i < len(p.src) && isHTMLSpace(p.src[i]) {
		i++
	}
	return i
}

// decode decodes the character reference at i, if it is one the mode
// accepts; Telegram keeps anything else literally.
func (p *htmlParser) decode(i int) (r rune, next int, ok bool, err error) {
	r, next, ok = decodeHTMLEntity(p.src, i)
	switch {
	case ok && isSurrogate(r):
		return 0, 0, false, fmt.Errorf("%s", errSurrogate)
	case ok && (!p.strict || p.src[next-1] == ';'):
		return r, next, true, nil
	case p.strict:
		return 0, 0, false, fmt.Errorf("%s", strictEntityError(p.src, i))
	}
	return 0, 0, false, nil
}

// reference handles a "&" in text.
func (p *htmlParser) reference(i int) (int, error) {
	r, next, ok, err := p.decode(i)
	if err != nil {
		return 0, err
	}
	if !ok {
		p.out.WriteByte('&')
		p.u16++
		return i + 1, nil
	}
	p.out.WriteRune(r)
	p.u16 += utf16Len(r)
	return next, nil
}

// startTag parses the tag at begin ("<name attr=value ...>").
func (p *htmlParser) startTag(begin int) (int, error) {
	n := len(p.src)
	i := begin + 1
	for i < n && !isHTMLSpace(p.src[i]) && p.src[i] != '>' {
		i++
	}
	if i >= n {
		return 0, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
	}
	name := strings.ToLower(p.src[begin+1 : i])
	if _, ok := htmlTags[name]; !ok {
		return 0, fmt.Errorf("Unsupported start tag \"%s\" at byte offset %d", name, begin)
	}
	tag := openTag{name: name, offset: p.u16, byteOffset: p.out.Len()}
	for p.at(i) != '>' {
		i = p.skipSpaces(i)
		if p.at(i) == '>' {
			break
		}
		if i >= n {
			return 0, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
		}
		attrBegin := i
		for i < n && !isHTMLSpace(p.src[i]) && p.src[i] != '=' && p.src[i] != '>' {
			i++
		}
		attr := strings.ToLower(p.src[attrBegin:i])
		if attr == "" {
			return 0, fmt.Errorf("Empty attribute name in the tag \"%s\" at byte offset %d", name, begin)
		}
		i = p.skipSpaces(i)
		if p.at(i) != '=' {
			// An attribute without a value: ignored, except this one.
			if name == "blockquote" && attr == "expandable" {
				tag.expandable = true
			}
			continue
		}
		i = p.skipSpaces(i + 1)
		if i >= n {
			return 0, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
		}
		value, next, err := p.attrValue(i)
		if err != nil {
			return 0, err
		}
		if i = next; i >= n {
			return 0, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
		}
		tag.set(attr, value)
	}
	if name == "span" && tag.arg != "spoiler" {
		return 0, fmt.Errorf("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", begin)
	}
	p.stack = append(p.stack, tag)
	return i + 1, nil // past '>'
}

// attrValue parses a quoted string or an unquoted name token at i.
func (p *htmlParser) attrValue(i int) (string, int, error) {
	n := len(p.src)
	q := p.src[i]
	if q != '\'' && q != '"' {
		// Name tokens are letters, digits, periods and hyphens, case-insensitive.
		begin := i
		for i < n && (isASCIIAlnum(p.src[i]) || p.src[i] == '.' || p.src[i] == '-') {
			i++
		}
		if i < n && !isHTMLSpace(p.src[i]) && p.src[i] != '>' {
			return "", 0, fmt.Errorf("Unexpected end of name token at byte offset %d", begin)
		}
		return strings.ToLower(p.src[begin:i]), i, nil
	}
	i++
	var v strings.Builder
	for i < n && p.src[i] != q {
		if p.src[i] == '&' {
			r, next, ok, err := p.decode(i)
			if err != nil {
				return "", 0, err
			}
			if ok {
				v.WriteRune(r)
				i = next
				continue
			}
		}
		v.WriteByte(p.src[i])
		i++
	}
	if i < n { // the closing quote
		i++
	}
	return v.String(), i, nil
}

// set records the attributes that mean something for the tag; TDLib
// ignores the others.
func (t *openTag) set(attr, value string) {
	switch {
	case t.name == "a" && attr == "href":
		t.arg = value
	case t.name == "code" && attr == "class" && strings.HasPrefix(value, "language-"):
		t.arg = value[len("language-"):]
	case t.name == "span" && attr == "class" && strings.HasPrefix(value, "tg-"):
		t.arg = value[len("tg-"):]
	case t.name == "tg-emoji" && attr == "emoji-id":
		t.arg = value
	case t.name == "blockquote" && attr == "expandable":
		t.expandable = true
	case t.name == "tg-time" && attr == "unix":
		t.unix = value
	case t.name == "tg-time" && attr == "format":
		t.format = value
	}
}

// endTag parses "</name>" (or "</>") at begin and closes the innermost tag.
func (p *htmlParser) endTag(begin int) (int, error) {
	if len(p.stack) == 0 {
		return 0, fmt.Errorf("Unexpected end tag at byte offset %d", begin)
	}
	n := len(p.src)
	i := begin + 2
	for i < n && !isHTMLSpace(p.src[i]) && p.src[i] != '>' {
		i++
	}
	endName := strings.ToLower(p.src[begin+2 : i])
	i = p.skipSpaces(i)
	if p.at(i) != '>' {
		return 0, fmt.Errorf("Unclosed end tag at byte offset %d", begin)
	}
	tag := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	if endName != "" && endName != tag.name {
		return 0, fmt.Errorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", begin, tag.name, endName)
	}
	if p.u16 > tag.offset {
		if err := p.addEntity(tag); err != nil {
			return 0, err
		}
	}
	return i + 1, nil
}

// addEntity adds the entity of a closed, non-empty tag.
func (p *htmlParser) addEntity(tag openTag) error {
	e, err := entityFor(tag, p.u16-tag.offset, p.out.String()[tag.byteOffset:])
	if err != nil {
		return err
	}
	// <pre><code class="language-x"> (either way round) is one pre entity
	// with a language; without a language both stay.
	if k := len(p.ents); k > 0 && p.ents[k-1].Offset == e.Offset && p.ents[k-1].Length == e.Length {
		last := &p.ents[k-1]
		switch {
		case e.Type == "pre" && last.Type == "code" && last.Language != "":
			e.Language = last.Language
			p.ents = p.ents[:k-1]
		case e.Type == "code" && e.Language != "" && last.Type == "pre":
			last.Language = e.Language
			e.Type = ""
		}
	}
	if e.Type != "" {
		p.ents = append(p.ents, e)
	}
	return nil
}

// sorted returns the entities in TDLib's order: by offset, longer first,
// then by type priority. Only pre keeps a language.
func (p *htmlParser) sorted() []MessageEntity {
	ents := p.ents
	for k := range ents {
		if ents[k].Type == "code" {
			ents[k].Language = ""
		}
	}
	sort.SliceStable(ents, func(a, b int) bool {
		if ents[a].Offset != ents[b].Offset {
			return ents[a].Offset < ents[b].Offset
		}
		if ents[a].Length != ents[b].Length {
			return ents[a].Length > ents[b].Length
		}
		return entityPriority[ents[a].Type] < entityPriority[ents[b].Type]
	})
	return ents
}
