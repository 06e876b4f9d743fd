package i18n

import (
	"strconv"
	"time"
)

// Month returns the month's name as written in a date in lang: "Nov",
// "листопада", "ноября".
func (c *Catalog) Month(lang string, m time.Month) string {
	if m < time.January || m > time.December {
		return strconv.Itoa(int(m))
	}
	return c.Plain(lang, monthIDs[m-1], nil)
}

// FormatTime writes t the chat's way: "28 Nov 2026, 14:05",
// "28 листопада 2026, 14:05", "28 ноября 2026, 14:05". t is shown in its own
// location: convert it to the chat's time zone first. The result holds no
// HTML special characters.
func (c *Catalog) FormatTime(lang string, t time.Time) string {
	return c.Plain(lang, MsgDateFormat, map[string]any{
		"Day":   t.Day(),
		"Month": c.Month(lang, t.Month()),
		"Year":  t.Year(),
		"Time":  t.Format("15:04"),
	})
}
