package subscriptions

import (
	"testing"

	"github.com/newsalert/newsalert/feeds"
)

// matchOne reports whether query matches an article with the given title,
// in lang, through a real Matcher.
func matchOne(t *testing.T, query, lang, title string) bool {
	t.Helper()
	q, err := Parse(query, Limits{})
	if err != nil {
		t.Fatalf("Parse(%q): %v", query, err)
	}
	m := NewMatcher()
	m.SetChat(1, ChatFilter{})
	m.Add(1, q.Key(), query, q)
	return len(m.Match(feeds.Article{Lang: lang, Title: title}, false)) == 1
}

func TestSemantics(t *testing.T) {
	tests := []struct {
		name, query, lang, title string
		want                     bool
	}{
		{"word", "NATO", "en", "NATO summit opens", true},
		{"not inside senator", "NATO", "en", "The senator spoke", false},
		{"not inside Donato", "NATO", "en", "Donato wins the race", false},
		{"hyphen is a boundary", "NATO", "en", "NATO-Russia council meets", true},
		{"possessive", "NATO", "en", "NATO's new chief", true},
		{"typographic possessive", "Ukraine", "en", "Ukraine’s grain exports", true},
		{"plural", "sanction", "en", "New sanctions announced", true},
		{"plural query", "sanctions", "en", "A sanction was lifted", true},
		{"case", "nato", "en", "NATO summit", true},
		{"both words", "NATO Ukraine", "en", "Ukraine and NATO talk", true},
		{"both words, one missing", "NATO Ukraine", "en", "NATO talks", false},
		{"or", "NATO OR НАТО", "uk", "Саміт НАТО у Вашингтоні", true},
		{"phrase", `"foreign minister"`, "en", "The foreign minister resigned", true},
		{"phrase not adjacent", `"foreign minister"`, "en", "The minister for foreign trade", false},
		{"exclusion removes", "NATO -Trump", "en", "Trump criticises NATO", false},
		{"exclusion keeps", "NATO -Trump", "en", "NATO summit opens", true},
		{"prefix", "Україн*", "uk", "Українські військові", true},
		{"prefix whole word", "Україн*", "uk", "Україна", true},
		{"prefix not inside", "Україн*", "uk", "Заукраїнний", false},
		{"ru inflection", "Украина", "ru", "Визит на Украине", true},
		{"ru phrase", `"на Украине"`, "ru", "Визит на Украине завершён", true},
		{"latin i", "українські", "uk", "Українськi військові", true},
		{"latin i query", "Українськi", "uk", "Українські військові", true},
		{"exact form", `!Київ`, "uk", "Візит до Києві", false},
		{"exact form hit", `!Київ`, "uk", "Візит у Київ", true},
		{"quoted word inflects", `"Київ"`, "uk", "Візит до Києві", true},
		{"unquoted Київ", "Київ", "uk", "Обстріл у Києві", true},
		{"uk Україна/України", "Україна", "uk", "Президент України", true},
		{"uk Україною", "Україна", "uk", "Переговори з Україною", true},
		{"uk Зеленського", "Зеленський", "uk", "Заява Зеленського", true},
		{"uk Зеленським", "Зеленський", "uk", "Зустріч із Зеленським", true},
		{"uk Росії", "Росія", "uk", "Санкції проти Росії", true},
		{"uk Угорщини", "Угорщина", "uk", "Позиція Угорщини", true},
		{"uk санкцій", "санкції", "uk", "Пакет санкцій", true},
		{"apostrophe kinds", "п'ять", "uk", "Пʼять років", true},
		{"parentheses", "(NATO OR НАТО) Україна", "uk", "НАТО і Україна", true},
		{"parentheses miss", "(NATO OR НАТО) Україна", "uk", "НАТО і Польща", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := matchOne(t, tt.query, tt.lang, tt.title); got != tt.want {
				t.Errorf("query %q on %q (%s) = %v, want %v", tt.query, tt.title, tt.lang, got, tt.want)
			}
		})
	}
}
