package i18n

import "maps"

// Digests, quiet hours, timed pauses and the buttons on alerts (issue 10).
// Kept in a block of their own; the same conventions as messages.go.
const (
	// /pause with a duration or an hour.

	MsgPausedUntil    = "pause.until"        // Until (a formatted local time). Paused; back by itself then.
	MsgPauseNote      = "pause.note"         // appended to MsgPaused: news of the pause is not sent later.
	MsgPauseBad       = "pause.bad"          // Arg: a /pause argument not understood, with examples.
	MsgListPausedTill = "list.paused_until"  // Until: after the list when the chat has a timed pause.
	MsgPauseEnded     = "pause.ended_notice" // plain-free: sent when a timed pause ends by itself.

	// /digest.

	MsgDigestNone      = "digest.none"          // the chat gets instant alerts: how to set a digest.
	MsgDigestCurrent   = "digest.current"       // Schedule, Zone: the chat's digest.
	MsgDigestSet       = "digest.set"           // Schedule, Zone, Next: a digest was set.
	MsgDigestOff       = "digest.off"           // back to instant alerts.
	MsgDigestBad       = "digest.bad"           // Arg: not understood, with examples.
	MsgDigestSubSet    = "digest.sub_set"       // Query, Schedule: one subscription's digest.
	MsgDigestSubOff    = "digest.sub_off"       // Query: one subscription back to instant.
	MsgScheduleHourly  = "schedule.hourly"      // plain: "every hour".
	MsgScheduleDaily   = "schedule.daily"       // plain; Time: "every day at 08:00".
	MsgScheduleWeekly  = "schedule.weekly"      // plain; Day (a weekday.N text), Time.
	MsgDigestTitle     = "digest.title"         // plain; Kind (a digest.kind_* text), Articles (MsgDigestArticles), Topics (MsgDigestTopics).
	MsgDigestArticles  = "digest.articles"      // plain plural (n = articles).
	MsgDigestTopics    = "digest.topics"        // plain plural (n = topics).
	MsgDigestKindHour  = "digest.kind_hourly"   // plain.
	MsgDigestKindDay   = "digest.kind_daily"    // plain.
	MsgDigestKindWeek  = "digest.kind_weekly"   // plain.
	MsgDigestKindQuiet = "digest.kind_quiet"    // plain: what came during quiet hours.
	MsgDigestKindPast  = "digest.kind_backfill" // plain: the /subscribe "Show them" digest.
	MsgDigestNoTopic   = "digest.no_topic"      // plain: heading of alerts whose topic is gone.

	// /quiet.

	MsgQuietNone    = "quiet.none"        // no quiet hours: how to set them.
	MsgQuietCurrent = "quiet.current"     // From, To, Mode (a quiet.mode_* text).
	MsgQuietSet     = "quiet.set"         // From, To, Mode, Zone.
	MsgQuietOff     = "quiet.off"         // quiet hours removed.
	MsgQuietBad     = "quiet.bad"         // Arg.
	MsgQuietSilent  = "quiet.mode_silent" // plain: alerts come without sound.
	MsgQuietHold    = "quiet.mode_hold"   // plain: alerts wait for the end, as one digest.

	// Buttons on alerts and under /subscribe and /list.

	MsgButtonMute       = "button.mute"           // plain; Topic.
	MsgButtonUnsubTopic = "button.unsub_topic"    // plain; Topic.
	MsgButtonMuted      = "button.muted"          // plain; Topic, Until: the confirmation in place of the buttons.
	MsgButtonUnsubbed   = "button.unsubbed"       // plain; Topic.
	MsgButtonInstant    = "button.mode_instant"   // plain: "✓ instant · daily digest".
	MsgButtonDaily      = "button.mode_daily"     // plain: "instant · ✓ daily digest".
	MsgButtonShowThem   = "button.show_them"      // plain.
	MsgCallbackMuted    = "callback.muted"        // plain; Topic, Until.
	MsgCallbackUnmuted  = "callback.unmuted"      // plain; Topic.
	MsgCallbackUnsub    = "callback.unsubbed"     // plain; Topic.
	MsgCallbackResub    = "callback.resubscribed" // plain; Topic.
	MsgCallbackDigest   = "callback.digest"       // plain; Topic, Schedule.
	MsgCallbackInstant  = "callback.instant"      // plain; Topic.
	MsgCallbackNothing  = "callback.nothing"      // plain: "Show them" found nothing any more.
	MsgListDigest       = "list.digest"           // plain; Schedule: after a list item in a digest.
	MsgListMuted        = "list.muted"            // plain; Until: after a muted list item.

	MsgHelpDigests = "help.digests" // appended to MsgHelp: /digest, /quiet, /pause 2h.
)

// weekdayIDs are the names of the days, Sunday first (time.Weekday order).
var weekdayIDs = [7]string{"weekday.0", "weekday.1", "weekday.2", "weekday.3", "weekday.4", "weekday.5", "weekday.6"}

// Weekday returns the day's name in lang, as written after "every".
func (c *Catalog) Weekday(lang string, d int) string {
	if d < 0 || d > 6 {
		return ""
	}
	return c.Plain(lang, weekdayIDs[d], nil)
}

var digestSpecs = map[string]spec{
	MsgPausedUntil: {data: []string{"Until"}}, MsgPauseNote: {}, MsgPauseBad: {data: []string{"Arg"}},
	MsgListPausedTill: {data: []string{"Until"}}, MsgPauseEnded: {},

	MsgDigestNone: {}, MsgDigestCurrent: {data: []string{"Schedule", "Zone"}},
	MsgDigestSet: {data: []string{"Schedule", "Zone", "Next"}}, MsgDigestOff: {},
	MsgDigestBad: {data: []string{"Arg"}}, MsgDigestSubSet: {data: []string{"Query", "Schedule"}},
	MsgDigestSubOff:   {data: []string{"Query"}},
	MsgScheduleHourly: {plain: true}, MsgScheduleDaily: {data: []string{"Time"}, plain: true},
	MsgScheduleWeekly: {data: []string{"Day", "Time"}, plain: true},
	MsgDigestTitle:    {data: []string{"Kind", "Articles", "Topics"}, plain: true},
	MsgDigestArticles: {plural: true, plain: true}, MsgDigestTopics: {plural: true, plain: true},
	MsgDigestKindHour: {plain: true}, MsgDigestKindDay: {plain: true}, MsgDigestKindWeek: {plain: true},
	MsgDigestKindQuiet: {plain: true}, MsgDigestKindPast: {plain: true}, MsgDigestNoTopic: {plain: true},

	MsgQuietNone: {}, MsgQuietCurrent: {data: []string{"From", "To", "Mode"}},
	MsgQuietSet: {data: []string{"From", "To", "Mode", "Zone"}}, MsgQuietOff: {},
	MsgQuietBad: {data: []string{"Arg"}}, MsgQuietSilent: {plain: true}, MsgQuietHold: {plain: true},

	MsgButtonMute: {data: []string{"Topic"}, plain: true}, MsgButtonUnsubTopic: {data: []string{"Topic"}, plain: true},
	MsgButtonMuted: {data: []string{"Topic", "Until"}, plain: true}, MsgButtonUnsubbed: {data: []string{"Topic"}, plain: true},
	MsgButtonInstant: {plain: true}, MsgButtonDaily: {plain: true},
	MsgButtonShowThem: {plain: true},
	MsgCallbackMuted:  {data: []string{"Topic", "Until"}, plain: true}, MsgCallbackUnmuted: {data: []string{"Topic"}, plain: true},
	MsgCallbackUnsub: {data: []string{"Topic"}, plain: true}, MsgCallbackResub: {data: []string{"Topic"}, plain: true},
	MsgCallbackDigest: {data: []string{"Topic", "Schedule"}, plain: true}, MsgCallbackInstant: {data: []string{"Topic"}, plain: true},
	MsgCallbackNothing: {plain: true},
	MsgListDigest:      {data: []string{"Schedule"}, plain: true}, MsgListMuted: {data: []string{"Until"}, plain: true},

	MsgHelpDigests: {},
}

func init() {
	maps.Copy(specs, digestSpecs)
	for _, id := range weekdayIDs {
		specs[id] = spec{plain: true}
	}
}
