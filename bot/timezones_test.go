package bot

import (
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/newsalert/newsalert/bot/i18n"
)

// TestResolveZone: what a newcomer types for a time zone.
func TestResolveZone(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		fixed    bool
	}{
		{"Київ", "Europe/Kyiv", false}, {"Kyiv", "Europe/Kyiv", false}, {"Киев", "Europe/Kyiv", false},
		{"kiev", "Europe/Kyiv", false}, {"КИЇВ", "Europe/Kyiv", false}, {"м. Київ", "Europe/Kyiv", false},
		{"Europe/Kiev", "Europe/Kyiv", false}, {"europe/kyiv", "Europe/Kyiv", false}, {"Харків", "Europe/Kyiv", false},
		{"Toronto", "America/Toronto", false}, {"Торонто", "America/Toronto", false},
		{"Warsaw", "Europe/Warsaw", false}, {"Варшава", "Europe/Warsaw", false}, {"Kraków", "Europe/Warsaw", false}, {"krakow", "Europe/Warsaw", false},
		{"Berlin", "Europe/Berlin", false}, {"Берлін", "Europe/Berlin", false}, {"Берлин", "Europe/Berlin", false},
		{"Prague", "Europe/Prague", false}, {"Прага", "Europe/Prague", false},
		{"London", "Europe/London", false}, {"Лондон", "Europe/London", false},
		{"New York", "America/New_York", false}, {"Нью-Йорк", "America/New_York", false}, {"new-york", "America/New_York", false},
		{"Chicago", "America/Chicago", false}, {"Чикаго", "America/Chicago", false},
		{"Lisbon", "Europe/Lisbon", false}, {"Лісабон", "Europe/Lisbon", false}, {"Лиссабон", "Europe/Lisbon", false},
		{"Кишинёв", "Europe/Chisinau", false}, {"Кишинев", "Europe/Chisinau", false}, {"Вінніпег", "America/Winnipeg", false},
		{"Mexico City", "America/Mexico_City", false}, {"Оттава", "America/Toronto", false}, {"Washington", "America/New_York", false},
		{"Скоп’є", "Europe/Skopje", false}, {"Скоп'є", "Europe/Skopje", false},
		{"UTC+2", "Etc/GMT-2", true}, {"utc+2", "Etc/GMT-2", true}, {"+02:00", "Etc/GMT-2", true}, {"+3", "Etc/GMT-3", true},
		{"GMT-5", "Etc/GMT+5", true}, {"UTC−5", "Etc/GMT+5", true}, {"UTC+5:30", "Asia/Kolkata", true}, {"+0530", "Asia/Kolkata", true},
		{"UTC", "UTC", false}, {"UTC+0", "UTC", true},
	} {
		got, fixed, ok := resolveZone(tt.in)
		if !ok || got != tt.want || fixed != tt.fixed {
			t.Errorf("resolveZone(%q) = %q, %v, %v; want %q, %v", tt.in, got, fixed, ok, tt.want, tt.fixed)
		}
		if ok && !validZone(got) {
			t.Errorf("%q: %q is not a zone Go knows", tt.in, got)
		}
	}
	for _, bad := range []string{"Mars/Olympus", "UTC+15", "+25:00", "Атлантида", "+2:17"} {
		if z, _, ok := resolveZone(bad); ok {
			t.Errorf("resolveZone(%q) = %q, want refusal", bad, z)
		}
	}
}

// TestZoneTable: every zone of the city table loads, and each has a name in
// every language for its button.
func TestZoneTable(t *testing.T) {
	for _, c := range zoneCities {
		if !validZone(c.zone) {
			t.Errorf("unknown zone %q", c.zone)
		}
		if len(c.en) == 0 || len(c.uk) == 0 || len(c.ru) == 0 {
			t.Errorf("%s lacks a name in some language", c.zone)
		}
	}
	for _, z := range commonZones {
		for _, l := range []string{"en", "uk", "ru"} {
			if zoneButtonName(l, z) == z {
				t.Errorf("%s has no %s name", z, l)
			}
		}
	}
}

func TestZoneLabel(t *testing.T) {
	winter := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct{ zone, want string }{
		{"Europe/Kyiv", "Europe/Kyiv (UTC+2)"}, {"America/Toronto", "America/Toronto (UTC-5)"},
		{"Etc/GMT-2", "UTC+2"}, {"UTC", "UTC"}, {"Asia/Kolkata", "Asia/Kolkata (UTC+5:30)"},
	} {
		loc, _ := time.LoadLocation(tt.zone)
		if got := zoneLabel(loc, winter); got != tt.want {
			t.Errorf("zoneLabel(%s) = %q, want %q", tt.zone, got, tt.want)
		}
	}
}

func TestLanguageAliases(t *testing.T) {
	for in, want := range map[string]string{"ua": "uk", "UA": "uk", "Українська": "uk", "украинский": "uk", "ukrainian": "uk",
		"EN": "en", "англійська": "en", "английский": "en", "ru": "ru", "російська": "ru", "Русский": "ru", "de": ""} {
		if got := i18n.LanguageCode(in); got != want {
			t.Errorf("LanguageCode(%q) = %q, want %q", in, got, want)
		}
	}
	for _, all := range []string{"all", "усі", "всі", "все", "*", "Усі"} {
		if !i18n.IsAllLanguages(all) {
			t.Errorf("%q is not all", all)
		}
	}
}
