package bot

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/newsalert/newsalert/bot/delivery"
	"github.com/newsalert/newsalert/bot/i18n"
)

// RenderBatch writes a scheduled digest: a header saying what it is
// ("Daily digest: 7 articles on 2 topics"), then the alerts grouped by
// topic (each under its first topic, in order of first appearance),
// numbered, titles as links:
//
//	<b>Daily digest: 7 articles on 2 topics</b>
//
//	<b>NATO</b>
//	1. <a href="https://…">Title</a> — Source, 14:05
//
// It returns as many messages as it takes for each to fit MaxMessageLen;
// the later ones start with "(continued)" and repeat the topic's heading.
// kind is "hourly", "daily", "weekly", "quiet" or "backfill"; the weekly
// and backfill digests write dates, the others the time of day.
func (r *Renderer) RenderBatch(lang string, loc *time.Location, kind string, alerts []Alert) []string {
	if len(alerts) == 0 {
		return nil
	}
	if loc == nil {
		loc = time.UTC
	}
	var order []string
	groups := map[string][]Alert{}
	for _, a := range alerts {
		t := r.cat.Plain(lang, i18n.MsgDigestNoTopic, nil)
		if len(a.Topics) > 0 {
			t = a.Topics[0]
		}
		if _, ok := groups[t]; !ok {
			order = append(order, t)
		}
		groups[t] = append(groups[t], a)
	}
	title := r.cat.Plain(lang, i18n.MsgDigestTitle, map[string]any{
		"Kind":     r.cat.Plain(lang, kindID(kind), nil),
		"Articles": r.cat.PlainN(lang, i18n.MsgDigestArticles, len(alerts), nil),
		"Topics":   r.cat.PlainN(lang, i18n.MsgDigestTopics, len(order), nil),
	})
	header := "<b>" + escapeHTML(title) + "</b>"
	more := "<b>" + escapeHTML(r.cat.Plain(lang, i18n.MsgDigestMore, nil)) + "</b>"
	dated := kind == "weekly" || kind == "backfill"

	var msgs []string
	var cur strings.Builder
	curLen := 0
	start := func(h string) {
		cur.Reset()
		cur.WriteString(h)
		curLen = utf16Len(h)
	}
	add := func(s string) { // s starts with its own line break(s)
		cur.WriteString(s)
		curLen += utf16Len(s)
	}
	start(header)
	n := 0
	for _, topic := range order {
		heading := "<b>" + escapeHTML(truncateText(cleanLine(topic), digestTitleLen)) + "</b>"
		first := true
		for _, a := range groups[topic] {
			n++
			line := strconv.Itoa(n) + ". " + strings.TrimPrefix(r.batchLine(lang, loc, a, dated), "• ")
			need := 1 + utf16Len(line)
			if first {
				need += 2 + utf16Len(heading)
			}
			if curLen+need > MaxMessageLen {
				msgs = append(msgs, cur.String())
				start(more)
				first = true
			}
			if first {
				add("\n\n" + heading)
				first = false
			}
			add("\n" + line)
		}
	}
	return append(msgs, cur.String())
}

// batchLine is digestLine with the date written when dated.
func (r *Renderer) batchLine(lang string, loc *time.Location, a Alert, dated bool) string {
	if !dated || a.Published.IsZero() {
		return r.digestLine(lang, loc, a)
	}
	pub := a.Published
	a.Published = time.Time{}
	line := r.digestLine(lang, loc, a)
	sep := ", "
	if !strings.Contains(line, " — ") {
		sep = " — "
	}
	return line + sep + escapeHTML(r.cat.FormatTime(lang, pub.In(loc)))
}

func kindID(kind string) string {
	switch kind {
	case "hourly":
		return i18n.MsgDigestKindHour
	case "weekly":
		return i18n.MsgDigestKindWeek
	case "quiet":
		return i18n.MsgDigestKindQuiet
	case "backfill":
		return i18n.MsgDigestKindPast
	}
	return i18n.MsgDigestKindDay
}

// Batch renders a scheduled digest for the delivery queue.
func (r *AlertRenderer) Batch(ctx context.Context, chatID int64, kind string, alerts []delivery.Alert) ([]delivery.Message, error) {
	lang, loc := r.chat(ctx, chatID)
	in := make([]Alert, len(alerts))
	for i, a := range alerts {
		in[i] = r.bot(a)
	}
	var out []delivery.Message
	for _, html := range r.Renderer.RenderBatch(lang, loc, kind, in) {
		out = append(out, delivery.Message{HTML: html, Plain: PlainText(html), NoPreview: true})
	}
	return out, nil
}
