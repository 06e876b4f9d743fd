package subscriptions

import (
	"context"
	"errors"
	"testing"

	"github.com/newsalert/newsalert/feeds"
)

func TestOperatorsAsTyped(t *testing.T) {
	tests := []struct{ in, want string }{
		{"NATO or НАТО", "nato OR нато"},
		{"NATO Or НАТО", "nato OR нато"},
		{"NATO або НАТО", "nato OR нато"},
		{"NATO Або НАТО", "nato OR нато"},
		{"NATO или НАТО", "nato OR нато"},
		{"NATO чи НАТО", "nato OR нато"},
		{"NATO либо НАТО", "nato OR нато"},
		{"NATO|НАТО", "nato OR нато"},
		{"NATO || НАТО", "nato OR нато"},
		{"NATO, НАТО", "nato OR нато"},
		{"NATO #OR НАТО", "nato OR нато"}, // the word OR, however it is dressed
		{"NATO,НАТО", "nato OR нато"},
		{"Зеленський, Зеленский, Zelensky", "zelensky OR зеленский OR зеленський"},
		{"NATO, НАТО Україна", "nato OR нато україна"},
		{"(NATO, НАТО) Україна", "(nato OR нато) україна"},
		{"1,5 млрд", `"1 5" млрд`},
		{"NATO AND Ukraine", "nato ukraine"},
		{"NATO and Ukraine", "nato ukraine"},
		{"Україна і Польща", "польща україна"},
		{"Україна І Польща", "польща україна"},
		{"Україна та Польща", "польща україна"},
		{"Украина и Польша", "польша украина"},
		{"NATO & EU", "eu nato"},
		{"NATO NOT Trump", "nato -trump"},
		{"NATO not Trump", "nato -trump"},
		{"Україна НЕ Росія", "україна -росія"},
		{"Україна не Росія", "україна -росія"},
		{"NATO NOT (Trump OR Трамп)", "nato -(trump OR трамп)"},
		{`NATO NOT "foreign minister"`, `nato -"foreign minister"`},
		{"NATO NOT -Trump", "nato trump"},
		{`"or" NATO`, `"or" nato`},
		{`"не" NATO`, `"не" nato`},
		{"NATO -or", "nato -or"},
		{"NATO OR", "nato"},
		{"NATO НЕ", "nato"},
		{"Орбан", "орбан"},         // a word that starts like an operator
		{"Andorra", "andorra"},     // and ends like one
		{"Нетаньяху", "нетаньяху"}, // НЕ is a word, not a prefix
		{"NATO-Russia", `"nato russia"`},
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

func TestOperatorErrors(t *testing.T) {
	for _, in := range []string{"або", "OR", "і", "AND", "НЕ", ", ,", "|"} {
		if _, err := Parse(in, Limits{}); CodeOf(err) != ErrEmpty {
			t.Errorf("Parse(%q) = %v, want %s", in, err, ErrEmpty)
		}
	}
	for _, in := range []string{"НЕ Трамп", "NOT Trump", "NATO OR NOT Trump"} {
		if _, err := Parse(in, Limits{}); CodeOf(err) != ErrOnlyExclusions {
			t.Errorf("Parse(%q) = %v, want %s", in, err, ErrOnlyExclusions)
		}
	}
}

func TestReading(t *testing.T) {
	uk := ReadingWords{Or: "або", And: "і", Not: "не"}
	tests := []struct {
		in, want string
		show     bool
	}{
		{"NATO, НАТО", "NATO або НАТО", true},
		{"NATO or НАТО", "NATO або НАТО", true},
		{"NATO OR НАТО", "NATO або НАТО", true},
		{"НАТО | NATO", "НАТО або NATO", true}, // in the user's order
		{"Україна НЕ Росія", "Україна і не Росія", true},
		{"NATO, НАТО Україна", "NATO або (НАТО і Україна)", true},
		{`(NATO, НАТО) "foreign minister" -Trump*`, `(NATO або НАТО) і "foreign minister" і не Trump*`, true},
		{"NATO-Russia and EU", "NATO-Russia і EU", true},
		{"NATO Ukraine", "NATO і Ukraine", false},
		{"NATO -Trump", "NATO і не Trump", false},
		{`"foreign minister"`, `"foreign minister"`, false},
	}
	for _, tt := range tests {
		got, show := Reading(tt.in, uk)
		if got != tt.want || show != tt.show {
			t.Errorf("Reading(%q) = %q, %v; want %q, %v", tt.in, got, show, tt.want, tt.show)
		}
	}
	if got, show := Reading(`"unclosed`, uk); got != "" || show {
		t.Errorf("Reading of a bad query = %q, %v", got, show)
	}
}

// FuzzQuerySyntax checks the operator syntax: any query Parse takes has a
// Reading, and the Reading written with the English operators is the same
// query again.
func FuzzQuerySyntax(f *testing.F) {
	for _, s := range []string{"NATO or НАТО", "NATO, НАТО", "1,5 млрд", "Україна НЕ Росія", "a і b та c",
		"NOT (a, b) c", "-or NATO", `"або" x`, "x || y && z", "НЕ НЕ x", "a,,b", ",a|", "NOT -x y",
		"(a b OR c) NOT d*", "Abo aБO"} {
		f.Add(s)
	}
	en := ReadingWords{Or: "OR", And: "AND", Not: "NOT"}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s, Limits{MaxLen: 1000, MaxTerms: 100})
		if err != nil {
			return
		}
		r, _ := Reading(s, en)
		if r == "" {
			t.Fatalf("Parse(%q) ok, Reading empty", s)
		}
		q2, err := Parse(r, unlimited)
		if CodeOf(err) == ErrTooDeep { // the reading spells out implicit groups
			return
		}
		if err != nil {
			t.Fatalf("Reading(%q) = %q: %v", s, r, err)
		}
		if q2.String() != q.String() {
			t.Fatalf("Reading(%q) = %q reads as %q, not %q", s, r, q2.String(), q.String())
		}
	})
}

// A query stored before the operators were read as typed ("nato and
// ukraine" was three words) is read the new way, and is found again by
// /unsubscribe and by a second /subscribe.
func TestOperatorsOnStoredQueries(t *testing.T) {
	ctx := context.Background()
	s, reopen := newService(t, Config{})
	if _, err := s.UpsertChat(ctx, 1, Private, "en"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO subscriptions(chat_id, query, normalized, created)
		VALUES(1, 'nato and ukraine', 'and nato ukraine', 1)`); err != nil {
		t.Fatal(err)
	}
	s = reopen()
	if got := s.Match(feeds.Article{Lang: "en", Title: "NATO meets Ukraine"}, false); len(got) != 1 {
		t.Errorf("stored query: %+v, want a match without the word and", got)
	}
	if _, err := s.Subscribe(ctx, 1, "NATO AND Ukraine"); !errors.Is(err, ErrAlreadySubscribed) {
		t.Errorf("subscribe again: %v, want ErrAlreadySubscribed", err)
	}
	if _, err := s.Unsubscribe(ctx, 1, "nato and ukraine"); err != nil {
		t.Errorf("unsubscribe: %v", err)
	}
}
