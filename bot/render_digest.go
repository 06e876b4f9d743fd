package bot

import (
	"strings"
	"time"

	"github.com/newsalert/newsalert/bot/i18n"
)

// digestTitleLen bounds one digest line's title, in runes.
const digestTitleLen = 200

// RenderDigest lists alerts held back by flood control, one line each
// (title as a link, source, time), under a header counting them:
//
//	<b>5 more alerts in the last hour:</b>
//	• <a href="https://…">Title</a> — Source, 14:05
//
// It returns as many messages as it takes for each to fit MaxMessageLen; the
// second and later start with a "(continued)" heading. No alerts, no
// messages.
func (r *Renderer) RenderDigest(lang string, loc *time.Location, alerts []Alert) []string {
	if len(alerts) == 0 {
		return nil
	}
	if loc == nil {
		loc = time.UTC
	}
	header := "<b>" + escapeHTML(r.cat.PlainN(lang, i18n.MsgDigestHeader, len(alerts), nil)) + "</b>"
	more := "<b>" + escapeHTML(r.cat.Plain(lang, i18n.MsgDigestMore, nil)) + "</b>"

	var msgs []string
	var cur strings.Builder
	cur.WriteString(header)
	curLen := utf16Len(header)
	for _, a := range alerts {
		line := r.digestLine(lang, loc, a)
		n := utf16Len(line)
		if curLen+1+n > MaxMessageLen {
			msgs = append(msgs, cur.String())
			cur.Reset()
			cur.WriteString(more)
			curLen = utf16Len(more)
		}
		cur.WriteString("\n")
		cur.WriteString(line)
		curLen += 1 + n
	}
	return append(msgs, cur.String())
}

// digestLine is one alert of a digest. It is bounded (a 200-rune title, a
// 100-rune source, a link of at most alertMaxLinkLen bytes) so that a line always
// fits in a message under a heading.
func (r *Renderer) digestLine(lang string, loc *time.Location, a Alert) string {
	var b strings.Builder
	title := truncateText(cleanLine(a.Title), digestTitleLen)
	if title == "" {
		title = r.cat.Plain(lang, i18n.MsgAlertNoTitle, nil)
	}
	b.WriteString("• ")
	if href, ok := safeHref(a.Link); ok {
		b.WriteString(`<a href="`)
		b.WriteString(href)
		b.WriteString(`">`)
		b.WriteString(escapeHTML(title))
		b.WriteString("</a>")
	} else {
		b.WriteString(escapeHTML(title))
	}
	src := truncateText(cleanLine(a.Source), alertSourceLen)
	if src != "" || !a.Published.IsZero() {
		b.WriteString(" — ")
	}
	b.WriteString(escapeHTML(src))
	if !a.Published.IsZero() {
		if src != "" {
			b.WriteString(", ")
		}
		b.WriteString(a.Published.In(loc).Format("15:04"))
	}
	return b.String()
}
