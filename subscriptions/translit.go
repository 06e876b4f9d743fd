package subscriptions

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Names across scripts. A capitalised query word matches capitalised words
// of the other script that spell the same name: Sybiha finds Сибіга and
// Сибига, Zelensky finds Зеленський and Зеленского, Kharkiv finds Харкові,
// and Зеленський finds Zelenskyy. Both sides are reduced to a name key in
// Latin letters and compared:
//
//  1. the word's dictionary form (nameLemma: the boundary to the morphology
//     layer; English words lose their plural and possessive);
//  2. a Cyrillic word is romanized: the Ukrainian national system for
//     Ukrainian letters, the common (BGN/PCGN-like) one for Russian ones;
//  3. the spelling variants of the systems and of English usage are merged
//     (nameSkeleton: kh/h, g/h, y/i/j, ts/c, doubled letters, diacritics);
//  4. one case ending is taken off (Зеленського, Харкові, Sybiha), with the
//     і/о alternation of Харків/Харкова.
//
// Precision first: only capitalised words on both sides (names, not
// cognates typed in lower case), keys of at least nameMinKey letters (so
// Mali is not малі, Sumy not суми, Rada not Радий), and no stemmer on the
// Cyrillic side: today's stemmers cut names to stems that are not names
// (Сибіга → сибог, Киев → ки, Лавров → лавр, which is лаври's too).

// stemName keys the index by name key. It is far from the other stemmers'
// numbers so that new ones can be added before it.
const stemName stemmer = 100

// nameMinKey is the fewest letters a name key has.
const nameMinKey = 5

// nameLemma returns the dictionary form of a normalized Cyrillic word for
// transliteration. It is the one place the morphology layer plugs in: with
// a lemma the ending rules of nameKeys find nothing more to take off. Until
// then it is the word itself.
var nameLemma = func(form string) string { return form }

// isCapitalised reports a word written with a capital first letter.
func isCapitalised(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	if r < utf8.RuneSelf {
		return 'A' <= r && r <= 'Z'
	}
	return unicode.IsUpper(r)
}

// capitalClass is the form-cache class bit of a capitalised article word.
const capitalClass = 8

func capitalBit(surface string) uint8 {
	if surface != "" && isCapitalised(surface) {
		return capitalClass
	}
	return 0
}

// appendNameKeys appends the name keys of a normalized word.
func appendNameKeys(dst []termKey, form string) []termKey {
	var skel string
	switch scriptOf(form) {
	case scriptCyrillic:
		skel = nameSkeleton(romanize(nameLemma(form)))
	case scriptLatin:
		skel = nameSkeleton(stemEN(form))
	default:
		return dst
	}
	if skel == "" {
		return dst
	}
	add := func(k string) {
		if len(k) < nameMinKey {
			return
		}
		for _, d := range dst {
			if d.stemmer == stemName && d.s == k {
				return
			}
		}
		dst = append(dst, termKey{stemName, k})
	}
	// The longest ending and the shortest: Миколаєві is Миколаєв-і as
	// much as Микола-єві.
	long, short := stripNameEnding(skel)
	add(skel)
	add(long)
	add(short)
	add(nameAlternate(long))
	return dst
}

// romanization of Cyrillic letters; ukrainian and russian letters that
// only one language has come from that language's system.
var romanTable = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "h", 'ґ': "g", 'д': "d", 'е': "e", 'є': "ie", 'ж': "zh",
	'з': "z", 'и': "y", 'і': "i", 'ї': "i", 'й': "i", 'к': "k", 'л': "l", 'м': "m", 'н': "n",
	'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts",
	'ч': "ch", 'ш': "sh", 'щ': "shch", 'ь': "", 'ю': "iu", 'я': "ia", '\'': "",
	'ы': "y", 'э': "e", 'ъ': "", 'ё': "e",
}

// romanize writes a normalized Cyrillic word in Latin letters, or "" when
// it has a letter the table does not know.
func romanize(form string) string {
	var b strings.Builder
	b.Grow(len(form))
	prev := rune(0)
	for _, r := range form {
		s, ok := romanTable[r]
		if !ok {
			if '0' <= r && r <= '9' {
				s = string(r)
			} else {
				return ""
			}
		}
		if r == 'г' && prev == 'з' {
			s = "gh" // the national system's зг, not zh
		}
		b.WriteString(s)
		prev = r
	}
	return b.String()
}

// latinFold maps the Latin letters with diacritics that names are written
// with to what an English text writes.
var latinFold = map[rune]string{
	'á': "a", 'à': "a", 'â': "a", 'ä': "a", 'ã': "a", 'å': "a", 'ą': "a", 'ă': "a",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e", 'ę': "e", 'ė': "e", 'ě': "e",
	'í': "i", 'ì': "i", 'î': "i", 'ï': "i", 'ı': "i",
	'ó': "o", 'ò': "o", 'ô': "o", 'ö': "o", 'õ': "o", 'ø': "o", 'ő': "o",
	'ú': "u", 'ù': "u", 'û': "u", 'ü': "u", 'ů': "u", 'ű': "u",
	'ý': "y", 'ÿ': "y", 'ç': "c", 'č': "ch", 'ć': "c", 'ğ': "g", 'ł': "l", 'ľ': "l",
	'ñ': "n", 'ń': "n", 'ň': "n", 'ř': "r", 'š': "sh", 'ś': "s", 'ș': "s", 'ş': "s",
	'ț': "t", 'ţ': "t", 'ť': "t", 'ž': "zh", 'ź': "z", 'ż': "z", 'đ': "d", 'ď': "d",
}

// nameSkeleton merges the spellings that transliteration systems and
// English usage write differently for one Cyrillic name. It returns "" for
// anything but letters (a number is no name).
func nameSkeleton(latin string) string {
	var b strings.Builder
	b.Grow(len(latin))
	for _, r := range latin {
		switch {
		case 'a' <= r && r <= 'z':
			b.WriteRune(r)
		case r == '\'':
		default:
			s, ok := latinFold[r]
			if !ok {
				return ""
			}
			b.WriteString(s)
		}
	}
	s := b.String()
	// c is k unless it is ch or sounds ts (before e, i, y): Macron/Макрон.
	if strings.IndexByte(s, 'c') >= 0 {
		var c strings.Builder
		for i := 0; i < len(s); i++ {
			if s[i] == 'c' && (i+1 >= len(s) || !strings.ContainsRune("heiy", rune(s[i+1]))) {
				c.WriteByte('k')
				continue
			}
			c.WriteByte(s[i])
		}
		s = c.String()
	}
	s = nameReplacer.Replace(s)
	// Runs of one letter are one letter: Zelenskyy, Tallinn, Таллин.
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if i > 0 && s[i] == s[i-1] {
			continue
		}
		out = append(out, s[i])
	}
	return string(out)
}

var nameReplacer = strings.NewReplacer(
	"kh", "h", "ck", "k", "ts", "c", "ph", "f", "x", "ks", "w", "v", "q", "k",
	"g", "h", "y", "i", "j", "i",
)

// nameEndings are the case endings taken off a name key, longest first, as
// they look after nameSkeleton (ою is oiu, ий is i).
var nameEndings = func() []string {
	l := []string{
		"oho", "eho", "omu", "emu", "ovi", "evi", "ami", "iami", "oiu", "eiu",
		"ah", "iah", "am", "iam", "om", "em", "oi", "ei", "iu", "ia", "im", "ih",
		"a", "i", "o", "e", "u",
	}
	slices.SortStableFunc(l, func(a, b string) int { return len(b) - len(a) })
	return l
}()

// stripNameEnding returns k without its longest and without its shortest
// name ending (k itself when it has none).
func stripNameEnding(k string) (long, short string) {
	long, short = k, k
	for _, e := range nameEndings {
		if strings.HasSuffix(k, e) && len(k)-len(e) >= nameMinKey {
			if long == k {
				long = k[:len(k)-len(e)]
			}
			short = k[:len(k)-len(e)]
		}
	}
	return long, short
}

// nameAlternate evens out the alternation of the -ів and -їв of place
// names and surnames: Харків → Харкова (harkiv → harkov), Миколаїв →
// Миколаєва (mikolaiv → mikolaiev).
func nameAlternate(k string) string {
	n := len(k)
	if n < 3 || k[n-1] != 'v' || k[n-2] != 'i' {
		return k
	}
	if strings.ContainsRune("aeiou", rune(k[n-3])) {
		return k[:n-1] + "ev"
	}
	return k[:n-2] + "ov"
}

// Key is the matcher's key for q: its canonical form, and which of its
// words were typed capitalised, since those also match names in the other
// script (Sybiha finds Сибіга, sybiha does not).
func (q *Query) Key() string {
	var names []string
	var walk func(n *Node)
	walk = func(n *Node) {
		if n.Kind == KindWord && isCapitalised(n.Typed) && !slices.Contains(names, n.Words[0]) {
			names = append(names, n.Words[0])
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	walk(q.Root)
	if len(names) == 0 {
		return q.String()
	}
	slices.Sort(names)
	return q.String() + "\x1f" + strings.Join(names, " ")
}
