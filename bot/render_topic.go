package bot

import (
	"strings"
	"unicode"
)

// topicText is how an alert names a subscription that matched: the words
// the reader looks for, without query syntax. `"foreign minister" -Trump`
// is shown as "foreign minister", `(NATO OR ЄС) саміт` as "NATO або ЄС
// саміт", `Україн*` as "Україн…". Exclusions are left out: they are not
// why the article came.
func topicText(lang, label string) string {
	or := map[string]string{"uk": "або", "ru": "или"}[lang]
	if or == "" {
		or = "or"
	}
	var words []string
	rs := []rune(label)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r) || r == '(' || r == ')':
			i++
		case r == '-' && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]):
			i = skipTerm(rs, i+1)
		case isOpenQuote(r):
			j := i + 1
			for j < len(rs) && !isCloseQuote(rs[j]) {
				j++
			}
			if phrase := strings.TrimSpace(string(rs[i+1 : min(j, len(rs))])); phrase != "" {
				words = append(words, phrase)
			}
			i = j + 1
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && rs[j] != '(' && rs[j] != ')' && !isOpenQuote(rs[j]) {
				j++
			}
			w := string(rs[i:j])
			switch w {
			case "OR", "|", "АБО", "ИЛИ":
				if len(words) > 0 && words[len(words)-1] != or {
					words = append(words, or)
				}
			default:
				if strings.HasSuffix(w, "*") && len(w) > 1 {
					w = strings.TrimRight(w, "*") + "…"
				}
				words = append(words, w)
			}
			i = j
		}
	}
	for len(words) > 0 && words[len(words)-1] == or {
		words = words[:len(words)-1]
	}
	for len(words) > 0 && words[0] == or {
		words = words[1:]
	}
	if len(words) == 0 {
		return label
	}
	return strings.Join(words, " ")
}

// skipTerm returns the index after the term starting at rs[i]: a word, a
// quoted phrase or a parenthesized group.
func skipTerm(rs []rune, i int) int {
	switch {
	case i >= len(rs):
		return i
	case rs[i] == '(':
		depth := 0
		for ; i < len(rs); i++ {
			switch rs[i] {
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return i
	case isOpenQuote(rs[i]):
		i++
		for i < len(rs) && !isCloseQuote(rs[i]) {
			i++
		}
		return i + 1
	}
	for i < len(rs) && !unicode.IsSpace(rs[i]) && rs[i] != ')' {
		i++
	}
	return i
}

func isOpenQuote(r rune) bool  { return r == '"' || r == '«' || r == '“' || r == '„' }
func isCloseQuote(r rune) bool { return r == '"' || r == '»' || r == '”' || r == '“' }
