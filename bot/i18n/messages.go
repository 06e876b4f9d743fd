package i18n

// Message ids: every text the bot writes. The comment of each id names the
// template data it reads (keys of the data map) and how to call it:
//
//   - T / N return Telegram HTML (send with parse_mode HTML); string data is
//     escaped by the catalog, so pass raw user text (queries, feed names).
//   - N is for ids marked "plural": its n picks the CLDR plural form and is
//     available to the template as .Count (do not pass Count in data).
//   - Ids marked "plain" hold no markup: buttons, command menus and callback
//     answers, which Telegram shows as they are. Call Plain / PlainN.
//   - A value a text shows in quotation marks («{{.Query}}», “{{.Query}}”)
//     has its own quotes turned into the language's inner ones (NestQuotes),
//     so a query typed with quotes never nests them.
//
// The locale files (locales/active.*.yaml) must define exactly these ids;
// a test fails otherwise.
const (
	// /start and /help.

	MsgStart      = "start"       // private chat welcome: what the bot does, examples.
	MsgStartGroup = "start.group" // welcome in a group or channel.
	MsgHelp       = "help"        // query syntax and the commands list.
	MsgHelpAdmin  = "help.admin"  // appended to MsgHelp for bot admins: the admin commands.
	MsgNotCommand = "not_command" // a private message that is not a command.

	// /subscribe.

	MsgSubscribed        = "subscribe.done"      // plural (n = articles matched in the last 7 days, n > 0); Query.
	MsgSubscribedNone    = "subscribe.done_none" // Query. Subscribed; nothing of the last 7 days matched.
	MsgAlreadySubscribed = "subscribe.already"   // Query.
	MsgTooManySubs       = "subscribe.too_many"  // plural (n = the limit of subscriptions per chat).

	// Query errors: each id is the subscriptions.ErrorCode string, so
	// cat.T(lang, string(subscriptions.CodeOf(err)), nil) works for the
	// codes that are not plural (use N with the limit for those that are).

	MsgQueryEmpty           = "query_empty"            // no words to look for.
	MsgQueryUnbalancedQuote = "query_unbalanced_quote" // a " is not closed.
	MsgQueryUnbalancedParen = "query_unbalanced_paren" // ( and ) do not pair up.
	MsgQueryOnlyExclusions  = "query_only_exclusions"  // only -words.
	MsgQueryTooLong         = "query_too_long"         // plural (n = the limit in characters).
	MsgQueryTooManyTerms    = "query_too_many_terms"   // plural (n = the limit of words and phrases).
	MsgQueryPrefixTooShort  = "query_prefix_too_short" // Ук* would match too much.
	MsgQueryTooDeep         = "query_too_deep"         // parentheses nested too deep.
	MsgQueryInvalid         = "query_invalid"          // any other syntax error (an unknown code).

	// /unsubscribe.

	MsgUnsubscribed       = "unsubscribe.done"       // Query.
	MsgUnsubscribeMissing = "unsubscribe.not_found"  // Query (as the user typed it).
	MsgUnsubscribeBadNum  = "unsubscribe.bad_number" // Number (as typed, a string or int).
	MsgUnsubscribePick    = "unsubscribe.pick"       // prompt above the inline buttons.

	// /list.

	MsgListHeader = "list.header" // plural (n = number of subscriptions, n > 0).
	MsgListItem   = "list.item"   // Number, Query: one line of the list.
	MsgListHint   = "list.hint"   // after the list: how to remove one.
	MsgListEmpty  = "list.empty"  // no subscriptions: how to add one (also for /unsubscribe).
	MsgListPaused = "list.paused" // after the list when the chat is paused.

	// /language.

	MsgLanguagePick    = "language.pick"    // prompt above the language buttons.
	MsgLanguageChanged = "language.changed" // said in the new language.
	MsgLanguageUnknown = "language.unknown" // Lang (as typed), Available (e.g. "en, uk, ru").
	MsgLanguageName    = "language.name"    // plain: the locale's own name ("Українська"), for buttons.

	// /newslang. Langs is a list the caller joins, e.g. with LanguageName.

	MsgNewsLangAll     = "newslang.all"     // current setting: all languages.
	MsgNewsLangCurrent = "newslang.current" // Langs: current setting.
	MsgNewsLangChanged = "newslang.changed" // Langs.
	MsgNewsLangReset   = "newslang.reset"   // back to all languages (/newslang all).
	MsgNewsLangUnknown = "newslang.unknown" // Lang (as typed), Available.

	// Names of news languages in running text ("українська"); see LanguageName.

	MsgLangNameEN = "langname.en"
	MsgLangNameUK = "langname.uk"
	MsgLangNameRU = "langname.ru"

	// /timezone.

	MsgTimezoneCurrent = "timezone.current" // Zone (IANA name and offset), Time (now there, "14:05"), Default (the default zone).
	MsgTimezoneChanged = "timezone.changed" // Zone, Time.
	MsgTimezoneUnknown = "timezone.unknown" // Zone (as typed).

	// /pause and /resume.

	MsgPaused        = "pause.done"
	MsgAlreadyPaused = "pause.already"
	MsgResumed       = "resume.done"
	MsgNotPaused     = "resume.already"

	// /feeds.

	MsgFeedsHeader      = "feeds.header"      // plural (n = number of feeds, n > 0).
	MsgFeedsLine        = "feeds.line"        // Name, Lang (a language name).
	MsgFeedsEmpty       = "feeds.empty"       // no feeds configured.
	MsgFeedsAdminLine   = "feeds.admin_line"  // for admins: ID, Name, Lang, State (a FeedState* text), LastSuccess (a FormatTime text or MsgFeedsNever), Articles.
	MsgFeedsAdminError  = "feeds.admin_error" // plural (n = failures in a row); Error. Line under MsgFeedsAdminLine.
	MsgFeedStateOK      = "feeds.state_ok"
	MsgFeedStateFailing = "feeds.state_failing"
	MsgFeedStatePaused  = "feeds.state_paused"
	MsgFeedsNever       = "feeds.never" // "never" for LastSuccess.

	// Admin commands (issue 5).

	MsgAdminOnly         = "admin.only"                // a non-admin used an admin command.
	MsgFeedAdded         = "admin.feed_added"          // ID, Name, Lang.
	MsgFeedExists        = "admin.feed_exists"         // ID (of the feed already there).
	MsgFeedRemoved       = "admin.feed_removed"        // ID.
	MsgFeedPaused        = "admin.feed_paused"         // ID.
	MsgFeedResumed       = "admin.feed_resumed"        // ID.
	MsgFeedAlreadyPaused = "admin.feed_already_paused" // ID.
	MsgFeedNotPaused     = "admin.feed_not_paused"     // ID.
	MsgFeedNotFound      = "admin.feed_not_found"      // ID.
	MsgFeedFetchFailed   = "admin.feed_fetch_failed"   // URL, Reason.
	MsgFeedBadURL        = "admin.feed_bad_url"        // URL.
	MsgFeedBadLang       = "admin.feed_bad_lang"       // Lang.
	MsgFeedBadID         = "admin.feed_bad_id"         // ID.
	MsgConfigWriteFailed = "admin.config_write_failed" // Reason. Nothing was changed.
	MsgStats             = "admin.stats"               // ChatsActive, ChatsBlocked, Subscriptions, FeedsHealthy, FeedsFailing, Sent24h, QueueDepth, OldestPending (text, e.g. "3m" or "—"), RateLimited24h.

	// Notices to admins.

	MsgNoticeFeedFailing    = "notice.feed_failing"    // plural (n = failures in a row); ID, Name, Error.
	MsgNoticeFeedRecovered  = "notice.feed_recovered"  // ID, Name.
	MsgNoticeConfigRejected = "notice.config_rejected" // Reason.
	MsgNoticeConfigReloaded = "notice.config_reloaded" // config.yaml was reloaded.

	// Errors and refusals.

	MsgUnknownCommand  = "error.unknown_command"   // Command (e.g. "/foo").
	MsgInternalError   = "error.internal"          // "Something went wrong; please try again later."
	MsgGroupAdminsOnly = "error.group_admins_only" // a group member who is not an admin.

	// Usage hints, for a command with a missing or bad argument.

	MsgUsageSubscribe   = "usage.subscribe"
	MsgUsageUnsubscribe = "usage.unsubscribe"
	MsgUsageLanguage    = "usage.language"
	MsgUsageNewsLang    = "usage.newslang"
	MsgUsageAddFeed     = "usage.addfeed"
	MsgUsageRemoveFeed  = "usage.removefeed"
	MsgUsagePauseFeed   = "usage.pausefeed"
	MsgUsageResumeFeed  = "usage.resumefeed"

	// Buttons and callback answers (plain text).

	MsgButtonRemove     = "button.remove"     // plain; Number, Query.
	MsgButtonCancel     = "button.cancel"     // plain.
	MsgCallbackRemoved  = "callback.removed"  // plain; Query.
	MsgCallbackCanceled = "callback.canceled" // plain.
	MsgCallbackStale    = "callback.stale"    // plain: the button refers to something gone.

	// Alerts and digests (used by bot.Renderer).

	MsgAlertTopics   = "alert.topics"     // plural (n = number of topics): the label "Topics:".
	MsgAlertSource   = "alert.source"     // the label "Source:".
	MsgAlertReadMore = "alert.read_more"  // the link text.
	MsgAlertNoTitle  = "alert.no_title"   // an article without a title.
	MsgDigestHeader  = "digest.header"    // plural (n = alerts in the digest).
	MsgDigestMore    = "digest.continued" // heading of the digest's second and later messages.

	// Issue 9, queries: how a query was read, other spellings, "Why this alert?".

	MsgQueryReading = "query.reading" // Reading: the query with its operators in words ("NATO або НАТО").
	MsgQueryOpOr    = "query.op_or"   // plain: "або", for Reading.
	MsgQueryOpAnd   = "query.op_and"  // plain: "і", for Reading.
	MsgQueryOpNot   = "query.op_not"  // plain: "не", for Reading.
	MsgQueryAlso    = "query.also"    // Forms: the other spellings a query also finds, joined by the caller.
	MsgButtonWhy    = "button.why"    // plain: the button under an alert.
	MsgWhyHeader    = "why.header"    // plain: first line of the answer to MsgButtonWhy.
	MsgWhyLine      = "why.line"      // plain; Words (of the article, joined), Part (of the query): one line of the answer.

	// Dates (used by FormatTime).

	MsgDateFormat = "date.format" // Day, Month (a month.N text), Year, Time ("14:05").

	// Editions of a story (issue 8; used by bot.Renderer).

	MsgAlertEditions   = "alert.editions"   // the label before links to the story's other editions ("EN · RU").
	MsgAlertTranslated = "alert.translated" // Lang: the original's language code (EN); marks a machine translation.
)

// Locale and conversation (issue 12): native dates and durations, localized
// admin reasons, the conversation flows, undo and the settings buttons.
const (
	MsgDateToday       = "date.today"       // plain; Time: "today, 21:35".
	MsgDateYesterday   = "date.yesterday"   // plain; Time.
	MsgDateThisYear    = "date.this_year"   // plain; Day, Month, Time: a date of this year, without it.
	MsgDurationDays    = "duration.days"    // plain; N: "2 d".
	MsgDurationHours   = "duration.hours"   // plain; N.
	MsgDurationMinutes = "duration.minutes" // plain; N.
	MsgDurationSeconds = "duration.seconds" // plain; N.

	MsgAlertTopic = "alert.topic" // plain: the label over exactly one topic ("Topic:"); MsgAlertTopics otherwise.

	// Reasons inside MsgConfigWriteFailed and MsgFeedFetchFailed.
	MsgReasonNoConfigFile = "reason.no_config_file" // plain: the bot runs without a config file.
	MsgReasonConfigIO     = "reason.config_io"      // plain: the file could not be read or written.
	MsgReasonTimeout      = "reason.timeout"        // plain.
	MsgReasonNotFeed      = "reason.not_feed"       // plain.
	MsgReasonTooLarge     = "reason.too_large"      // plain.
	MsgReasonNoHost       = "reason.no_host"        // plain.
	MsgReasonPrivate      = "reason.private"        // plain.
	MsgReasonRedirects    = "reason.redirects"      // plain.
	MsgReasonBadXML       = "reason.bad_xml"        // plain.
	MsgReasonHTTP         = "reason.http"           // plain; Status (a number).
	MsgReasonNetwork      = "reason.network"        // plain.

	MsgTimezoneFixed  = "timezone.fixed"   // after MsgTimezoneChanged for a UTC offset: no daylight saving.
	MsgTimezonePick   = "timezone.pick"    // above the zone buttons.
	MsgNewsLangPick   = "newslang.pick"    // above the language toggles.
	MsgButtonAllLangs = "button.all_langs" // plain: the toggle for every language.
	MsgButtonDone     = "button.done"      // plain: closes a settings keyboard.

	// Conversation: a command without its argument asks for it; plain text
	// offers a subscription; a command typed in Cyrillic gets a hint.
	MsgAskSubscribe     = "ask.subscribe"     // the question (with ForceReply).
	MsgAskAddFeed       = "ask.addfeed"       // admins: the feed's address.
	MsgAskFeedID        = "ask.feed_id"       // admins: a feed id.
	MsgAskTimezone      = "ask.timezone"      // after MsgTimezoneCurrent: a city is taken from the next message.
	MsgPlaceholderQuery = "placeholder.query" // plain: the input field's hint.
	MsgPlaceholderURL   = "placeholder.url"   // plain.
	MsgPlaceholderID    = "placeholder.id"    // plain.
	MsgOffer            = "offer.subscribe"   // Query: "Subscribe to «…»?".
	MsgButtonOfferYes   = "button.offer_yes"  // plain.
	MsgButtonOfferNo    = "button.offer_no"   // plain.
	MsgOfferDeclined    = "offer.declined"    // plain toast.
	MsgCyrillicHint     = "cyrillic.hint"     // Command (the Latin command, with its argument): "/підписатися NATO".
	MsgCyrillicAny      = "cyrillic.any"      // a Cyrillic command we cannot map.
	MsgEditReplaced     = "edit.replaced"     // Old: an edited /subscribe replaced the subscription it had made.

	// Undo.
	MsgButtonUndo       = "button.undo"       // plain: under a removal's confirmation.
	MsgButtonUndoNamed  = "button.undo_named" // plain; Query: on a list after a ✖.
	MsgUndoRestored     = "undo.restored"     // Query.
	MsgCallbackRestored = "callback.restored" // plain; Query.
	MsgUndoExpired      = "undo.expired"      // plain toast; Minutes.
	MsgButtonResumeNow  = "button.resume_now" // plain: under the pause confirmation.
)

// monthIDs are the month names as written in a date (uk and ru: genitive).
var monthIDs = [12]string{
	"month.1", "month.2", "month.3", "month.4", "month.5", "month.6",
	"month.7", "month.8", "month.9", "month.10", "month.11", "month.12",
}

// spec is what a test needs to know about a message.
type spec struct {
	data   []string // data keys the template reads, besides Count
	plural bool
	plain  bool
}

// specs lists every message id. It is the list the locale files are checked
// against; keep it in step with the constants above.
var specs = func() map[string]spec {
	m := map[string]spec{
		MsgStart: {}, MsgStartGroup: {}, MsgHelp: {}, MsgHelpAdmin: {}, MsgNotCommand: {},

		MsgSubscribed:        {data: []string{"Query"}, plural: true},
		MsgSubscribedNone:    {data: []string{"Query"}},
		MsgAlreadySubscribed: {data: []string{"Query"}},
		MsgTooManySubs:       {plural: true},

		MsgQueryEmpty: {}, MsgQueryUnbalancedQuote: {}, MsgQueryUnbalancedParen: {},
		MsgQueryOnlyExclusions: {}, MsgQueryInvalid: {}, MsgQueryPrefixTooShort: {}, MsgQueryTooDeep: {},
		MsgQueryTooLong:      {plural: true},
		MsgQueryTooManyTerms: {plural: true},

		MsgUnsubscribed:       {data: []string{"Query"}},
		MsgUnsubscribeMissing: {data: []string{"Query"}},
		MsgUnsubscribeBadNum:  {data: []string{"Number"}},
		MsgUnsubscribePick:    {},

		MsgListHeader: {plural: true},
		MsgListItem:   {data: []string{"Number", "Query"}},
		MsgListHint:   {}, MsgListEmpty: {}, MsgListPaused: {},

		MsgLanguagePick:    {},
		MsgLanguageChanged: {},
		MsgLanguageUnknown: {data: []string{"Lang", "Available"}},
		MsgLanguageName:    {plain: true},

		MsgNewsLangAll:     {},
		MsgNewsLangCurrent: {data: []string{"Langs"}},
		MsgNewsLangChanged: {data: []string{"Langs"}},
		MsgNewsLangReset:   {},
		MsgNewsLangUnknown: {data: []string{"Lang", "Available"}},
		MsgLangNameEN:      {plain: true}, MsgLangNameUK: {plain: true}, MsgLangNameRU: {plain: true},

		MsgTimezoneCurrent: {data: []string{"Zone", "Time", "Default"}},
		MsgTimezoneChanged: {data: []string{"Zone", "Time"}},
		MsgTimezoneUnknown: {data: []string{"Zone"}},

		MsgPaused: {}, MsgAlreadyPaused: {}, MsgResumed: {}, MsgNotPaused: {},

		MsgFeedsHeader:      {plural: true},
		MsgFeedsLine:        {data: []string{"Name", "Lang"}},
		MsgFeedsEmpty:       {},
		MsgFeedsAdminLine:   {data: []string{"ID", "Name", "Lang", "State", "LastSuccess", "Articles"}},
		MsgFeedsAdminError:  {data: []string{"Error"}, plural: true},
		MsgFeedStateOK:      {plain: true},
		MsgFeedStateFailing: {plain: true},
		MsgFeedStatePaused:  {plain: true},
		MsgFeedsNever:       {plain: true},

		MsgAdminOnly:         {},
		MsgFeedAdded:         {data: []string{"ID", "Name", "Lang"}},
		MsgFeedExists:        {data: []string{"ID"}},
		MsgFeedRemoved:       {data: []string{"ID"}},
		MsgFeedPaused:        {data: []string{"ID"}},
		MsgFeedResumed:       {data: []string{"ID"}},
		MsgFeedAlreadyPaused: {data: []string{"ID"}},
		MsgFeedNotPaused:     {data: []string{"ID"}},
		MsgFeedNotFound:      {data: []string{"ID"}},
		MsgFeedFetchFailed:   {data: []string{"URL", "Reason"}},
		MsgFeedBadURL:        {data: []string{"URL"}},
		MsgFeedBadLang:       {data: []string{"Lang"}},
		MsgFeedBadID:         {data: []string{"ID"}},
		MsgConfigWriteFailed: {data: []string{"Reason"}},
		MsgStats: {data: []string{"ChatsActive", "ChatsBlocked", "Subscriptions", "FeedsHealthy",
			"FeedsFailing", "Sent24h", "QueueDepth", "OldestPending", "RateLimited24h"}},

		MsgNoticeFeedFailing:    {data: []string{"ID", "Name", "Error"}, plural: true},
		MsgNoticeFeedRecovered:  {data: []string{"ID", "Name"}},
		MsgNoticeConfigRejected: {data: []string{"Reason"}},
		MsgNoticeConfigReloaded: {},

		MsgUnknownCommand:  {data: []string{"Command"}},
		MsgInternalError:   {},
		MsgGroupAdminsOnly: {},

		MsgUsageSubscribe: {}, MsgUsageUnsubscribe: {}, MsgUsageLanguage: {}, MsgUsageNewsLang: {},
		MsgUsageAddFeed: {}, MsgUsageRemoveFeed: {}, MsgUsagePauseFeed: {}, MsgUsageResumeFeed: {},

		MsgButtonRemove:     {data: []string{"Number", "Query"}, plain: true},
		MsgButtonCancel:     {plain: true},
		MsgCallbackRemoved:  {data: []string{"Query"}, plain: true},
		MsgCallbackCanceled: {plain: true},
		MsgCallbackStale:    {plain: true},

		MsgAlertTopics:   {plural: true, plain: true},
		MsgAlertSource:   {plain: true},
		MsgAlertReadMore: {plain: true},
		MsgAlertNoTitle:  {plain: true},
		MsgDigestHeader:  {plural: true, plain: true},
		MsgDigestMore:    {plain: true},

		MsgDateFormat: {data: []string{"Day", "Month", "Year", "Time"}, plain: true},

		MsgAlertEditions:   {plain: true},
		MsgAlertTranslated: {data: []string{"Lang"}, plain: true},

		MsgQueryReading: {data: []string{"Reading"}},
		MsgQueryOpOr:    {plain: true}, MsgQueryOpAnd: {plain: true}, MsgQueryOpNot: {plain: true},
		MsgQueryAlso: {data: []string{"Forms"}},
		MsgButtonWhy: {plain: true},
		MsgWhyHeader: {plain: true},
		MsgWhyLine:   {data: []string{"Words", "Part"}, plain: true},
	}
	for _, id := range monthIDs {
		m[id] = spec{plain: true}
	}
	for id, sp := range localeSpecs {
		m[id] = sp
	}
	for _, c := range append(append([]Command{}, UserCommands...), AdminCommands...) {
		m[c.DescID] = spec{plain: true}
	}
	return m
}()

// localeSpecs are the specs of the issue-12 block.
var localeSpecs = map[string]spec{
	MsgDateToday: {data: []string{"Time"}, plain: true}, MsgDateYesterday: {data: []string{"Time"}, plain: true},
	MsgDateThisYear: {data: []string{"Day", "Month", "Time"}, plain: true},
	MsgDurationDays: {data: []string{"N"}, plain: true}, MsgDurationHours: {data: []string{"N"}, plain: true},
	MsgDurationMinutes: {data: []string{"N"}, plain: true}, MsgDurationSeconds: {data: []string{"N"}, plain: true},
	MsgAlertTopic: {plain: true},

	MsgReasonNoConfigFile: {plain: true}, MsgReasonConfigIO: {plain: true}, MsgReasonTimeout: {plain: true},
	MsgReasonNotFeed: {plain: true}, MsgReasonTooLarge: {plain: true}, MsgReasonNoHost: {plain: true},
	MsgReasonPrivate: {plain: true}, MsgReasonRedirects: {plain: true}, MsgReasonBadXML: {plain: true},
	MsgReasonHTTP: {data: []string{"Status"}, plain: true}, MsgReasonNetwork: {plain: true},

	MsgTimezoneFixed: {}, MsgTimezonePick: {}, MsgNewsLangPick: {},
	MsgButtonAllLangs: {plain: true}, MsgButtonDone: {plain: true},

	MsgAskSubscribe: {}, MsgAskAddFeed: {}, MsgAskFeedID: {}, MsgAskTimezone: {},
	MsgPlaceholderQuery: {plain: true}, MsgPlaceholderURL: {plain: true}, MsgPlaceholderID: {plain: true},
	MsgOffer: {data: []string{"Query"}}, MsgButtonOfferYes: {plain: true}, MsgButtonOfferNo: {plain: true},
	MsgOfferDeclined: {plain: true},
	MsgCyrillicHint:  {data: []string{"Command"}}, MsgCyrillicAny: {},
	MsgEditReplaced: {data: []string{"Old"}},

	MsgButtonUndo: {plain: true}, MsgButtonUndoNamed: {data: []string{"Query"}, plain: true},
	MsgUndoRestored: {data: []string{"Query"}}, MsgCallbackRestored: {data: []string{"Query"}, plain: true},
	MsgUndoExpired: {data: []string{"Minutes"}, plain: true}, MsgButtonResumeNow: {plain: true},
}
