//go:build !nodemo

package main

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// demoStory is one story of the demo news site, which, like the Ukrainian
// sites our users read, publishes every story in Ukrainian, English and
// Russian. The texts are written for this project.
type demoStory struct {
	en, uk, ru [2]string // title, summary
}

var demoStories = []demoStory{
	{
		en: [2]string{"NATO foreign ministers meet in Brussels to discuss support for Ukraine", "The foreign ministers of the Alliance agreed on new air defence deliveries to Ukraine. The decision follows weeks of talks."},
		uk: [2]string{"Міністри закордонних справ НАТО зустрілися в Брюсселі, щоб обговорити підтримку України", "Міністри закордонних справ Альянсу погодили нові постачання протиповітряної оборони Україні. Рішення ухвалили після тижнів перемовин."},
		ru: [2]string{"Министры иностранных дел НАТО встретились в Брюсселе, чтобы обсудить поддержку Украины", "Министры иностранных дел Альянса согласовали новые поставки противовоздушной обороны Украине. Решение приняли после недель переговоров."},
	},
	{
		en: [2]string{"Kyiv opens three new metro stations after repairs", "The city council says trains will run every four minutes at rush hour."},
		uk: [2]string{"У Києві після ремонту відкрили три станції метро", "У міській раді кажуть, що в години пік потяги курсуватимуть кожні чотири хвилини."},
		ru: [2]string{"В Киеве после ремонта открыли три станции метро", "В городском совете говорят, что в часы пик поезда будут ходить каждые четыре минуты."},
	},
	{
		en: [2]string{"EU prepares a new package of sanctions against Russia", "The package targets shipping and banks. Hungary has asked for more time to study it."},
		uk: [2]string{"ЄС готує новий пакет санкцій проти Росії", "Пакет стосується судноплавства та банків. Угорщина попросила більше часу, щоб його вивчити."},
		ru: [2]string{"ЕС готовит новый пакет санкций против России", "Пакет касается судоходства и банков. Венгрия попросила больше времени, чтобы его изучить."},
	},
	{
		en: [2]string{"Zelensky meets the NATO Secretary General in Kyiv", "They discussed air defence and the Alliance's summit next year."},
		uk: [2]string{"Зеленський зустрівся з генсеком НАТО в Києві", "Вони обговорили протиповітряну оборону та саміт Альянсу наступного року."},
		ru: [2]string{"Зеленский встретился с генсеком НАТО в Киеве", "Они обсудили противовоздушную оборону и саммит Альянса в следующем году."},
	},
	{
		en: [2]string{"Ukraine's grain exports rise for the third month in a row", "Ports in the Odesa region handled record volumes in November."},
		uk: [2]string{"Експорт зерна з України зростає третій місяць поспіль", "Порти Одещини в листопаді обробили рекордні обсяги."},
		ru: [2]string{"Экспорт зерна из Украины растёт третий месяц подряд", "Порты Одесской области в ноябре обработали рекордные объёмы."},
	},
	{
		en: [2]string{"Foreign minister says talks with Hungary are back on track", "The foreign minister said both sides agreed on a road map for minority schools."},
		uk: [2]string{"Міністр закордонних справ заявив, що перемовини з Угорщиною відновилися", "За словами міністра, сторони погодили дорожню карту щодо шкіл національних меншин."},
		ru: [2]string{"Министр иностранных дел заявил, что переговоры с Венгрией возобновились", "По словам министра, стороны согласовали дорожную карту по школам национальных меньшинств."},
	},
	{
		en: [2]string{"Senator proposes a new aid bill for Ukraine", "The bill would fund energy repairs before winter."},
		uk: [2]string{"Сенатор запропонував новий законопроєкт про допомогу Україні", "Законопроєкт має профінансувати ремонт енергетики до зими."},
		ru: [2]string{"Сенатор предложил новый законопроект о помощи Украине", "Законопроект должен профинансировать ремонт энергетики до зимы."},
	},
	{
		en: [2]string{"Power engineers restore electricity in Kharkiv after overnight attack", "Most households had power again by morning, the regional administration said."},
		uk: [2]string{"Енергетики відновили електропостачання в Харкові після нічної атаки", "Більшість домівок знову мали світло вже зранку, повідомили в обласній адміністрації."},
		ru: [2]string{"Энергетики восстановили электроснабжение в Харькове после ночной атаки", "Большинство домов снова получили свет уже утром, сообщили в областной администрации."},
	},
}

// demoFeeds serves three RSS feeds (en, uk, ru) of the demo site. A story
// appears in all three at once; a new story is published every period.
type demoFeeds struct {
	mu    sync.Mutex
	times []time.Time // publication time of each story visible so far
}

// newDemoFeeds starts with the first initial stories already published.
func newDemoFeeds(initial int) *demoFeeds {
	d := &demoFeeds{}
	for i := range min(initial, len(demoStories)) {
		d.times = append(d.times, time.Now().Add(time.Duration(i-initial)*10*time.Minute))
	}
	return d
}

// publish makes the next story visible; it reports false when none are left.
func (d *demoFeeds) publish() (demoStory, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := len(d.times)
	if n >= len(demoStories) {
		return demoStory{}, false
	}
	d.times = append(d.times, time.Now())
	return demoStories[n], true
}

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title    string    `xml:"title"`
	Link     string    `xml:"link"`
	Language string    `xml:"language"`
	Items    []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string `xml:"title"`
	Link        string `xml:"link"`
	GUID        string `xml:"guid"`
	Description string `xml:"description"`
	PubDate     string `xml:"pubDate"`
}

func (d *demoFeeds) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	lang := r.URL.Path[len("/"):]
	names := map[string]string{"en": "Demo News", "uk": "Демо Новини", "ru": "Демо Новости"}
	if _, ok := names[lang]; !ok {
		http.NotFound(w, r)
		return
	}
	d.mu.Lock()
	times := append([]time.Time(nil), d.times...)
	d.mu.Unlock()
	doc := rssDoc{Version: "2.0", Channel: rssChannel{Title: names[lang], Link: "https://demo.newsalert.example/", Language: lang}}
	for i := len(times) - 1; i >= 0; i-- {
		s := demoStories[i]
		text := map[string][2]string{"en": s.en, "uk": s.uk, "ru": s.ru}[lang]
		link := fmt.Sprintf("https://demo.newsalert.example/%s/news/%d", lang, i+1)
		doc.Channel.Items = append(doc.Channel.Items, rssItem{
			Title: text[0], Link: link, GUID: link, Description: text[1],
			PubDate: times[i].Format(time.RFC1123Z),
		})
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	fmt.Fprint(w, xml.Header)
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	enc.Encode(doc)
}
