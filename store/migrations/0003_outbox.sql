-- The delivery outbox: one row per (chat, article) alert. Rows are written in
-- the transaction that sets articles.matched = 1, and marked sent only after
-- Telegram accepted the message. Times are unix milliseconds.
CREATE TABLE outbox (
	id           INTEGER PRIMARY KEY,
	chat_id      INTEGER NOT NULL,
	article_id   INTEGER NOT NULL,
	topics       TEXT NOT NULL DEFAULT '[]', -- JSON array of the topics that matched
	words        TEXT NOT NULL DEFAULT '[]', -- JSON array of the words to highlight
	status       TEXT NOT NULL DEFAULT 'pending'
	             CHECK (status IN ('pending', 'sent', 'dropped', 'held')), -- held: waits for the chat's digest
	attempts     INTEGER NOT NULL DEFAULT 0,
	last_attempt INTEGER NOT NULL DEFAULT 0, -- when the last attempt started
	next_attempt INTEGER NOT NULL DEFAULT 0,
	created      INTEGER NOT NULL,
	sent_at      INTEGER NOT NULL DEFAULT 0, -- when it was sent, or dropped
	last_error   TEXT NOT NULL DEFAULT '',
	UNIQUE (chat_id, article_id)
) STRICT;
CREATE INDEX outbox_pending ON outbox(chat_id, id) WHERE status = 'pending';
CREATE INDEX outbox_held ON outbox(chat_id, id) WHERE status = 'held';
CREATE INDEX outbox_sent ON outbox(sent_at) WHERE status = 'sent';
CREATE INDEX outbox_done ON outbox(sent_at) WHERE status IN ('sent', 'dropped');

-- Per-chat flood-control windows: an hour that starts with the first alert
-- sent to the chat; alerts beyond the cap are held for the digest sent when
-- the window ends.
CREATE TABLE outbox_windows (
	chat_id INTEGER PRIMARY KEY,
	started INTEGER NOT NULL, -- unix milliseconds
	sent    INTEGER NOT NULL  -- alerts sent in this window
) STRICT;
