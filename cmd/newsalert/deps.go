package main

// Temporary: pins the pinned stack in go.mod while the packages that use it
// are written in parallel. Removed once every module is imported for real.
import (
	_ "github.com/fsnotify/fsnotify"
	_ "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	_ "github.com/google/go-cmp/cmp"
	_ "github.com/kljensen/snowball"
	_ "github.com/mmcdole/gofeed"
	_ "github.com/nicksnyder/go-i18n/v2/i18n"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/robfig/cron/v3"
	_ "go.yaml.in/yaml/v3"
	_ "golang.org/x/net/html/charset"
	_ "golang.org/x/text/language"
	_ "golang.org/x/text/unicode/norm"
)
