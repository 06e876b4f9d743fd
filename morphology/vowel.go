package morphology

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The Russian dictionary cannot say with its suffix rules that посол and
// посла are one word (a vowel of the last syllable drops out when an
// ending is added), so it lists посла, послу, послы as headwords of their
// own; ветер and ветра, сон and сна likewise. joinDroppedVowels gives such
// a headword the lemma of the word it is a form of. The rule is narrow, as
// a wrong join costs precision (все is not a form of вес, nor диплом of
// диполь):
//   - the headword is a stem ending in two consonants and a case ending
//     (посл+а), listed without flags, or a plural with flags (послы/O);
//   - the stem with о or е put back before its last consonant, optionally
//     with a soft sign (посол, день), is a headword of the same case
//     (a name only with a name);
//   - that word does not inflect regularly (вес has веса: a word with
//     a regular genitive has no fleeting vowel), unless four cases of
//     the stem, the plural among them, are listed (посла, послу, послом, послы: посол, the salting, has
//     посола too);
//   - only one such word exists (псом: пос or пёс? neither), and the
//     headword is not a form of something else by a rule.
var caseEndings = []string{
	"ами", "ями", "ах", "ях", "ам", "ям", "ов", "ев", "ей", "ом", "ем", "ою", "ею", "ові",
	"ів", "а", "я", "у", "ю", "е", "ы", "и", "і",
}

const consonants = "бвгджзклмнпрстфхцчшщ"

func isConsonant(r rune) bool { return strings.ContainsRune(consonants, r) }

func (d *Dictionary) joinDroppedVowels() {
	var buf []Lemma
	for i := range d.ents {
		e := &d.ents[i]
		if e.lemma != uint32(i) {
			continue // a second entry of the same key follows the first
		}
		k := d.key(i)
		if strings.HasSuffix(k, "ся") || strings.HasSuffix(k, "сь") || strings.HasSuffix(k, "ти") {
			continue // verbs: their stems alternate in other ways
		}
		for _, end := range caseEndings {
			if !strings.HasSuffix(k, end) {
				continue
			}
			plural := end == "ы" || end == "и" || end == "і"
			if d.flagsets[e.flags] != "" && !plural {
				break
			}
			stem := k[:len(k)-len(end)]
			last, size := utf8.DecodeLastRuneInString(stem)
			before, _ := utf8.DecodeLastRuneInString(stem[:len(stem)-size])
			if !isConsonant(last) || !isConsonant(before) || utf8.RuneCountInString(stem) < 2 {
				continue
			}
			j := d.fleeting(stem[:len(stem)-size], string(last), e.proper)
			if j < 0 || d.ents[j].lemma == uint32(i) {
				break
			}
			if buf = d.Lemmas(buf[:0], k); slices.ContainsFunc(buf, func(l Lemma) bool { return !l.Headword }) {
				break
			}
			target := d.ents[j].lemma
			for m := i; m < len(d.ents) && d.ents[m].off == e.off; m++ {
				d.ents[m].lemma = target
			}
			d.aliases++
			break
		}
	}
}

// fleeting returns the entry head+vowel+last (or with a soft sign after)
// that is a word with a fleeting vowel, or -1. A word without the soft
// sign is preferred (сон, not сень, for сна); two of a kind are ambiguous
// (псом: пос or пёс?) and give -1.
func (d *Dictionary) fleeting(head, last string, proper bool) int {
	reduced := head + last
	strong := d.evidence(reduced) >= 4 && (d.find(reduced+"ы") >= 0 || d.find(reduced+"и") >= 0)
	for _, soft := range []string{"", "ь"} {
		found := -1
		for _, v := range []string{"о", "е"} {
			w := head + v + last + soft
			if strings.HasSuffix(w, "ть") || strings.HasSuffix(w, "чь") {
				continue // an infinitive
			}
			j := d.find(w)
			if j < 0 || d.ents[j].proper != proper || d.ents[j].lemma != uint32(j) || !strong && d.regular(w) {
				continue
			}
			if found >= 0 {
				return -1
			}
			found = j
		}
		if found >= 0 {
			return found
		}
	}
	return -1
}

// evidence counts the cases of the stem listed as headwords of their own:
// посла, послу, послом, после, послы are five, a whole paradigm spelt out
// because the rules cannot make it.
func (d *Dictionary) evidence(stem string) int {
	n := 0
	for _, ends := range [][2]string{{"а", "я"}, {"у", "ю"}, {"ом", "ем"}, {"е", "і"}, {"ы", "и"}} {
		if d.find(stem+ends[0]) >= 0 || d.find(stem+ends[1]) >= 0 {
			n++
		}
	}
	return n
}

// regular reports whether a noun w has a genitive or dative made by
// adding an ending to it whole, as words without a fleeting vowel do.
func (d *Dictionary) regular(w string) bool {
	base := strings.TrimSuffix(w, "ь")
	var buf [8]Lemma
	for _, end := range []string{"а", "у", "я", "ю"} {
		for _, l := range d.Lemmas(buf[:0], base+end) {
			if l.Word == w {
				return true
			}
		}
	}
	return false
}

// normalize is the form words are compared in: lower case, ё as е, every
// apostrophe as ', no stress marks. It agrees with the normalization of
// package subscriptions for Ukrainian and Russian words.
func normalize(s string) string {
	if isNormal(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == 'ʼ' || r == '’' || r == '‘' || r == '`' || r == '′' || r == 'ʹ':
			r = '\''
		case r == 0x301: // combining acute: a stress mark
			continue
		case r >= 0x410 && r <= 0x42F: // А-Я
			r += 0x20
		case r >= 0x400 && r <= 0x40F: // Ѐ-Џ (Є, І, Ї)
			r += 0x50
		case r >= 0x430 && r <= 0x45F:
		default:
			r = unicode.ToLower(unicode.ToUpper(r))
		}
		if r == 'ё' {
			r = 'е'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isNormal reports a word of lower-case ASCII and Cyrillic letters without
// ё, digits, hyphens and ': its own normal form, the common case.
func isNormal(s string) bool {
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '\'':
		case r >= 0x430 && r <= 0x45F && r != 'ё', r == 'ґ':
		default:
			return false
		}
	}
	return true
}

func lastRune(s string) (rune, int) { return utf8.DecodeLastRuneInString(s) }
