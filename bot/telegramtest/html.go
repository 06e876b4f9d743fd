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
	"tg-time": "date_time",
	"code":    "code", "pre": "pre", "blockquote": "blockquote",
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
			if ok && isSurrogate(r) {
				return fail("%s", errSurrogate)
			}
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
					// An attribute without a value: ignored, except this one.
					if name == "blockquote" && attr == "expandable" {
						tag.expandable = true
					}
					continue
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
							if ok && isSurrogate(r) {
								return fail("%s", errSurrogate)
							}
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
				case name == "tg-time" && attr == "unix":
					tag.unix = value
				case name == "tg-time" && attr == "format":
					tag.format = value
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
			// <pre><code class="language-x"> (either way round) is one pre
			// entity with a language; without a language both stay.
			if k := len(ents); k > 0 && ents[k-1].Offset == e.Offset && ents[k-1].Length == e.Length {
				last := &ents[k-1]
				switch {
				case e.Type == "pre" && last.Type == "code" && last.Language != "":
					e.Language = last.Language
					ents = ents[:k-1]
				case e.Type == "code" && e.Language != "" && last.Type == "pre":
					last.Language = e.Language
					e.Type = ""
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
		if ents[a].Length != ents[b].Length {
			return ents[a].Length > ents[b].Length
		}
		return entityPriority[ents[a].Type] < entityPriority[ents[b].Type]
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
		norm, ok := normalizeLink(link)
		if !ok {
			return MessageEntity{}, nil
		}
		e.URL = norm
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
	case "tg-time":
		unix, err := strconv.ParseInt(tag.unix, 10, 64)
		if err != nil {
			return e, fmt.Errorf("Invalid Unix time specified")
		}
		if !validDateFormat(tag.format) {
			return e, fmt.Errorf("Invalid date format used")
		}
		e.UnixTime, e.DateTimeFormat = unix, tag.format
	}
	return e, nil
}

// validDateFormat: "r" (relative) alone, or any mix of w W d D t T.
func validDateFormat(f string) bool {
	if f == "r" {
		return true
	}
	return strings.Trim(f, "wWdDtT") == ""
}

// normalizeLink checks a link the way Telegram does before making a
// text_link, adding "http://" to a bare host and "/" to an empty path.
func normalizeLink(link string) (string, bool) {
	if link == "" || strings.ContainsAny(link, " \n\t\r") {
		return "", false
	}
	lower := strings.ToLower(link)
	if strings.HasPrefix(lower, "tg:") || strings.HasPrefix(lower, "ton:") {
		return link, true
	}
	if !strings.Contains(link, "://") {
		link = "http://" + link
	}
	u, err := url.Parse(link)
	if err != nil || u.Host == "" {
		return "", false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "tonsite":
	default:
		return "", false
	}
	if host := u.Hostname(); !strings.Contains(host, ".") && host != "localhost" {
		return "", false
	}
	start := strings.Index(link, "://") + 3
	if k := strings.IndexAny(link[start:], "/?#"); k < 0 {
		link += "/"
	} else if link[start+k] != '/' {
		link = link[:start+k] + "/" + link[start+k:]
	}
	return link, true
}

const errSurrogate = "Text contains invalid Unicode characters after decoding HTML entities, " +
	"check for unmatched surrogate code units"

func isSurrogate(r rune) bool { return r >= 0xd800 && r <= 0xdfff }

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
