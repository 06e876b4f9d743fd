package morphology

import (
	"runtime"
	"slices"
	"strings"
	"testing"
)

// A dictionary written for the test: the rules and words are ours, in the
// shape of the uk and ru files (count line, one-character flags, classes,
// negated classes, "0" for nothing, a stress mark to ignore).
const testAff = `SET UTF-8
IGNORE ́

SFX A Y 4
SFX A   0    а     [^аеиоуь]
SFX A   0    у     [^аеиоуь]
SFX A   ь    я     ь
SFX A   ь    ю     ь

SFX B Y 3
SFX B   ий   ого   [^ц]ий
SFX B   ий   ому   ий
SFX B   ий   0     ий

SFX C Y 2
SFX C   ер   ру    ер
SFX C   ер   ром   ер
`

const testDic = `9
стол/A
конь/A
синий/B
вітер/C
Киев/A
ветер
ветра
ветру
кий
`

func readTest(t *testing.T) *Dictionary {
	t.Helper()
	d, err := Read(strings.NewReader(testAff), strings.NewReader(testDic))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func words(ls []Lemma) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Word)
	}
	slices.Sort(out)
	return out
}

func TestReadLooksUpBySuffixRules(t *testing.T) {
	d := readTest(t)
	for _, tt := range []struct {
		form string
		want []string
	}{
		{"стол", []string{"стол"}},
		{"стола", []string{"стол"}},
		{"столу", []string{"стол"}},
		{"коня", []string{"конь"}},
		{"коню", []string{"конь"}},
		{"конья", nil},  // ь is stripped, not kept
		{"синего", nil}, // the rule says ого, not его
		{"синого", []string{"синий"}},
		{"синому", []string{"синий"}},
		{"син", []string{"синий"}}, // add "0": the ending removed
		{"вітру", []string{"вітер"}},
		{"вітром", []string{"вітер"}},
		{"вітеру", nil},
		{"киева", []string{"киев"}},  // the key is in lower case
		{"ветра", []string{"ветер"}}, // listed apart: the dropped-vowel rule
		{"ветру", []string{"ветер"}},
		{"кия", nil},
		{"столы", nil},
		{"", nil},
	} {
		if got := words(d.Lemmas(nil, tt.form)); !slices.Equal(got, tt.want) {
			t.Errorf("Lemmas(%q) = %v, want %v", tt.form, got, tt.want)
		}
	}
	ls := d.Lemmas(nil, "киев")
	if len(ls) != 1 || !ls[0].Proper || !ls[0].Headword {
		t.Errorf("Lemmas(киев) = %+v, want one proper headword", ls)
	}
	if ls := d.Lemmas(nil, "стола"); len(ls) != 1 || ls[0].Proper || ls[0].Headword {
		t.Errorf("Lemmas(стола) = %+v, want one common lemma made by a rule", ls)
	}
}

func TestReadRefusesWhatItCannotRead(t *testing.T) {
	for _, aff := range []string{
		"SET KOI8-R\n",
		"FLAG long\n",
		"SFX AB Y 1\nSFX AB 0 а .\n",
		"SFX A Y 1\nSFX A 0 а [аб\n",
		"SFX A Y 1\nSFX A 0\n",
	} {
		if _, err := Read(strings.NewReader(aff), strings.NewReader("1\nстол/A\n")); err == nil {
			t.Errorf("Read(%q) accepted it", aff)
		}
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"Київ": "київ", "ЁЖ": "еж", "п’ять": "п'ять", "пʼять": "п'ять", "за́мок": "замок", "NATO": "nato", "ҐАНОК": "ганок",
	} {
		if in == "ҐАНОК" {
			want = "ґанок"
		}
		if got := normalize(in); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// The embedded dictionaries: the forms the issue names, and its traps.
func TestEmbeddedDictionaries(t *testing.T) {
	if err := Preload(); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		lang, form string
		has        string // a lemma it must have
		hasNot     string // a lemma it must not have
	}{
		{"uk", "києві", "київ", ""},
		{"uk", "харкова", "харків", ""},
		{"uk", "вітру", "вітер", ""},
		{"uk", "вересня", "вересень", ""},
		{"uk", "посла", "посол", ""},
		{"uk", "дня", "день", ""},
		{"uk", "міністра", "міністр", ""},
		{"uk", "міністри", "міністр", ""},
		{"uk", "закордонних", "закордонний", ""},
		{"uk", "росії", "росія", "роса"},
		{"uk", "роси", "роса", "росія"},
		{"uk", "радий", "радий", "рада"},
		{"uk", "трампліна", "трамплін", "трамп"},
		{"uk", "натовпу", "натовп", "нато"},
		{"uk", "зеленського", "зеленський", ""},
		{"ru", "киеве", "киев", ""},
		{"ru", "киева", "киев", ""},
		{"ru", "харькове", "харьков", ""},
		{"ru", "николаева", "николаев", ""},
		{"ru", "посла", "посол", "послание"},
		{"ru", "послов", "посол", ""},
		{"ru", "ветра", "ветер", ""},
		{"ru", "сна", "сон", ""},
		{"ru", "дня", "день", ""},
		{"ru", "дней", "день", ""},
		{"ru", "послание", "послание", "посол"},
		{"ru", "лаврах", "лавр", ""},
		{"ru", "росы", "роса", "россия"},
		{"ru", "россии", "россия", "роса"},
		{"ru", "немцев", "немец", ""},
		{"ru", "все", "", "вес"},
		{"ru", "диплом", "диплом", "диполь"},
	} {
		d := For(tt.lang)
		got := words(d.Lemmas(nil, tt.form))
		if tt.has != "" && !slices.Contains(got, tt.has) {
			t.Errorf("%s %s: lemmas %v, want %s among them", tt.lang, tt.form, got, tt.has)
		}
		if tt.hasNot != "" && slices.Contains(got, tt.hasNot) {
			t.Errorf("%s %s: lemmas %v, must not have %s", tt.lang, tt.form, got, tt.hasNot)
		}
	}
	if For("de") != nil {
		t.Error("For(de) is a dictionary; there is none")
	}
}

func FuzzRead(f *testing.F) {
	f.Add(testAff, testDic, "стола")
	f.Add("SFX A Y 1\nSFX A 0 [^", "1\nа/A", "аа")
	f.Fuzz(func(t *testing.T, aff, dic, form string) {
		d, err := Read(strings.NewReader(aff), strings.NewReader(dic))
		if err != nil {
			return
		}
		d.Lemmas(nil, normalize(form))
	})
}

// BenchmarkLoad is the start-up cost: the embedded dictionaries read (in
// parallel, as Preload does) and the heap they hold.
func BenchmarkLoad(b *testing.B) {
	var heap uint64
	for b.Loop() {
		before := heapAlloc()
		var uk, ru, en *Dictionary
		done := make(chan error, 3)
		go func() { var err error; uk, err = readEmbedded("uk_UA"); done <- err }()
		go func() { var err error; ru, err = readEmbedded("ru_RU"); done <- err }()
		go func() { var err error; en, err = readEmbedded("en_US"); done <- err }()
		for range 3 {
			if err := <-done; err != nil {
				b.Fatal(err)
			}
		}
		heap = heapAlloc() - before
		runtime.KeepAlive(uk)
		runtime.KeepAlive(ru)
		runtime.KeepAlive(en)
	}
	b.ReportMetric(float64(heap)/(1<<20), "heapMB")
}

func heapAlloc() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// TestEnglishSuffixesOnly: the English dictionary joins a word's suffixed
// forms (walked, walking: walk) and not its prefixed ones (unhappy is not
// happy), and keeps names apart from common words (NATO, senator).
func TestEnglishSuffixesOnly(t *testing.T) {
	d, err := English()
	if err != nil {
		t.Fatal(err)
	}
	has := func(form, lemma string) bool {
		for _, l := range d.Lemmas(nil, form) {
			if l.Word == lemma {
				return true
			}
		}
		return false
	}
	for _, c := range []struct{ form, lemma string }{{"walked", "walk"}, {"walking", "walk"}, {"walks", "walk"}, {"senators", "senator"}} {
		if !has(c.form, c.lemma) {
			t.Errorf("%s: no lemma %s (%v)", c.form, c.lemma, d.Lemmas(nil, c.form))
		}
	}
	for _, c := range []struct{ form, lemma string }{{"unhappy", "happy"}, {"trumpet", "trump"}, {"senator", "nato"}} {
		if has(c.form, c.lemma) {
			t.Errorf("%s: lemma %s", c.form, c.lemma)
		}
	}
}
