package feeds

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The text side of content pairing: an article's title and summary become
// a set of features that survive translation between its outlet's
// languages. Ukrainian and Russian share most word roots once both are
// reduced to a consonant skeleton (Україна, Украина → krn); against
// English, names survive transliteration the same way (Сибіга, Sybiha →
// sbg; Київ, Kyiv, Киев → kv; Рютте, Rutte → rt), and so do numbers
// (1 750, 1,750 and 1750 are one feature).

// feature kinds, in the top byte of a feature
const (
	featRoot   = 'r' // the first consonants of any word: same-script pairing
	featName   = 'n' // the whole skeleton of a capitalized word
	featNumber = '#' // a number of two digits or more
)

// textFeatures appends the features of one text (title or summary).
func textFeatures(dst []string, text string) []string {
	words := splitWords(text)
	for i := 0; i < len(words); i++ {
		w := words[i]
		if isDigits(w) {
			// 1 750 / 1,750 / 1.750: groups of three digits after a separator.
			n := w
			for i+1 < len(words) && words[i+1] != "" && isDigits(words[i+1]) && len(words[i+1]) == 3 && sepBefore(text, words, i+1) {
				n += words[i+1]
				i++
			}
			n = strings.TrimLeft(n, "0")
			if len(n) >= 2 {
				dst = append(dst, string(featNumber)+n)
			}
			continue
		}
		upper := isUpperStart(w)
		sk := skeleton(stripEnding(strings.ToLower(w)))
		if len(sk) < 2 {
			continue
		}
		root := sk
		if len(root) > 3 {
			root = root[:3]
		}
		dst = append(dst, string(featRoot)+root)
		if upper {
			dst = append(dst, string(featName)+sk)
		}
	}
	return dst
}

// splitWords returns the runs of letters and digits of s, in order.
func splitWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’' && r != 'ʼ'
	})
}

// sepBefore reports whether words[i] follows words[i-1] after exactly one
// thousands separator (space, no-break space, comma, period).
func sepBefore(text string, words []string, i int) bool {
	// Find the end of words[i-1] and the start of words[i] in text: both
	// are in order, so search from the previous match.
	prev := strings.Index(text, words[i-1]+" "+words[i])
	if prev >= 0 {
		return true
	}
	for _, sep := range []string{",", ".", "\u00a0", "\u202f", "\u2009"} {
		if strings.Contains(text, words[i-1]+sep+words[i]) {
			return true
		}
	}
	return false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isUpperStart(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// cyrEndings are inflectional endings of Ukrainian and Russian whose
// consonants would otherwise reach the skeleton, longest first.
var cyrEndings = []string{
	"ського", "ському", "ськими", "ських", "ского", "скому", "скими", "ских",
	"ються", "ається", "ились", "илися", "тися", "ться", "лася", "лись", "лося", "ися",
	"ами", "ями", "ого", "ому", "ими", "ыми", "его", "ему", "ові", "еві", "ів", "ов", "ев",
	"ах", "ях", "ам", "ям", "ом", "ем", "им", "ым", "ил", "ив", "ила", "ило", "или", "ла", "ли", "ло",
	"ся", "сь", "ть",
}

// stripEnding cuts a Cyrillic word's inflection, an English possessive or
// plural s; it leaves at least three letters.
func stripEnding(w string) string {
	for _, apo := range []string{"'s", "’s", "ʼs"} {
		if s, ok := strings.CutSuffix(w, apo); ok {
			return s
		}
	}
	w = strings.TrimRight(w, "'’ʼ")
	n := utf8.RuneCountInString(w)
	if r, _ := utf8.DecodeRuneInString(w); r < 0x400 || r > 0x4ff {
		if n > 4 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
			return w[:len(w)-1]
		}
		return w
	}
	for _, e := range cyrEndings {
		if strings.HasSuffix(w, e) && n-utf8.RuneCountInString(e) >= 3 {
			return w[:len(w)-len(e)]
		}
	}
	return w
}

// skeleton is a lowercased word's consonants, Latin and Cyrillic mapped to
// one alphabet of sound classes, doubled ones collapsed: transliterations
// and the uk/ru forms of one name or root come out the same.
func skeleton(w string) string {
	var b []byte
	emit := func(c byte) {
		if len(b) == 0 || b[len(b)-1] != c {
			b = append(b, c)
		}
	}
	for i := 0; i < len(w); {
		r, size := utf8.DecodeRuneInString(w[i:])
		rest := w[i:]
		switch {
		case r < 0x80:
			switch {
			case strings.HasPrefix(rest, "shch"):
				emit('S')
				i += 4
				continue
			case strings.HasPrefix(rest, "zh"):
				emit('Z')
			case strings.HasPrefix(rest, "kh"):
				emit('X')
			case strings.HasPrefix(rest, "ts"), strings.HasPrefix(rest, "tz"):
				emit('C')
			case strings.HasPrefix(rest, "ch"):
				emit('T')
			case strings.HasPrefix(rest, "sh"):
				emit('S')
			case strings.HasPrefix(rest, "ph"):
				emit('f')
			case strings.HasPrefix(rest, "th"):
				emit('t')
			default:
				if c := latinClass(byte(r)); c != 0 {
					emit(c)
				}
				i++
				continue
			}
			i += 2
			continue
		case r == 'д' && strings.HasPrefix(w[i+size:], "ж"):
			emit('J')
			i += size + len("ж")
			continue
		default:
			if c := cyrClass(r); c != 0 {
				emit(c)
			}
		}
		i += size
	}
	return string(b)
}

func latinClass(c byte) byte {
	switch c {
	case 'b', 'd', 'f', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'g':
		return c
	case 'w':
		return 'v'
	case 'h':
		return 'g' // Ukrainian г is h in transliteration, g in Russian
	case 'c', 'q':
		return 'k'
	case 'x':
		return 'k'
	case 'j':
		return 'J'
	}
	if c >= '0' && c <= '9' {
		return c
	}
	return 0 // vowels, y, punctuation
}

func cyrClass(r rune) byte {
	switch r {
	case 'б':
		return 'b'
	case 'в':
		return 'v'
	case 'г', 'ґ':
		return 'g'
	case 'д':
		return 'd'
	case 'ж':
		return 'Z'
	case 'з':
		return 'z'
	case 'к':
		return 'k'
	case 'л':
		return 'l'
	case 'м':
		return 'm'
	case 'н':
		return 'n'
	case 'п':
		return 'p'
	case 'р':
		return 'r'
	case 'с':
		return 's'
	case 'т':
		return 't'
	case 'ф':
		return 'f'
	case 'х':
		return 'X'
	case 'ц':
		return 'C'
	case 'ч':
		return 'T'
	case 'ш', 'щ':
		return 'S'
	}
	if r >= '0' && r <= '9' {
		return byte(r)
	}
	return 0
}
