package bot

import (
	"strings"
	"time"

	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/feeds"
)

// MaxMessageLen is Telegram's limit on a message's text: 4096 characters
// after entity parsing. The renderer keeps the raw HTML itself within it,
// counted in UTF-16 units, so the visible text fits whatever Telegram
// counts (code points or UTF-16 units) and whatever the markup costs.
const MaxMessageLen = 4096

// Limits of the parts of an alert, in characters (runes) of plain text.
const (
	alertSummaryLen = 300 // the summary is cut near this, at a sentence or word boundary
	alertTitleLen   = 300
	alertSourceLen  = 100
	alertTopicLen   = 100
	alertMaxTopics  = 10
	alertMaxLinkLen = 2048 // longer links (after escaping) are dropped
)

// Alert is one article as one chat sees it: the chat's matching topics are
// already merged, so it is rendered as one message.
type Alert struct {
	Title     string    // plain text
	Summary   string    // plain text
	Link      string    // only http(s) links are shown
	Source    string    // the feed's display name
	Published time.Time // zero: not shown
	Topics    []string  // the chat's queries or topic names that matched
	Words     []string  // article words that made them match, shown in bold

	// Editions are the story's other editions, linked under the alert.
	Editions []EditionLink
	// TranslatedFrom is the language of the original when Title and
	// Summary are a machine translation; "" otherwise.
	TranslatedFrom string
}

// EditionLink is another language edition of the alert's story.
type EditionLink struct {
	Lang string // "en", "ru", ...
	Link string
}

// ArticleAlert makes the Alert for a stored article: source is the feed's
// display name, topics and words come from the chat's match.
func ArticleAlert(art *feeds.Article, source string, topics, words []string) Alert {
	if art == nil {
		return Alert{Source: source, Topics: topics, Words: words}
	}
	return Alert{Title: art.Title, Summary: art.Summary, Link: art.Link, Source: source,
		Published: art.Published, Topics: topics, Words: words}
}

// Renderer writes alerts as Telegram HTML (parse_mode HTML) in a chat's
// language and time zone. It is safe for concurrent use.
type Renderer struct {
	cat *i18n.Catalog
	// Now is the clock dates are written against ("today, 21:35"); an
	// alert is rendered when it is sent, so a delayed one still reads right.
	Now func() time.Time
}

// NewRenderer returns a Renderer that takes its labels from cat.
func NewRenderer(cat *i18n.Catalog) *Renderer { return &Renderer{cat: cat, Now: time.Now} }

func (r *Renderer) now() time.Time {
	if r.Now == nil {
		return time.Now()
	}
	return r.Now()
}

// alertShape is how much of an alert to show; Render tries smaller shapes
// until the message fits.
type alertShape struct {
	title, summary, topics int // rune limits (summary 0: none); topics: how many
	link                   bool
}

var alertShapes = []alertShape{
	{alertTitleLen, alertSummaryLen, alertMaxTopics, true},
	{alertTitleLen, alertSummaryLen / 2, 3, true},
	{150, 0, 3, true},
	{100, 0, 1, false},
	{50, 0, 0, false},
}

// Render returns one alert as Telegram HTML:
//
//	<b>Title</b>
//
//	Summary, cut near 300 characters, with the matched words in <b>bold</b>…
//
//	Source: Feed name · today, 14:05
//	Topics: NATO, Україна
//	<a href="https://…">Read more</a>
//
// loc is the chat's time zone (nil: UTC). Every inserted value is escaped;
// the result never exceeds MaxMessageLen.
func (r *Renderer) Render(lang string, loc *time.Location, a Alert) string {
	if loc == nil {
		loc = time.UTC
	}
	var out string
	for _, s := range alertShapes {
		out = r.render(lang, loc, a, s)
		if utf16Len(out) <= MaxMessageLen {
			return out
		}
	}
	return out // the last shape is bounded far below the limit
}

func (r *Renderer) render(lang string, loc *time.Location, a Alert, s alertShape) string {
	var b strings.Builder
	title := truncateText(cleanLine(a.Title), s.title)
	if title == "" {
		title = r.cat.Plain(lang, i18n.MsgAlertNoTitle, nil)
	}
	b.WriteString("<b>" + escapeHTML(title) + "</b>\n")

	if s.summary > 0 {
		if sum := cleanLine(a.Summary); sum != "" && !sameText(sum, a.Title) {
			b.WriteString("\n" + highlight(cutSummary(sum, s.summary), a.Words) + "\n")
		}
	}

	var meta []string // HTML lines under the text
	if line := r.sourceLine(lang, loc, a); line != "" {
		meta = append(meta, line)
	}
	if topics := cleanTopics(a.Topics); len(topics) > 0 && s.topics > 0 {
		shown := topics[:min(len(topics), s.topics)]
		for i, t := range shown {
			shown[i] = escapeHTML(topicText(lang, t))
		}
		label := r.cat.PlainN(lang, i18n.MsgAlertTopics, len(topics), nil)
		if len(topics) == 1 { // CLDR "one" also covers 21 and 101 in uk and ru
			label = r.cat.Plain(lang, i18n.MsgAlertTopic, nil)
		}
		line := escapeHTML(label) + " " + strings.Join(shown, ", ")
		if len(shown) < len(topics) {
			line += ", …"
		}
		meta = append(meta, line)
	}
	if a.TranslatedFrom != "" {
		meta = append(meta, "<i>"+escapeHTML(r.cat.Plain(lang, i18n.MsgAlertTranslated,
			map[string]any{"Lang": strings.ToUpper(a.TranslatedFrom)}))+"</i>")
	}
	if href, ok := safeHref(a.Link); ok && s.link {
		meta = append(meta, `<a href="`+href+`">`+escapeHTML(r.cat.Plain(lang, i18n.MsgAlertReadMore, nil))+"</a>")
	}
	if line := r.editionsLine(lang, a.Editions); line != "" && s.link {
		meta = append(meta, line)
	}
	if len(meta) > 0 {
		b.WriteString("\n" + strings.Join(meta, "\n"))
	}
	return strings.TrimRight(b.String(), "\n")
}

// sourceLine is "Source: Name · 28 Nov 2026, 14:05"; either part may be
// missing, and then the line may be empty.
func (r *Renderer) sourceLine(lang string, loc *time.Location, a Alert) string {
	var parts []string
	if src := truncateText(cleanLine(a.Source), alertSourceLen); src != "" {
		parts = append(parts, escapeHTML(r.cat.Plain(lang, i18n.MsgAlertSource, nil)+" "+src))
	}
	if !a.Published.IsZero() {
		parts = append(parts, escapeHTML(r.cat.FormatTimeAt(lang, a.Published.In(loc), r.now())))
	}
	return strings.Join(parts, " · ")
}

// cleanTopics drops empty and repeated topics and shortens long ones.
func cleanTopics(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range in {
		t = truncateText(cleanLine(t), alertTopicLen)
		k := strings.ToLower(t)
		if t == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, t)
	}
	return out
}

// sameText reports whether a summary only repeats the title, as many feeds
// do; it is then left out.
func sameText(summary, title string) bool {
	return strings.EqualFold(strings.TrimRight(summary, ".…!? "), strings.TrimRight(cleanLine(title), ".…!? "))
}
