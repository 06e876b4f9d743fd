package telegramtest

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

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
