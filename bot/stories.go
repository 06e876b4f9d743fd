package bot

import (
	"context"
	"slices"

	"github.com/newsalert/newsalert/bot/delivery"
	"github.com/newsalert/newsalert/feeds"
	"github.com/newsalert/newsalert/subscriptions"
)

// StoryAlerts is what the Alerter needs for one alert per story: where an
// article's story is, and the queue step that holds and replaces editions.
type StoryAlerts struct {
	Stories interface {
		StoryOf(ctx context.Context, articleID int64) (feeds.Story, error)
	}
	Queue interface {
		EnqueueStory(ctx context.Context, articleID int64, st delivery.Story, alerts []delivery.StoryAlert) error
	}
	// DefaultLanguage is a chat's language until it has one (defaults.language).
	DefaultLanguage string
}

// matchAndQueue matches one article and queues its alerts: as alerts for
// its story when it is an edition of one (a chat is matched when it takes
// any of the story's languages, and gets the edition it prefers), else one
// alert per chat as before. It returns how many chats matched.
func (a *Alerter) matchAndQueue(ctx context.Context, art feeds.Article, content bool) (int, error) {
	var st feeds.Story
	if a.Stories.Stories != nil && a.Stories.Queue != nil {
		var err error
		if st, err = a.Stories.Stories.StoryOf(ctx, art.ID); err != nil {
			return 0, err
		}
	}
	var matches []subscriptions.Match
	if st.ID != 0 {
		matches = a.Subs.MatchStory(art, content, st.Langs)
	} else {
		matches = a.Subs.Match(art, content)
	}
	alerts := make([]delivery.Alert, 0, len(matches))
	for _, m := range matches {
		al := delivery.Alert{ChatID: m.ChatID, ArticleID: art.ID, Topics: m.Queries, Words: m.Words}
		if a.Routes != nil {
			var ok bool
			if al, ok = a.Routes.Route(al); !ok {
				continue // every matching topic muted
			}
		}
		alerts = append(alerts, al)
	}
	if st.ID == 0 {
		return len(alerts), a.Queue.Enqueue(ctx, art.ID, alerts)
	}
	ds := delivery.Story{ID: st.ID, Langs: st.Langs}
	for _, e := range st.Editions {
		ds.Editions = append(ds.Editions, delivery.StoryEdition{ArticleID: e.ArticleID, Lang: e.Lang})
	}
	ids := make([]int64, len(alerts))
	for i, al := range alerts {
		ids[i] = al.ChatID
	}
	chats, err := a.Subs.Chats(ctx, ids)
	if err != nil {
		return 0, err
	}
	sa := make([]delivery.StoryAlert, 0, len(alerts))
	for _, al := range alerts {
		c := chats[al.ChatID] // a chat gone meanwhile: the defaults
		sa = append(sa, delivery.StoryAlert{Alert: al, Prefs: ChatPrefs(c.Language, a.Stories.DefaultLanguage, c.NewsLanguages)})
	}
	return len(alerts), a.Stories.Queue.EnqueueStory(ctx, art.ID, ds, sa)
}

// ChatPrefs is the edition preference of a chat with language lang ("":
// def) and news languages news (empty: all).
func ChatPrefs(lang, def string, news []string) delivery.Prefs {
	if lang == "" {
		lang = def
	}
	if len(news) == 0 {
		return delivery.Prefs{Langs: []string{lang}, Any: true}
	}
	var p delivery.Prefs
	if slices.Contains(news, lang) {
		p.Langs = append(p.Langs, lang)
	}
	for _, l := range news {
		if !slices.Contains(p.Langs, l) {
			p.Langs = append(p.Langs, l)
		}
	}
	return p
}

// EditionRenderer adds to an alert what its story knows at send time: links
// to the other editions, and a machine translation into the chat's
// language when the edition is in another one and a translator is set.
type EditionRenderer struct {
	Stories interface {
		StoryOf(ctx context.Context, articleID int64) (feeds.Story, error)
	}
	// Translator, when set, translates title and summary; it must give up
	// within its own timeout and return an error then.
	Translator interface {
		Translate(ctx context.Context, art *feeds.Article, target string) (title, summary string, err error)
	}
	Logger interface {
		Warn(msg string, args ...any)
	}
}

func (e *EditionRenderer) apply(ctx context.Context, lang string, art *feeds.Article, a *Alert) {
	if e.Stories != nil {
		st, err := e.Stories.StoryOf(ctx, art.ID)
		if err == nil {
			for _, ed := range st.Editions {
				if ed.ArticleID != art.ID {
					a.Editions = append(a.Editions, EditionLink{Lang: ed.Lang, Link: ed.Link})
				}
			}
		} else if e.Logger != nil {
			e.Logger.Warn("bot: editions of the story", "article", art.ID, "err", err)
		}
	}
	if e.Translator == nil || art.Lang == "" || art.Lang == lang {
		return
	}
	title, summary, err := e.Translator.Translate(ctx, art, lang)
	if err != nil {
		// Untranslated is better than late or lost.
		if e.Logger != nil {
			e.Logger.Warn("bot: translation failed; the alert goes out untranslated", "article", art.ID, "lang", lang, "err", err)
		}
		return
	}
	if title == "" {
		return
	}
	a.Title, a.Summary, a.TranslatedFrom = title, summary, art.Lang
}
