package subscriptions

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Parse reads a query as a user types it:
//
//	NATO                 a word, in any inflected form (NATO's, НАТО needs its own word)
//	NATO Ukraine         both words
//	NATO OR НАТО         either (also |, АБО, ИЛИ, in any case; see operators.go)
//	NATO, НАТО           either: a comma-separated list
//	NATO AND Ukraine     both (AND, І, И are no-ops)
//	"foreign minister"   the words in a row, each in any of its forms
//	!Київ                this form only (Київ, not Києві); also in a phrase
//	-Trump, NOT Trump    without the word (also НЕ)
//	Україн*              any word starting with Україн
//	(NATO OR НАТО) -Trump
//
// A hyphenated word (NATO-Russia) is the phrase of its parts. Errors are
// *QueryError values with a code and a position.
func Parse(s string, lim Limits) (*Query, error) {
	lim = lim.withDefaults()
	if n := utf8.RuneCountInString(s); n > lim.MaxLen {
		return nil, &QueryError{Code: ErrTooLong, Pos: lim.MaxLen}
	}
	p := &parser{src: s, lim: lim}
	if err := p.lex(); err != nil {
		return nil, err
	}
	root, err := p.parseOr(0)
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) { // a ')' without its '('
		return nil, &QueryError{Code: ErrUnbalancedParen, Pos: p.toks[p.i].pos}
	}
	if root == nil {
		return nil, &QueryError{Code: ErrEmpty, Pos: 0}
	}
	typed := root
	root = simplify(root)
	if !positive(root) {
		return nil, &QueryError{Code: ErrOnlyExclusions, Pos: 0}
	}
	return &Query{Root: root, typed: typed, sugar: p.sugar}, nil
}

type lexKind uint8

const (
	lexWord lexKind = iota
	lexPhrase
	lexOpen
	lexClose
	lexOr
	lexNot // NOT, НЕ: the next word, phrase or group is excluded
	lexAnd // AND, І, И: dropped by operators
)

type lexeme struct {
	kind   lexKind
	text   string
	pos    int  // rune offset
	neg    bool // preceded by '-'
	prefix bool // ended by '*'
}

type parser struct {
	src   string
	lim   Limits
	toks  []lexeme
	i     int
	terms int
	sugar bool // an operator word or a comma was read
}

func isQuote(r rune) bool {
	switch r {
	case '"', '“', '”', '„', '«', '»', '‟', '＂':
		return true
	}
	return false
}

func (p *parser) lex() error {
	rs := []rune(p.src)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
			continue
		case r == '(':
			p.toks = append(p.toks, lexeme{kind: lexOpen, pos: i})
			i++
			continue
		case r == ')':
			p.toks = append(p.toks, lexeme{kind: lexClose, pos: i})
			i++
			continue
		case isListSep(rs, i):
			p.toks = append(p.toks, lexeme{kind: lexOr, pos: i, text: string(r)})
			p.sugar = true
			i++
			continue
		}
		start := i
		neg := false
		if r == '-' && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) {
			neg = true
			i++
			if rs[i] == '(' {
				p.toks = append(p.toks, lexeme{kind: lexOpen, pos: i, neg: true})
				i++
				continue
			}
		}
		if isQuote(rs[i]) {
			j := i + 1
			for j < len(rs) && !isQuote(rs[j]) {
				j++
			}
			if j == len(rs) {
				return &QueryError{Code: ErrUnbalancedQuote, Pos: i}
			}
			p.toks = append(p.toks, lexeme{kind: lexPhrase, text: string(rs[i+1 : j]), pos: start, neg: neg})
			i = j + 1
			continue
		}
		j := i
		for j < len(rs) && !unicode.IsSpace(rs[j]) && rs[j] != '(' && rs[j] != ')' && !isQuote(rs[j]) && !isListSep(rs, j) {
			j++
		}
		w := string(rs[i:j])
		i = j
		prefix := false
		if n := len(w); n > 1 && w[n-1] == '*' {
			prefix = true
			w = w[:n-1]
		}
		p.toks = append(p.toks, lexeme{kind: lexWord, text: w, pos: start, neg: neg, prefix: prefix})
	}
	p.operators()
	return nil
}

// parseOr reads alternatives up to a ')' or the end. Empty alternatives
// ("NATO OR", "OR OR") are dropped; nil means nothing was there.
func (p *parser) parseOr(depth int) (*Node, error) {
	if depth > maxDepth {
		return nil, &QueryError{Code: ErrTooDeep, Pos: p.pos()}
	}
	var alts []*Node
	for {
		and, err := p.parseAnd(depth)
		if err != nil {
			return nil, err
		}
		if and != nil {
			alts = append(alts, and)
		}
		if p.i < len(p.toks) && p.toks[p.i].kind == lexOr {
			p.i++
			continue
		}
		break
	}
	switch len(alts) {
	case 0:
		return nil, nil
	case 1:
		return alts[0], nil
	}
	return &Node{Kind: KindOr, Children: alts}, nil
}

func (p *parser) parseAnd(depth int) (*Node, error) {
	var parts []*Node
	negNext := false // a NOT before this element
	for p.i < len(p.toks) {
		t := p.toks[p.i]
		if t.kind == lexOr || t.kind == lexClose {
			break
		}
		p.i++
		if t.kind == lexNot {
			negNext = !negNext
			continue
		}
		if negNext {
			t.neg = !t.neg
			negNext = false
		}
		var n *Node
		switch t.kind {
		case lexOpen:
			inner, err := p.parseOr(depth + 1)
			if err != nil {
				return nil, err
			}
			if p.i >= len(p.toks) || p.toks[p.i].kind != lexClose {
				return nil, &QueryError{Code: ErrUnbalancedParen, Pos: t.pos}
			}
			p.i++
			n = inner
		case lexPhrase:
			n = p.phrase(t.text)
		case lexWord:
			var err error
			if n, err = p.word(t); err != nil {
				return nil, err
			}
		}
		if n == nil {
			continue
		}
		if p.terms > p.lim.MaxTerms {
			return nil, &QueryError{Code: ErrTooManyTerms, Pos: t.pos}
		}
		if t.neg {
			n = &Node{Kind: KindNot, Children: []*Node{n}}
		}
		parts = append(parts, n)
	}
	switch len(parts) {
	case 0:
		return nil, nil
	case 1:
		return parts[0], nil
	}
	return &Node{Kind: KindAnd, Children: parts}, nil
}

func (p *parser) pos() int {
	if p.i < len(p.toks) {
		return p.toks[p.i].pos
	}
	return utf8.RuneCountInString(p.src)
}

// phrase turns quoted text into words in a row, each in any of its forms
// or, written !word, in that form only; nil when it holds no word.
func (p *parser) phrase(text string) *Node {
	words := phraseWords(text)
	if len(words) == 0 {
		return nil
	}
	p.terms += len(words)
	return &Node{Kind: KindPhrase, Words: words, Typed: text}
}

// exactMark starts a phrase word that matches its own form only (!word,
// Yandex's convention). Normalized words never contain it.
const exactMark = "!"

// phraseWords returns the normalized words of text, those typed with a
// leading ! marked exact.
func phraseWords(text string) []string {
	var words []string
	for field := range strings.FieldsSeq(text) {
		exact := strings.HasPrefix(field, exactMark)
		for _, tk := range tokenize(nil, field) {
			if exact {
				words = append(words, exactMark+tk.form)
			} else {
				words = append(words, tk.form)
			}
		}
	}
	return words
}

func (p *parser) word(t lexeme) (*Node, error) {
	if strings.HasPrefix(t.text, exactMark) && !t.prefix {
		// !word: this form only.
		if n := p.phrase(t.text); n != nil {
			n.Typed = t.text
			return n, nil
		}
		return nil, nil
	}
	toks := tokenize(nil, t.text)
	t.text = strings.TrimLeft(t.text, "-") // --x is -x: the second - is no word's
	switch len(toks) {
	case 0:
		return nil, nil
	case 1:
		p.terms++
		if t.prefix {
			if utf8.RuneCountInString(toks[0].form) < minPrefixRunes {
				return nil, &QueryError{Code: ErrPrefixTooShort, Pos: t.pos}
			}
			return &Node{Kind: KindPrefix, Words: []string{toks[0].form}, Typed: t.text}, nil
		}
		return &Node{Kind: KindWord, Words: []string{toks[0].form}, Typed: t.text}, nil
	}
	// NATO-Russia: the parts in a row.
	words := make([]string, len(toks))
	for i, tk := range toks {
		words[i] = tk.form
	}
	p.terms += len(words)
	return &Node{Kind: KindPhrase, Words: words, Typed: t.text, hyphen: true}, nil
}
