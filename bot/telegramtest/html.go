package telegramtest

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
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
	"code": "code", "pre": "pre", "blockquote": "blockquote",
}

type openTag struct {
	name       string
	arg        string
	expandable bool
	offset     int // UTF-16 offset of the content
	byteOffset int // offset of the content in the output text
}

// parseHTML turns Telegram HTML into plain text and entities. In strict mode
// a "&" that does not start one of the entities Telegram decodes, with its
// ";", is an error; Telegram would show it literally.
func parseHTML(src string, strict bool) (string, []MessageEntity, error) {
	if !utf8.ValidString(src) {
		return "", nil, fmt.Errorf("text must be encoded in UTF-8")
	}
	var out strings.Builder
	var stack []openTag
	var ents []MessageEntity
	u16 := 0
	n := len(src)
	at := func(k int) byte {
		if k < n {
			return src[k]
		}
		return 0
	}
	fail := func(format string, args ...any) (string, []MessageEntity, error) {
		return "", nil, fmt.Errorf(format, args...)
	}
	for i := 0; i < n; {
		c := src[i]
		if c == '&' {
			r, next, ok := decodeHTMLEntity(src, i)
			if ok && (!strict || src[next-1] == ';') {
				out.WriteRune(r)
				u16 += utf16Len(r)
				i = next
				continue
			}
			if strict {
				return fail("%s", strictEntityError(src, i))
			}
		}
		if c != '<' {
			out.WriteByte(c)
			if c&0xC0 != 0x80 {
				u16++
				if c >= 0xF0 {
					u16++
				}
			}
			i++
			continue
		}
		begin := i
		i++
		if at(i) != '/' {
			for i < n && !isHTMLSpace(src[i]) && src[i] != '>' {
				i++
			}
			if i >= n {
				return fail("Unclosed start tag at byte offset %d", begin)
			}
			name := strings.ToLower(src[begin+1 : i])
			if _, ok := htmlTags[name]; !ok {
				return fail("Unsupported start tag \"%s\" at byte offset %d", name, begin)
			}
			tag := openTag{name: name, offset: u16, byteOffset: out.Len()}
			for at(i) != '>' {
				for i < n && isHTMLSpace(src[i]) {
					i++
				}
				if at(i) == '>' {
					break
				}
				if i >= n {
					return fail("Unclosed start tag at byte offset %d", begin)
				}
				attrBegin := i
				for i < n && !isHTMLSpace(src[i]) && src[i] != '=' && src[i] != '>' {
					i++
				}
				attr := strings.ToLower(src[attrBegin:i])
				if attr == "" {
					return fail("Empty attribute name in the tag \"%s\" at byte offset %d", name, begin)
				}
				for i < n && isHTMLSpace(src[i]) {
					i++
				}
				if at(i) != '=' {
					if name == "blockquote" && attr == "expandable" {
						tag.expandable = true
						continue
					}
					if i >= n {
						return fail("Unclosed start tag at byte offset %d", begin)
					}
					return fail("Expected equal sign in declaration of an attribute of the tag \"%s\" at byte offset %d", name, begin)
				}
				i++
				for i < n && isHTMLSpace(src[i]) {
					i++
				}
				if i >= n {
					return fail("Unclosed start tag at byte offset %d", begin)
				}
				var value string
				if q := src[i]; q != '\'' && q != '"' {
					tokBegin := i
					for i < n && (isASCIIAlnum(src[i]) || src[i] == '.' || src[i] == '-') {
						i++
					}
					value = strings.ToLower(src[tokBegin:i])
					if i < n && !isHTMLSpace(src[i]) && src[i] != '>' {
						return fail("Unexpected end of name token at byte offset %d", tokBegin)
					}
				} else {
					i++
					var v strings.Builder
					for i < n && src[i] != q {
						if src[i] == '&' {
							r, next, ok := decodeHTMLEntity(src, i)
							if ok && (!strict || src[next-1] == ';') {
								v.WriteRune(r)
								i = next
								continue
							}
							if strict {
								return fail("%s", strictEntityError(src, i))
							}
						}
						v.WriteByte(src[i])
						i++
					}
					if at(i) == q {
						i++
					}
					value = v.String()
				}
				if i >= n {
					return fail("Unclosed start tag at byte offset %d", begin)
				}
				switch {
				case name == "a" && attr == "href":
					tag.arg = value
				case name == "code" && attr == "class" && strings.HasPrefix(value, "language-"):
					tag.arg = value[len("language-"):]
				case name == "span" && attr == "class" && strings.HasPrefix(value, "tg-"):
					tag.arg = value[len("tg-"):]
				case name == "tg-emoji" && attr == "emoji-id":
					tag.arg = value
				case name == "blockquote" && attr == "expandable":
					tag.expandable = true
				}
			}
			if name == "span" && tag.arg != "spoiler" {
				return fail("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", begin)
			}
			stack = append(stack, tag)
			i++ // '>'
			continue
		}
		// An end tag.
		if len(stack) == 0 {
			return fail("Unexpected end tag at byte offset %d", begin)
		}
		i++ // '/'
		for i < n && !isHTMLSpace(src[i]) && src[i] != '>' {
			i++
		}
		endName := strings.ToLower(src[begin+2 : i])
		for i < n && isHTMLSpace(src[i]) {
			i++
		}
		if at(i) != '>' {
			return fail("Unclosed end tag at byte offset %d", begin)
		}
		i++
		tag := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if endName != "" && endName != tag.name {
			return fail("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", begin, tag.name, endName)
		}
		if u16 > tag.offset {
			e, err := entityFor(tag, u16-tag.offset, out.String()[tag.byteOffset:])
			if err != nil {
				return fail("%s", err.Error())
			}
			if e.Type == "pre" && len(ents) > 0 {
				// <pre><code class="language-x"> is one pre entity with a language.
				if last := ents[len(ents)-1]; last.Type == "code" && last.Offset == e.Offset && last.Length == e.Length {
					e.Language = last.Language
					ents = ents[:len(ents)-1]
				}
			}
			if e.Type != "" {
				ents = append(ents, e)
			}
		}
	}
	if len(stack) > 0 {
		return fail("Can't find end tag corresponding to start tag \"%s\"", stack[len(stack)-1].name)
	}
	for k := range ents {
		if ents[k].Type == "code" {
			ents[k].Language = "" // only pre keeps a language
		}
	}
	sort.SliceStable(ents, func(a, b int) bool {
		if ents[a].Offset != ents[b].Offset {
			return ents[a].Offset < ents[b].Offset
		}
		return ents[a].Length > ents[b].Length
	})
	return out.String(), ents, nil
}

// entityFor makes the entity a closed tag stands for; an empty Type means
// none (Telegram drops a link with an invalid URL silently).
func entityFor(tag openTag, length int, inner string) (MessageEntity, error) {
	e := MessageEntity{Type: htmlTags[tag.name], Offset: tag.offset, Length: length}
	switch tag.name {
	case "a":
		link := tag.arg
		if link == "" {
			link = inner
		}
		if id, ok := strings.CutPrefix(link, "tg://user?id="); ok {
			if _, err := strconv.ParseInt(id, 10, 64); err == nil {
				e.Type = "text_mention"
				return e, nil
			}
		}
		if !validLink(link) {
			return MessageEntity{}, nil
		}
		e.URL = link
	case "code":
		e.Language = tag.arg
	case "tg-emoji":
		if _, err := strconv.ParseInt(tag.arg, 10, 64); err != nil || tag.arg == "" {
			return e, fmt.Errorf("Invalid custom emoji identifier specified")
		}
		e.CustomEmojiID = tag.arg
	case "blockquote":
		if tag.expandable {
			e.Type = "expandable_blockquote"
		}
	}
	return e, nil
}

func validLink(link string) bool {
	if link == "" || strings.ContainsAny(link, " \n\t") {
		return false
	}
	u, err := url.Parse(link)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "tg", "ton", "tonsite":
		return u.Host != "" || u.Scheme == "tg"
	case "":
		return strings.Contains(link, ".")
	}
	return false
}

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func isASCIIAlpha(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }

func isASCIIAlnum(c byte) bool { return isASCIIAlpha(c) || (c >= '0' && c <= '9') }

func utf16Len(r rune) int {
	if r >= 0x10000 && r <= utf8.MaxRune {
		return 2
	}
	return 1
}
