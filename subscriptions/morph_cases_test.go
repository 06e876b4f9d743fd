package subscriptions

import (
	"strings"
	"testing"

	"github.com/newsalert/newsalert/feeds"
)

// morphCases is how a query word meets the forms of Ukrainian, Russian
// and English articles: lemmas from the dictionaries (package
// morphology), the dropped vowels, the stemmers for words they do not
// know, inflecting phrases and !exact forms, and the traps that must not
// match. Written for this project; docs/benchmarks.md (Query cases) gives
// its figures.
var morphCases = []struct {
	query, lang, text string
	want              bool
}{
	// Cities and names that the Russian stemmer cut too short.
	{"Киев", "ru", "Взрывы в Киеве ночью", true},
	{"Киев", "ru", "Поезд из Киева отменён", true},
	{"Киев", "ru", "Киевом управляет мэр", true},
	{"Киев", "ru", "Кинотеатр открылся", false},
	{"Харьков", "ru", "Обстрел Харькова продолжается", true},
	{"Харьков", "ru", "В Харькове тревога", true},
	{"Николаев", "ru", "Свет вернулся в Николаеве", true},
	{"Николаев", "ru", "Мэр Николаева выступил", true},
	{"Лавров", "ru", "Лавров прилетел в Анкару", true},
	{"Лавров", "ru", "Встреча с Лавровым отменена", true},
	{"Лавров", "ru", "Заявление Лаврова", true},
	{"Лавров", "ru", "Команда почивает на лаврах", false},
	{"Лавров", "ru", "Венок из лавров", true}, // the same form: nothing tells them apart
	{"Песков", "ru", "Дети играют в песке", false},
	{"Песков", "ru", "Слова Пескова", true},
	{"Путин", "ru", "Указ Путина опубликован", true},
	{"Путин", "ru", "Встреча с Путиным", true},
	// Fleeting vowels.
	{"день", "ru", "Третий день подряд", true},
	{"день", "ru", "Через два дня", true},
	{"день", "ru", "Несколько дней назад", true},
	{"посол", "ru", "МИД вызвал посла", true},
	{"посол", "ru", "Послы стран ЕС встретились", true},
	{"посол", "ru", "Встреча послов", true},
	{"посол", "ru", "Послание президента парламенту", false},
	{"ветер", "ru", "Сильного ветра не ожидается", true},
	{"сон", "ru", "Без сна и отдыха", true},
	{"день", "uk", "Минуло три дні", true},
	{"день", "uk", "Протягом дня", true},
	{"вересень", "uk", "Засідання 5 вересня", true},
	{"посол", "uk", "МЗС викликало посла", true},
	{"посол", "uk", "Зустріч послів країн ЄС", true},
	{"вітер", "uk", "Через сильний вітру порив", true},
	{"вітер", "uk", "Штормовий вітер", true},
	// Ukrainian lemmas and their traps.
	{"Рада", "uk", "Верховна Рада ухвалила закон", true},
	{"Рада", "uk", "Засідання Ради відбудеться", true},
	{"Рада", "uk", "Депутати Верховної Ради", true},
	{"Рада", "uk", "Я радий вас бачити", false},
	{"Рада", "uk", "Дуже радісна новина", false},
	{"Рада", "uk", "Радий допомогти", false},
	{"Росія", "uk", "Санкції проти Росії", true},
	{"Росія", "uk", "Переговори з Росією", true},
	{"Росія", "uk", "Вранці на траві роса", false},
	{"Росія", "uk", "Краплі роси на листі", false},
	{"Трамп", "uk", "Трамп підписав указ", true},
	{"Трамп", "uk", "Заява Трампа", true},
	{"Трамп", "uk", "Зустріч із Трампом", true},
	{"Трамп", "uk", "Стрибки з трампліна", false},
	{"НАТО", "uk", "Саміт НАТО у Вашингтоні", true},
	{"НАТО", "uk", "Натовп зібрався на площі", false},
	{"НАТО", "uk", "Поліція розігнала натовпу частину", false},
	{"Київ", "uk", "Обстріл у Києві", true},
	{"Київ", "uk", "Поїзд до Києва", true},
	{"Харків", "uk", "Удар по Харкову", true},
	{"Харків", "uk", "У Харкові світло", true},
	{"Україна", "uk", "Президент України", true},
	{"Україна", "uk", "Український прапор", false},
	{"міністр", "uk", "Відставка міністра", true},
	{"міністр", "uk", "Міністри закордонних справ ЄС", true},
	{"Зеленський", "uk", "Звернення Зеленського", true},
	{"санкції", "uk", "Новий пакет санкцій", true},
	// Russian lemmas and traps.
	{"Россия", "ru", "Санкции против России", true},
	{"Россия", "ru", "Капли росы на траве", false},
	{"министр", "ru", "Отставка министра обороны", true},
	{"Украина", "ru", "Визит на Украину", true},
	{"война", "ru", "Третий год войны", true},
	// A Cyrillic query word reads both languages.
	{"війна", "uk", "Третій рік війни", true},
	{"посол", "ru", "Послу вручили ноту", true},
	// Phrases: each word in any form, adjacent, in order.
	{`"міністр закордонних справ"`, "uk", "Заява міністра закордонних справ", true},
	{`"міністр закордонних справ"`, "uk", "Міністри закордонних справ ЄС зібралися", true},
	{`"міністр закордонних справ"`, "uk", "Міністрові закордонних справ вручили ноту", true},
	{`"міністр закордонних справ"`, "uk", "Міністр справ закордонних", false},
	{`"міністр закордонних справ"`, "uk", "Міністр оборони і закордонних справ", false},
	{`"міністр закордонних справ"`, "uk", "Міністр. Закордонних справ", true}, // punctuation is no boundary of a phrase
	{`"министр иностранных дел"`, "ru", "Встреча министров иностранных дел", true},
	{`"министр иностранных дел"`, "ru", "Заявление министра иностранных дел", true},
	{`"министр иностранных дел"`, "ru", "Министр дел иностранных", false},
	{`"Верховна Рада"`, "uk", "Депутати Верховної Ради", true},
	{`"Верховна Рада"`, "uk", "Верховний радий", false},
	{`"foreign minister"`, "en", "Foreign ministers met in Rome", true},
	{`"foreign minister"`, "en", "The minister for foreign trade", false},
	{`"посол США"`, "ru", "МИД вызвал посла США", true},
	{`"посол США"`, "uk", "Зустріч із послом США", true},
	{`"Київ" "Харків"`, "uk", "Між Києвом і Харковом", true},
	{"NATO-Russia", "en", "The NATO-Russia council", true},
	// !word: this form only.
	{"!Київ", "uk", "Обстріл у Києві", false},
	{"!Київ", "uk", "Приїзд у Київ", true},
	{"!Києві", "uk", "Обстріл у Києві", true},
	{"!посла", "ru", "МИД вызвал посла", true},
	{"!посла", "ru", "Посол прибыл", false},
	{"!sanctions", "en", "A sanction was lifted", false},
	{"!sanctions", "en", "New sanctions", true},
	{`"!міністр закордонних справ"`, "uk", "Заява міністра закордонних справ", false},
	{`"!міністр закордонних справ"`, "uk", "Міністр закордонних справи", true},
	{`"міністра !закордонних справ"`, "uk", "Міністр закордонних справ", true},
	{"-!Києві Київ", "uk", "Обстріл у Києві", false},
	{"-!Києві Київ", "uk", "Рух у Києва", true},
	// English.
	{"child", "en", "Children were evacuated", true},
	{"children", "en", "A child was rescued", true},
	{"crisis", "en", "Two crises at once", true},
	{"crises", "en", "The crisis deepens", true},
	{"woman", "en", "Women protest in Tehran", true},
	{"sanction", "en", "New sanctions on Russia", true},
	{"Ukraine", "en", "Ukraine's grain exports", true},
	{"NATO", "en", "The senator spoke", false},
	// English by hunspell-en-us lemma: suffixes join, prefixes do not.
	{"walk", "en", "Workers walked out", true},
	{"walked", "en", "Walking out of talks", true},
	{"strike", "en", "Miners struck again", false},
	{"claim", "en", "The group claimed the attack", true},
	{"meeting", "en", "Leaders meet in Rome", true},
	{"happy", "en", "Voters unhappy with the deal", false},
	{"Trump", "en", "A trumpet solo", false},
	{"Trump", "en", "Trump's tariffs", true},
}

func TestMorphCases(t *testing.T) {
	pass := 0
	for _, c := range morphCases {
		if got := matchOne(t, c.query, c.lang, c.text); got != c.want {
			t.Errorf("%q on %q (%s) = %v, want %v", c.query, c.text, c.lang, got, c.want)
		} else {
			pass++
		}
	}
	t.Logf("%d of %d cases pass", pass, len(morphCases))
}

// The whole text is read: the end of a long description, the categories,
// and the content when the feed has match_content.
func TestWholeTextMatched(t *testing.T) {
	q, err := Parse("посол", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	m := NewMatcher()
	m.SetChat(1, ChatFilter{})
	m.Add(1, q.String(), "посол", q)
	long := strings.Repeat("Довгий текст про погоду і врожай. ", 320) + "Наприкінці МЗС викликало посла."
	for _, tt := range []struct {
		name    string
		a       feeds.Article
		content bool
		want    bool
	}{
		{"end of a 10,000-character description", feeds.Article{Lang: "uk", Title: "Погода", Summary: long}, false, true},
		{"a category", feeds.Article{Lang: "uk", Title: "Погода", Categories: []string{"Посли"}}, false, true},
		{"content with match_content", feeds.Article{Lang: "uk", Title: "Погода", Content: long}, true, true},
		{"content without match_content", feeds.Article{Lang: "uk", Title: "Погода", Content: long}, false, false},
	} {
		if got := len(m.Match(tt.a, tt.content)) == 1; got != tt.want {
			t.Errorf("%s: matched %v, want %v", tt.name, got, tt.want)
		}
	}
}
