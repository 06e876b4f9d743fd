-- The delivery side of stories (bot/delivery, editions.go): one row per
-- (chat, story) alert. While held (released = 0) it waits, up to
-- hold_until, for an edition the chat prefers; then it becomes one outbox
-- row, in the transaction that sets released = 1. Times are unix ms.
CREATE TABLE outbox_stories (
	chat_id    INTEGER NOT NULL,
	story_id   INTEGER NOT NULL,
	article_id INTEGER NOT NULL,    -- the edition chosen so far
	rank       INTEGER NOT NULL,    -- its rank in the chat's preferences (0: best)
	best       INTEGER NOT NULL,    -- the best rank the outlet's languages allow
	prefs      TEXT NOT NULL,       -- the chat's languages in order, "*" last when any other will do
	topics     TEXT NOT NULL DEFAULT '[]',
	words      TEXT NOT NULL DEFAULT '[]',
	hold_until INTEGER NOT NULL DEFAULT 0,
	released   INTEGER NOT NULL DEFAULT 0,
	created    INTEGER NOT NULL,
	PRIMARY KEY (chat_id, story_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX outbox_stories_held ON outbox_stories(hold_until) WHERE released = 0;
CREATE INDEX outbox_stories_story ON outbox_stories(story_id) WHERE released = 0;
