package telegramtest

import "fmt"

// decodeHTMLEntity decodes the entity at src[i] ('&') like TDLib: &lt; &gt;
// &amp; &quot; and numeric references, the ";" optional. next is the index
// after it. A surrogate code point is returned as is: the caller rejects it.
func decodeHTMLEntity(src string, i int) (r rune, next int, ok bool) {
	n := len(src)
	end := i + 1
	var res int64
	if end < n && src[end] == '#' {
		end++
		hex := end < n && (src[end] == 'x' || src[end] == 'X')
		if hex {
			end++
		}
		for end < n {
			d, ok := digitVal(src[end], hex)
			if !ok {
				break
			}
			if hex {
				res = res*16 + d
			} else {
				res = res*10 + d
			}
			end++
			if res >= 0x10ffff {
				return 0, 0, false
			}
		}
		if res == 0 {
			return 0, 0, false
		}
	} else {
		for end < n && isASCIIAlpha(src[end]) {
			end++
		}
		switch src[i+1 : end] {
		case "lt":
			res = '<'
		case "gt":
			res = '>'
		case "amp":
			res = '&'
		case "quot":
			res = '"'
		default:
			return 0, 0, false
		}
	}
	if end < n && src[end] == ';' {
		end++
	}
	return rune(res), end, true
}

// strictEntityError describes a "&" that Telegram would show literally.
func strictEntityError(src string, i int) string {
	end := i + 1
	for end < len(src) && end-i < 12 && (isASCIIAlnum(src[end]) || src[end] == '#') {
		end++
	}
	if end < len(src) && src[end] == ';' {
		end++
	}
	return fmt.Sprintf("Unsupported HTML entity \"%s\" at byte offset %d: escape \"&\" as \"&amp;\" "+
		"(Telegram would show it literally; telegramtest is strict)", src[i:end], i)
}

func digitVal(c byte, hex bool) (int64, bool) {
	switch {
	case c >= '0' && c <= '9':
		return int64(c - '0'), true
	case hex && c >= 'a' && c <= 'f':
		return int64(c-'a') + 10, true
	case hex && c >= 'A' && c <= 'F':
		return int64(c-'A') + 10, true
	}
	return 0, false
}
