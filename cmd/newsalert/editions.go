package main

import (
	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/config"
	"github.com/newsalert/newsalert/feeds"
	"github.com/newsalert/newsalert/translate"
)

// outlets is the config's editions of outlets, for the feeds package: one
// Outlet per edition name that feeds give, with its settings and languages.
func outlets(cfg *config.Config) []feeds.Outlet {
	var out []feeds.Outlet
	idx := map[string]int{}
	for _, f := range cfg.Feeds {
		if f.Edition == "" {
			continue
		}
		i, ok := idx[f.Edition]
		if !ok {
			e := cfg.EditionSettings(f.Edition)
			i = len(out)
			idx[f.Edition] = i
			out = append(out, feeds.Outlet{Name: f.Edition, Key: cfg.EditionKey(f.Edition),
				Window: e.Window.D(), Content: e.ContentPairing()})
		}
		out[i].Langs = append(out[i].Langs, f.Lang)
	}
	return out
}

// applyOutlets tells the feed store which feeds are editions of which
// outlet (at start and on every config reload).
func (m *Main) applyOutlets() {
	if m.FeedStore != nil {
		m.FeedStore.SetOutlets(m.Sources(), outlets(m.Config()))
	}
}

// editionRenderer links alerts to their story's other editions, and
// translates them when a translator is configured.
func (m *Main) editionRenderer() *bot.EditionRenderer {
	er := &bot.EditionRenderer{Stories: m.FeedStore, Logger: m.Logger}
	if t := m.Config().Translate; t.Enabled() {
		m.Translator = translate.New(translate.Config{Provider: t.Provider, URL: t.URL, APIKey: string(t.APIKey),
			Timeout: t.Timeout.D(), Now: m.Now, Logger: m.Logger}, m.DB)
		er.Translator = m.Translator
	}
	return er
}

// storyAlerts is the Alerter's one-alert-per-story step.
func (m *Main) storyAlerts() bot.StoryAlerts {
	return bot.StoryAlerts{Stories: m.FeedStore, Queue: m.Queue, DefaultLanguage: m.Config().Defaults.Language}
}
