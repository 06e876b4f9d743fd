package subscriptions

import "strings"

// Ukrainian has no Snowball stemmer, so this is a light one of our own: it
// removes one inflectional ending of nouns, adjectives and the commonest verb
// forms, then evens out the і/о, і/е, ї/є alternation of a closed last
// syllable (Львів/Львова, Київ/Києва, рік/року). It aims at names and
// nouns in headlines; it does not try to relate derived words (Україна and
// український stay apart: use Україн* for both).

// ukEndings are tried longest first; the first one that leaves a stem of at
// least ukMinStem letters is removed.
var ukEndings = func() [][]rune {
	list := []string{
		// reflexive and other verb endings
		"ються", "уться", "аться", "яться", "иться", "ється", "ується",
		"тися", "ться", "вся", "лася", "лося", "лися", "ючи", "учи",
		"ують", "юють", "ають", "яють", "ують", "ите", "имо", "ємо", "емо",
		"ати", "яти", "ити", "іти", "ути", "увати", "ювати",
		// adjective endings (hard and soft)
		"ього", "ьому", "ього", "ьої", "ьою",
		"ого", "ому", "ими", "ої", "ою", "ий", "ім", "им", "их", "іх", "ій",
		"ія", "ії", "ію", "ією", "іям", "іями", "іях",
		// noun endings
		"ами", "ями", "ові", "еві", "єві", "ам", "ям", "ах", "ях",
		"ею", "єю", "ом", "ем", "єм", "ей",
		"а", "я", "и", "і", "ї", "у", "ю", "о", "е", "є", "ь",
	}
	out := make([][]rune, len(list))
	for i, e := range list {
		out[i] = []rune(e)
	}
	// Longest first, so "ого" wins over "о".
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j]) > len(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}()

const ukMinStem = 3

func isUKVowel(r rune) bool {
	return strings.ContainsRune("аеєиіїоуюя", r)
}

// stemUK stems one normalized (lower-case) Ukrainian word. Most words have
// one stem; a word ending in -ів/-їв has two, because the ending is either the
// genitive plural (депутатів → депутат) or part of a name whose other cases
// alternate (Харків → харков like Харкова). Two words match when their stem
// sets meet.
func stemUK(w string) (stem, alt string) {
	rs := []rune(w)
	if n := len(rs); n >= 5 && (hasRuneSuffix(rs, []rune("ів")) || hasRuneSuffix(rs, []rune("їв"))) {
		whole := slicesClone(rs)
		alternate(whole)
		return string(rs[:n-2]), string(whole)
	}
	n := len(rs)
	switch {
	case n >= 5 && hasRuneSuffix(rs, []rune("ець")): // українець → українц like українця
		rs = append(rs[:n-3], 'ц')
	case n >= 5 && hasRuneSuffix(rs, []rune("ок")) && hasVowel(rs[:n-2]): // ринок → ринк like ринку
		rs = append(rs[:n-2], 'к')
	case n > ukMinStem:
		for _, e := range ukEndings {
			if len(rs)-len(e) < ukMinStem || !hasRuneSuffix(rs, e) {
				continue
			}
			rs = rs[:len(rs)-len(e)]
			break
		}
		if n := len(rs); n > ukMinStem && rs[n-1] == 'ь' { // області → област like область
			rs = rs[:n-1]
		}
	}
	alternate(rs)
	return string(rs), ""
}

func hasVowel(rs []rune) bool {
	for _, r := range rs {
		if isUKVowel(r) {
			return true
		}
	}
	return false
}

func slicesClone(rs []rune) []rune { return append([]rune(nil), rs...) }

// alternate rewrites the vowel of a closed last syllable: і becomes о and ї
// becomes є, the way the open-syllable forms are spelt (Львів → львов like
// Львова, Київ → києв like Києва). Applied to every form alike, it only has
// to be consistent, not right.
func alternate(rs []rune) {
	last := -1
	for i := len(rs) - 1; i >= 0; i-- {
		if isUKVowel(rs[i]) {
			last = i
			break
		}
	}
	// Only a vowel followed by a consonant, with something before it.
	if last <= 0 || last == len(rs)-1 {
		return
	}
	switch rs[last] {
	case 'і':
		rs[last] = 'о'
	case 'ї':
		rs[last] = 'є'
	}
}

func hasRuneSuffix(rs, suf []rune) bool {
	if len(suf) > len(rs) {
		return false
	}
	off := len(rs) - len(suf)
	for i, r := range suf {
		if rs[off+i] != r {
			return false
		}
	}
	return true
}
