package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// A digest schedule ("daily 08:00") and quiet hours ("23:00-07:00 hold")
// as the chat wrote them, in the chat's time zone. Periods are named by
// the local date (or hour) they fall on, so that a change of daylight
// saving time or of /timezone never sends one day's digest twice nor skips
// it: the last period sent is stored, and only a later one is sent.

// Schedule is when a digest goes out.
type Schedule struct {
	Every        Every
	Day          time.Weekday // EveryWeek
	Hour, Minute int          // EveryDay, EveryWeek
}

// Every is a schedule's period.
type Every int

// Periods of a schedule.
const (
	Instant Every = iota
	EveryHour
	EveryDay
	EveryWeek
)

// weekdays are the day names accepted in en, uk and ru (full and short).
var weekdays = map[string]time.Weekday{
	"mon": time.Monday, "monday": time.Monday, "пн": time.Monday, "понеділок": time.Monday, "понедельник": time.Monday,
	"tue": time.Tuesday, "tuesday": time.Tuesday, "вт": time.Tuesday, "вівторок": time.Tuesday, "вторник": time.Tuesday,
	"wed": time.Wednesday, "wednesday": time.Wednesday, "ср": time.Wednesday, "середа": time.Wednesday, "среда": time.Wednesday,
	"thu": time.Thursday, "thursday": time.Thursday, "чт": time.Thursday, "четвер": time.Thursday, "четверг": time.Thursday,
	"fri": time.Friday, "friday": time.Friday, "пт": time.Friday, "п'ятниця": time.Friday, "пʼятниця": time.Friday,
	"п’ятниця": time.Friday, "пятница": time.Friday, "пятниця": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday, "сб": time.Saturday, "субота": time.Saturday, "суббота": time.Saturday,
	"sun": time.Sunday, "sunday": time.Sunday, "нд": time.Sunday, "вс": time.Sunday, "неділя": time.Sunday, "воскресенье": time.Sunday,
}

var dayAbbr = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// everyWords name the periods in en, uk and ru.
var everyWords = map[string]Every{
	"off": Instant, "instant": Instant, "вимк": Instant, "выкл": Instant, "вимкнути": Instant, "выключить": Instant,
	"hourly": EveryHour, "щогодини": EveryHour, "ежечасно": EveryHour,
	"daily": EveryDay, "щодня": EveryDay, "ежедневно": EveryDay,
	"weekly": EveryWeek, "щотижня": EveryWeek, "еженедельно": EveryWeek,
}

// ParseSchedule reads "off", "hourly", "daily 08:00", "weekly mon 08:00"
// (and the same words in uk and ru; "daily 8" is 08:00, a bare "daily"
// 08:00, a bare "weekly" Monday 08:00).
func ParseSchedule(s string) (Schedule, bool) {
	f := strings.Fields(strings.ToLower(s))
	if len(f) == 0 {
		return Schedule{}, false
	}
	every, ok := everyWords[f[0]]
	if !ok {
		return Schedule{}, false
	}
	sc := Schedule{Every: every, Day: time.Monday, Hour: 8}
	rest := f[1:]
	switch every {
	case Instant, EveryHour:
		return sc, len(rest) == 0
	case EveryWeek:
		if len(rest) > 0 {
			if d, ok := weekdays[strings.TrimSuffix(rest[0], ",")]; ok {
				sc.Day, rest = d, rest[1:]
			}
		}
	}
	switch len(rest) {
	case 0:
		return sc, true
	case 1:
		h, m, ok := parseClock(rest[0])
		sc.Hour, sc.Minute = h, m
		return sc, ok
	}
	return Schedule{}, false
}

// parseClock reads "08:00", "8:00", "8", "08.30", "8h".
func parseClock(s string) (hour, minute int, ok bool) {
	s = strings.TrimSuffix(strings.TrimSuffix(s, "h"), "ч")
	hs, ms, found := strings.Cut(strings.ReplaceAll(s, ".", ":"), ":")
	h, err := strconv.Atoi(hs)
	if err != nil || h < 0 || h > 23 || len(hs) > 2 {
		return 0, 0, false
	}
	if !found {
		return h, 0, true
	}
	m, err := strconv.Atoi(ms)
	if err != nil || m < 0 || m > 59 || len(ms) != 2 {
		return 0, 0, false
	}
	return h, m, true
}

// Spec is the schedule's canonical text, as stored: "" for instant.
func (s Schedule) Spec() string {
	switch s.Every {
	case EveryHour:
		return "hourly"
	case EveryDay:
		return fmt.Sprintf("daily %02d:%02d", s.Hour, s.Minute)
	case EveryWeek:
		return fmt.Sprintf("weekly %s %02d:%02d", dayAbbr[s.Day], s.Hour, s.Minute)
	}
	return ""
}

// Clock is the schedule's time of day, "08:00".
func (s Schedule) Clock() string { return fmt.Sprintf("%02d:%02d", s.Hour, s.Minute) }

// Period returns the last period due by now in loc: its name and the
// instant it fell due. Names of one kind of schedule sort in time order.
func (s Schedule) Period(now time.Time, loc *time.Location) (string, time.Time) {
	l := now.In(loc)
	switch s.Every {
	case EveryHour:
		due := time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), 0, 0, 0, loc)
		if due.After(now) { // an hour that DST made start later
			due = due.Add(-time.Hour)
		}
		return "h:" + due.UTC().Format("2006-01-02T15"), due
	case EveryDay, EveryWeek:
		y, m, d := l.Date()
		for i := 0; i < 15; i++ {
			day := time.Date(y, m, d-i, 12, 0, 0, 0, loc)
			if s.Every == EveryWeek && day.Weekday() != s.Day {
				continue
			}
			due := time.Date(y, m, d-i, s.Hour, s.Minute, 0, 0, loc)
			if !due.After(now) {
				return "d:" + day.Format("2006-01-02"), due
			}
		}
	}
	return "", time.Time{}
}

// Next is the first instant after now at which a period falls due.
func (s Schedule) Next(now time.Time, loc *time.Location) time.Time {
	l := now.In(loc)
	switch s.Every {
	case EveryHour:
		t := time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), 0, 0, 0, loc)
		for !t.After(now) {
			t = t.Add(time.Hour)
		}
		return t
	case EveryDay, EveryWeek:
		y, m, d := l.Date()
		for i := 0; i < 15; i++ {
			day := time.Date(y, m, d+i, 12, 0, 0, 0, loc)
			if s.Every == EveryWeek && day.Weekday() != s.Day {
				continue
			}
			if due := time.Date(y, m, d+i, s.Hour, s.Minute, 0, 0, loc); due.After(now) {
				return due
			}
		}
	}
	return now.Add(24 * time.Hour)
}

// Quiet is a chat's quiet hours.
type Quiet struct {
	From, To int  // minutes after midnight, local; From > To spans midnight
	Hold     bool // keep alerts for one digest at the end; else send them silently
}

// ParseQuiet reads "23:00-07:00 silent", "23-7 hold" (silent when the mode is
// left out; "тихо"/"без звуку"/"без звука" and "hold"/"зберегти"/"придержать" too).
func ParseQuiet(s string) (Quiet, bool) {
	f := strings.Fields(strings.ToLower(s))
	if len(f) == 0 {
		return Quiet{}, false
	}
	span := f[0]
	mode := f[1:]
	if len(f) >= 3 && (f[1] == "-" || f[1] == "–") { // "23:00 - 07:00 hold"
		span, mode = f[0]+"-"+f[2], f[3:]
	}
	a, b, ok := strings.Cut(strings.ReplaceAll(span, "–", "-"), "-")
	if !ok {
		return Quiet{}, false
	}
	h1, m1, ok1 := parseClock(a)
	h2, m2, ok2 := parseClock(b)
	if !ok1 || !ok2 {
		return Quiet{}, false
	}
	q := Quiet{From: h1*60 + m1, To: h2*60 + m2}
	if q.From == q.To {
		return Quiet{}, false
	}
	switch strings.Join(mode, " ") {
	case "", "silent", "тихо", "без звуку", "без звука", "беззвучно":
	case "hold", "зберегти", "зберігати", "придержать", "держать", "потім", "потом":
		q.Hold = true
	default:
		return Quiet{}, false
	}
	return q, true
}

// Spec is the canonical text, as stored.
func (q Quiet) Spec() string {
	mode := "silent"
	if q.Hold {
		mode = "hold"
	}
	return fmt.Sprintf("%s-%s %s", clockOf(q.From), clockOf(q.To), mode)
}

func clockOf(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// In reports whether now falls in the quiet hours in loc.
func (q Quiet) In(now time.Time, loc *time.Location) bool {
	l := now.In(loc)
	m := l.Hour()*60 + l.Minute()
	if q.From < q.To {
		return m >= q.From && m < q.To
	}
	return m >= q.From || m < q.To
}

// End is the daily schedule of the quiet hours' end, when held alerts go out.
func (q Quiet) End() Schedule {
	return Schedule{Every: EveryDay, Hour: q.To / 60, Minute: q.To % 60}
}
