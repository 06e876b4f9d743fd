package subscriptions

import (
	"slices"
	"testing"
)

func TestEntityTable(t *testing.T) {
	tab, err := loadEntities()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(tab.names); n < 300 {
		t.Errorf("%d entities, want a few hundred", n)
	}
	t.Logf("%d entities, %d names", len(tab.names), len(tab.byForm))
}

func TestEntityTableErrors(t *testing.T) {
	for _, src := range []string{
		"x\tA\tB",                // too few columns
		"x\tA\tB\tC\tD\tE",       // too many
		"x\t\"unclosed\tB\tC",    // a bad name
		"x\tA B\tB\tC",           // two words unquoted
		"x\tA\t\t",               // one name
		"x\tA\tB\tC\ny\tC\tD\tE", // a name in two entities
	} {
		if _, err := parseEntities(src); err == nil {
			t.Errorf("parseEntities(%q) took it", src)
		}
	}
}

func TestAlsoFinds(t *testing.T) {
	s, _ := newService(t, Config{Topics: []Topic{natoTopic}})
	tests := []struct {
		query string
		want  []string
	}{
		{"Україна", []string{"Украина", "Ukraine"}},
		{"Kiev", []string{"Київ", "Киев", "Kyiv"}},
		{"Sumy", []string{"Сумы"}}, // суми are sums: Суми is only a way in
		{"Суми", []string{"Сумы", "Sumy"}},
		{"санкції Росія -Трамп", []string{"РФ", "Россия", "Russia", "Russian Federation", "Российская Федерация", "Російська Федерація"}},
		{"NATO", nil}, // the admin's topic
		{"ЄС або EU", []string{"Євросоюз", "Європейський Союз", "ЕС", "Евросоюз", "Европейский союз", "European Union"}},
		{`"Україна"`, nil}, // quoted: exactly this
		{"санкції", nil},
	}
	for _, tt := range tests {
		if got := s.AlsoFinds(tt.query); !slices.Equal(got, tt.want) {
			t.Errorf("AlsoFinds(%q) = %q, want %q", tt.query, got, tt.want)
		}
	}
}
