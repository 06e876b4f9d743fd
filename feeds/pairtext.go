package feeds

import (
	"strconv"
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
	for _, n := range textNumbers(text) {
		dst = append(dst, string(featNumber)+n)
	}
	for _, w := range splitWords(text) {
		if w[0] >= '0' && w[0] <= '9' {
			continue // numbers are read above, with their separators
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
			// The first consonants only: a name's inflections and its
			// transliterations differ at the end (Харкові, Kharkiv).
			dst = append(dst, string(featName)+root)
		}
	}
	return dst
}

// multipliers are number words that scale the number before them:
// 40 тисяч = 40,000; 1,1 млрд = 1.1 billion.
var multipliers = map[string]float64{
	"тисяч": 1e3, "тисячі": 1e3, "тисяча": 1e3, "тис": 1e3, "тысяч": 1e3, "тысячи": 1e3, "тысяча": 1e3, "тыс": 1e3, "thousand": 1e3,
	"мільйон": 1e6, "мільйона": 1e6, "мільйонів": 1e6, "млн": 1e6, "миллион": 1e6, "миллиона": 1e6, "миллионов": 1e6, "million": 1e6,
	"мільярд": 1e9, "мільярда": 1e9, "мільярдів": 1e9, "млрд": 1e9, "миллиард": 1e9, "миллиарда": 1e9, "миллиардов": 1e9, "billion": 1e9,
}

// textNumbers returns the numbers of two digits or more in text, written
// one way whatever the style: 1 750, 1,750 and 1750 are "1750"; 1,1 млрд
// and 1.1 billion are "1100000000".
func textNumbers(text string) []string {
	var out []string
	b := []byte(text)
	isDigit := func(i int) bool { return i < len(b) && b[i] >= '0' && b[i] <= '9' }
	digitsAt := func(i int) int { // how many digits start at i
		n := 0
		for isDigit(i + n) {
			n++
		}
		return n
	}
	for i := 0; i < len(b); {
		if !isDigit(i) || i > 0 && (isDigit(i-1) || isWordByte(b[i-1])) {
			i++
			continue
		}
		n := digitsAt(i)
		intPart := string(b[i:i+n]) + ""
		j := i + n
		frac := ""
		for {
			sepLen := thousandsSep(b, j)
			if sepLen == 0 {
				break
			}
			if k := digitsAt(j + sepLen); k == 3 {
				intPart += string(b[j+sepLen : j+sepLen+3])
				j += sepLen + 3
				continue
			} else if k > 0 && (b[j] == ',' || b[j] == '.') && frac == "" {
				frac = string(b[j+1 : j+1+k])
				j += 1 + k
			}
			break
		}
		v := intPart
		if w := nextWord(text, j); w != "" {
			if m, ok := multipliers[w]; ok {
				f, _ := strconv.ParseFloat(intPart+"."+frac+"0", 64)
				v = strconv.FormatFloat(f*m, 'f', -1, 64)
				frac = ""
			}
		}
		if frac != "" {
			v += "." + frac
		}
		v = strings.TrimLeft(v, "0")
		if len(strings.ReplaceAll(v, ".", "")) >= 2 {
			out = append(out, v)
		}
		i = j
	}
	return out
}

// thousandsSep is the length of a separator of digit groups at b[i]: a
// space, a no-break or thin space, a comma or a period; 0 if none.
func thousandsSep(b []byte, i int) int {
	if i >= len(b) {
		return 0
	}
	switch b[i] {
	case ' ', ',', '.':
		return 1
	}
	r, size := utf8.DecodeRune(b[i:])
	if r == '\u00a0' || r == '\u202f' || r == '\u2009' {
		return size
	}
	return 0
}

func isWordByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 }

// nextWord is the lowercased word after text[i:] and spaces.
func nextWord(text string, i int) string {
	rest := strings.TrimLeft(text[i:], " \u00a0\u202f")
	end := strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) })
	if end < 0 {
		end = len(rest)
	}
	return strings.ToLower(rest[:end])
}

// splitWords returns the runs of letters and digits of s, in order.
func splitWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’' && r != 'ʼ'
	})
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
			case strings.HasPrefix(rest, "tsch"):
				emit('T')
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
