package subscriptions

import (
	"slices"
	"strings"
	"testing"
)

func TestParseString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"NATO", "nato"},
		{"NATO Ukraine", "nato ukraine"},
		{"Ukraine NATO", "nato ukraine"},
		{"NATO OR НАТО", "nato OR нато"},
		{"NATO | НАТО АБО натовський", "nato OR нато OR натовський"},
		{`"Foreign Minister"`, `"foreign minister"`},
		{`“Київ”`, `"київ"`},
		{"NATO -Trump", "nato -trump"},
		{"Україн*", "україн*"},
		{"(NATO OR НАТО) (Україна OR Украина) -Trump", "(nato OR нато) (украина OR україна) -trump"},
		{"NATO-Russia", `"nato russia"`},
		{"Ukraine’s", "ukraine's"},
		{"Українськi", "українські"},
		{"NATO OR", "nato"},
		{"((NATO))", "nato"},
		{"-(Trump OR Трамп) NATO", "nato -(trump OR трамп)"},
		{"a b OR c", "a b OR c"},
		{"nato nato", "nato"},
	}
	for _, tt := range tests {
		q, err := Parse(tt.in, Limits{})
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := q.String(); got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in   string
		code ErrorCode
		pos  int
	}{
		{"", ErrEmpty, 0},
		{"   ", ErrEmpty, 0},
		{"— !!", ErrEmpty, 0},
		{"()", ErrEmpty, 0},
		{`NATO "foreign minister`, ErrUnbalancedQuote, 5},
		{"(NATO OR НАТО", ErrUnbalancedParen, 0},
		{"NATO)", ErrUnbalancedParen, 4},
		{"-Trump", ErrOnlyExclusions, 0},
		{"NATO OR -Trump", ErrOnlyExclusions, 0},
		{strings.Repeat("a", 201), ErrTooLong, 200},
		{strings.Repeat("w ", 21), ErrTooManyTerms, 40},
		{"Ук*", ErrPrefixTooShort, 0},
		{strings.Repeat("(", 20) + "a" + strings.Repeat(")", 20), ErrTooDeep, 17},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in, Limits{})
		qe, ok := err.(*QueryError)
		if !ok {
			t.Errorf("Parse(%q) = %v, want a *QueryError", tt.in, err)
			continue
		}
		if qe.Code != tt.code || qe.Pos != tt.pos {
			t.Errorf("Parse(%q) = %s at %d, want %s at %d", tt.in, qe.Code, qe.Pos, tt.code, tt.pos)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"NATO", `"foreign minister" -Trump`, "(NATO OR НАТО) Україн*", "NATO-Russia's",
		"Українськi", "a OR (b -c)", `-"x y"`, "ﬁnance ¼", "--x y", "ΣΑΣ ς", "straße"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s, Limits{MaxLen: 1000, MaxTerms: 100})
		if err != nil {
			if _, ok := err.(*QueryError); !ok {
				t.Fatalf("Parse(%q): error %T %v is not a *QueryError", s, err, err)
			}
			return
		}
		s1 := q.String()
		q2, err := Parse(s1, unlimited)
		if err != nil {
			t.Fatalf("Parse(%q) ok, but its String %q: %v", s, s1, err)
		}
		if s2 := q2.String(); s2 != s1 {
			t.Fatalf("unstable: %q → %q → %q", s, s1, s2)
		}
		// A parsed query must compile and be indexable without panicking.
		m := NewMatcher()
		m.Add(1, s1, s, q)
		m.Remove(1, s1)
	})
}

// FuzzExactWord: any query with ! parses without panicking, and the
// exact words of its canonical form survive a second parse. (The round
// trip of the rest of the syntax is not this target's.)
func FuzzExactWord(f *testing.F) {
	for _, s := range []string{"!Київ", `"!міністр закордонних справ"`, "-!Києві Київ", "!", "!!x", `"!"`, "!Україн*", "!NATO-Russia", "(!a OR b)"} {
		f.Add(s)
	}
	exactWords := func(q *Query) []string {
		var out []string
		var walk func(n *Node)
		walk = func(n *Node) {
			for _, w := range n.Words {
				if strings.HasPrefix(w, exactMark) {
					out = append(out, w)
				}
			}
			for _, c := range n.Children {
				walk(c)
			}
		}
		walk(q.Root)
		slices.Sort(out)
		return out
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s, Limits{})
		if err != nil || !strings.Contains(q.String(), exactMark) {
			return
		}
		again, err := Parse(q.String(), Limits{})
		if err != nil {
			t.Fatalf("canonical %q of %q does not parse: %v", q.String(), s, err)
		}
		if a, b := exactWords(q), exactWords(again); !slices.Equal(a, b) {
			t.Fatalf("exact words of %q: %v, after a round trip %v", s, a, b)
		}
		for _, w := range exactWords(q) {
			if w == exactMark || strings.HasPrefix(w, exactMark+exactMark) {
				t.Fatalf("%q: exact word %q has no form", s, w)
			}
		}
	})
}
