package subscriptions

import (
	"strings"
	"unicode"
)

// Operators as people type them. A query is typed on a phone, in the
// reader's own language and in whatever case the keyboard gives: "nato або
// нато", "Зеленський, Зеленский", "Україна НЕ Росія". These words are never
// searched for themselves unless quoted ("або" in quotes is the word): alone
// they would match nearly every article of their language anyway.
var (
	// orWords: either side. ЧИ (uk) and ЛИБО (ru) are the other everyday
	// ways of saying "or".
	orWords = []string{"OR", "АБО", "ИЛИ", "ЧИ", "ЛИБО"}
	// andWords are no-ops: words side by side are all needed already.
	// Й and ТА are Ukrainian "and" as much as І is.
	andWords = []string{"AND", "І", "И", "Й", "ТА", "&", "&&"}
	// notWords exclude what follows, like -word.
	notWords = []string{"NOT", "НЕ"}
)

// isListSep reports a rune that separates alternatives wherever it stands
// outside quotes: | and a comma, except a decimal comma (1,5).
func isListSep(rs []rune, i int) bool {
	switch rs[i] {
	case '|':
		return true
	case ',':
		return i == 0 || i+1 == len(rs) || !unicode.IsDigit(rs[i-1]) || !unicode.IsDigit(rs[i+1])
	}
	return false
}

// operatorKind returns what an unquoted word means as an operator.
func operatorKind(w string) (lexKind, bool) {
	u := strings.ToUpper(w)
	for _, o := range orWords {
		if u == o {
			return lexOr, true
		}
	}
	for _, o := range andWords {
		if u == o {
			return lexAnd, true
		}
	}
	for _, o := range notWords {
		if u == o {
			return lexNot, true
		}
	}
	return 0, false
}

// operatorWord reads a lexeme as an operator: as typed (&&), or as the one
// word it is made of ("OR." and "#або" are OR), so that no canonical query
// holds an unquoted operator word that would read otherwise when parsed
// again.
func operatorWord(text string) (lexKind, bool) {
	if k, ok := operatorKind(text); ok {
		return k, true
	}
	if toks := tokenize(nil, text); len(toks) == 1 {
		return operatorKind(toks[0].form)
	}
	return 0, false
}

// operators turns the operator words among the lexemes into operators: OR
// words into lexOr, AND words into nothing, NOT words into lexNot. A
// negated (-or) or prefix word is a word.
func (p *parser) operators() {
	out := p.toks[:0]
	for _, t := range p.toks {
		if t.kind == lexWord && !t.neg && !t.prefix {
			if k, ok := operatorWord(t.text); ok {
				p.sugar = true
				if k == lexAnd {
					continue
				}
				t.kind = k
			}
		}
		out = append(out, t)
	}
	p.toks = out
}

// ReadingWords are the words Reading writes for the operators, in the
// reader's language: "або", "і", "не".
type ReadingWords struct {
	Or, And, Not string
}

// Reading returns how a query was read, in the words the user typed and
// with the operators spelled in ReadingWords ("NATO або НАТО" for "NATO,
// НАТО"), and whether it is worth showing: it is when the query used an
// operator word, | or a comma, the ways of typing a query that could be
// meant otherwise. It returns "", false for a query Parse refuses.
func Reading(query string, w ReadingWords) (string, bool) {
	q, err := Parse(query, unlimited)
	if err != nil {
		return "", false
	}
	var b strings.Builder
	writeReading(&b, q.typed, w)
	return b.String(), q.sugar
}

func writeReading(b *strings.Builder, n *Node, w ReadingWords) {
	inner := func(c *Node) {
		if c.Kind == KindAnd || c.Kind == KindOr {
			b.WriteByte('(')
			writeReading(b, c, w)
			b.WriteByte(')')
			return
		}
		writeReading(b, c, w)
	}
	switch n.Kind {
	case KindWord, KindPrefix:
		b.WriteString(n.Typed)
		if n.Kind == KindPrefix {
			b.WriteByte('*')
		}
	case KindPhrase:
		if n.hyphen || strings.HasPrefix(n.Typed, exactMark) {
			b.WriteString(n.Typed)
			return
		}
		b.WriteString(`"` + strings.TrimSpace(n.Typed) + `"`)
	case KindNot:
		if c := n.Children[0]; c.Kind == KindWord {
			if _, op := operatorWord(c.Typed); op {
				b.WriteString("-" + c.Typed) // -or is the word, "NOT or" would not be
				return
			}
		}
		b.WriteString(w.Not + " ")
		inner(n.Children[0])
	case KindAnd, KindOr:
		sep := " " + w.And + " "
		if n.Kind == KindOr {
			sep = " " + w.Or + " "
		}
		for i, c := range n.Children {
			if i > 0 {
				b.WriteString(sep)
			}
			inner(c)
		}
	}
}
