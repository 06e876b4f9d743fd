package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/i18n"
)

func TestParseSchedule(t *testing.T) {
	for in, want := range map[string]string{
		"off": "", "instant": "", "hourly": "hourly", "daily": "daily 08:00", "daily 8": "daily 08:00",
		"daily 07:30": "daily 07:30", "DAILY 7.30": "daily 07:30", "щодня 19:00": "daily 19:00",
		"ежедневно 6:05": "daily 06:05", "weekly": "weekly mon 08:00", "weekly fri 18:00": "weekly fri 18:00",
		"weekly пн 08:00": "weekly mon 08:00", "weekly понеділок 9:00": "weekly mon 09:00",
		"weekly воскресенье 10:00": "weekly sun 10:00", "щотижня п’ятниця 17:00": "weekly fri 17:00",
		"weekly Sunday 23:59": "weekly sun 23:59",
	} {
		sc, ok := ParseSchedule(in)
		if !ok || sc.Spec() != want {
			t.Errorf("ParseSchedule(%q) = %q, %v; want %q", in, sc.Spec(), ok, want)
		}
		if again, ok := ParseSchedule(sc.Spec()); want != "" && (!ok || again != sc) {
			t.Errorf("%q does not read back", sc.Spec())
		}
	}
	for _, in := range []string{"", "sometimes", "daily 25:00", "daily 8:5", "daily 08:00 09:00", "hourly 5",
		"weekly xyz 08:00", "daily -1", "daily 123", "weekly mon 8:60"} {
		if sc, ok := ParseSchedule(in); ok {
			t.Errorf("ParseSchedule(%q) = %+v, want an error", in, sc)
		}
	}
}

func TestParseQuiet(t *testing.T) {
	for in, want := range map[string]string{
		"23:00-07:00 silent": "23:00-07:00 silent", "23-7": "23:00-07:00 silent", "22:30–08:00 hold": "22:30-08:00 hold",
		"23:00 - 07:00 hold": "23:00-07:00 hold", "13:00-14:00 тихо": "13:00-14:00 silent", "0-6 придержать": "00:00-06:00 hold",
	} {
		q, ok := ParseQuiet(in)
		if !ok || q.Spec() != want {
			t.Errorf("ParseQuiet(%q) = %q, %v; want %q", in, q.Spec(), ok, want)
		}
	}
	for _, in := range []string{"", "23:00", "7-7", "23:00-07:00 loud", "25-7", "night"} {
		if _, ok := ParseQuiet(in); ok {
			t.Errorf("ParseQuiet(%q) accepted", in)
		}
	}
	q, _ := ParseQuiet("23:00-07:00")
	for h, in := range map[int]bool{22: false, 23: true, 0: true, 6: true, 7: false, 12: false} {
		if got := q.In(time.Date(2026, 6, 1, h, 30, 0, 0, kyivLoc(t)), kyivLoc(t)); got != in {
			t.Errorf("%02d:30 in quiet hours: %v", h, got)
		}
	}
}

func kyivLoc(t *testing.T) *time.Location {
	l, err := time.LoadLocation("Europe/Kyiv")
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestSchedulePeriodsAcrossDST walks both 2026 DST changes of Kyiv minute
// by minute: each local day has exactly one period, falling due at 08:00
// local; a schedule at 03:30 (a time that does not exist on 29 March and
// exists twice on 25 October) is due once a day too.
func TestSchedulePeriodsAcrossDST(t *testing.T) {
	loc := kyivLoc(t)
	for _, clock := range []string{"08:00", "03:30"} {
		sc, _ := ParseSchedule("daily " + clock)
		for _, from := range []time.Time{time.Date(2026, 3, 27, 0, 0, 0, 0, loc), time.Date(2026, 10, 23, 0, 0, 0, 0, loc)} {
			last, _ := sc.Period(from, loc)
			sends := map[string]int{}
			next := sc.Next(from, loc)
			for now := from; now.Before(from.Add(5 * 24 * time.Hour)); now = now.Add(time.Minute) {
				p, due := sc.Period(now, loc)
				if laterPeriod(p, last) {
					if now.Before(next) {
						t.Fatalf("%s: period %s at %v before Next said %v", clock, p, now, next)
					}
					if due.After(now) {
						t.Fatalf("%s: due %v after now %v", clock, due, now)
					}
					sends[now.In(loc).Format("2006-01-02")]++
					last, next = p, sc.Next(now, loc)
					if clock == "08:00" && now.In(loc).Format("15:04") != "08:00" {
						t.Errorf("sent at %v", now.In(loc))
					}
				}
			}
			if len(sends) != 5 {
				t.Errorf("%s from %v: sent on %v, want 5 days", clock, from, sends)
			}
			for d, n := range sends {
				if n != 1 {
					t.Errorf("%s: %s sent %d times", clock, d, n)
				}
			}
		}
	}
}

func TestWeeklyAndHourlyPeriods(t *testing.T) {
	loc := kyivLoc(t)
	sc, _ := ParseSchedule("weekly mon 08:00")
	p, due := sc.Period(time.Date(2026, 12, 2, 10, 0, 0, 0, loc), loc) // a Wednesday
	if p != "d:2026-11-30" || due.Weekday() != time.Monday {
		t.Errorf("weekly period %q %v", p, due)
	}
	if n := sc.Next(time.Date(2026, 12, 2, 10, 0, 0, 0, loc), loc); !n.Equal(time.Date(2026, 12, 7, 8, 0, 0, 0, loc)) {
		t.Errorf("weekly next %v", n)
	}
	h, _ := ParseSchedule("hourly")
	// The hour repeated on 25 October counts twice: it is two hours.
	seen := map[string]bool{}
	for now := time.Date(2026, 10, 25, 2, 0, 0, 0, loc); now.Before(time.Date(2026, 10, 25, 6, 0, 0, 0, loc)); now = now.Add(10 * time.Minute) {
		p, _ := h.Period(now, loc)
		seen[p] = true
	}
	if len(seen) != 5 {
		t.Errorf("hourly periods over 4 local hours with a repeated one: %v", seen)
	}
}

func TestRenderBatch(t *testing.T) {
	cat, err := i18n.New(i18n.Config{})
	if err != nil {
		t.Fatal(err)
	}
	r := NewRenderer(cat)
	var alerts []Alert
	for i := 0; i < 7; i++ {
		topic := "NATO"
		if i%3 == 2 {
			topic = "Україна"
		}
		alerts = append(alerts, Alert{Title: "Story <" + string(rune('A'+i)) + ">", Link: "https://news.example/" + string(rune('a'+i)),
			Source: "Example", Published: time.Date(2026, 6, 1, 9, i, 0, 0, time.UTC), Topics: []string{topic}})
	}
	for lang, head := range map[string]string{
		"en": "Daily digest: 7 articles on 2 topics", "uk": "Дайджест за день: 7 статей на 2 теми",
		"ru": "Дайджест за день: 7 статей по 2 темам",
	} {
		msgs := r.RenderBatch(lang, time.UTC, "daily", alerts)
		if len(msgs) != 1 || !strings.HasPrefix(msgs[0], "<b>"+head+"</b>") {
			t.Errorf("%s: %q", lang, msgs)
		}
	}
	msg := r.RenderBatch("en", time.UTC, "daily", alerts)[0]
	for _, want := range []string{"<b>NATO</b>\n1. <a href=\"https://news.example/a\">Story &lt;A&gt;</a> — Example, 09:00",
		"<b>Україна</b>\n6. <a href=\"https://news.example/c\">Story &lt;C&gt;</a>"} {
		if !strings.Contains(msg, want) {
			t.Errorf("digest lacks %q:\n%s", want, msg)
		}
	}
	if got := r.RenderBatch("uk", time.UTC, "weekly", alerts[:1])[0]; !strings.HasPrefix(got, "<b>Дайджест за тиждень: 1 стаття на 1 тему</b>") ||
		!strings.Contains(got, "2026") {
		t.Errorf("weekly: %q", got)
	}
	if got := r.RenderBatch("ru", time.UTC, "quiet", alerts[:5]); !strings.HasPrefix(got[0], "<b>Пока шли тихие часы: 5 статей по 2 темам</b>") {
		t.Errorf("quiet: %q", got)
	}

	// Hundreds of long titles: every message fits, numbering goes on, the
	// topic heading repeats in the next message.
	long := make([]Alert, 300)
	for i := range long {
		long[i] = Alert{Title: strings.Repeat("Очень длинный заголовок ", 20), Link: "https://news.example/" + strings.Repeat("x", 150),
			Source: strings.Repeat("S", 120), Topics: []string{strings.Repeat("T", 300)}}
	}
	msgs := r.RenderBatch("ru", time.UTC, "daily", long)
	if len(msgs) < 10 {
		t.Fatalf("%d messages", len(msgs))
	}
	for i, m := range msgs {
		if n := utf16Len(m); n > MaxMessageLen {
			t.Errorf("message %d: %d characters", i, n)
		}
		if i > 0 && !strings.HasPrefix(m, "<b>(продолжение)</b>\n\n<b>TTT") {
			t.Errorf("message %d starts %.60q", i, m)
		}
	}
	if !strings.Contains(msgs[len(msgs)-1], "\n300. ") {
		t.Error("numbering does not reach 300")
	}
}
