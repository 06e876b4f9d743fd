-- Digests, quiet hours, timed pauses and mutes (issue 10).
--
-- The chat's and each subscription's delivery settings (the subscriptions
-- package owns these columns). Specs are the canonical text of the command:
-- digest '' (instant), 'hourly', 'daily 08:00', 'weekly mon 08:00'; quiet ''
-- (none) or '23:00-07:00 silent' / '23:00-07:00 hold'.
ALTER TABLE chats ADD COLUMN paused_until INTEGER NOT NULL DEFAULT 0; -- unix seconds; 0: until /resume
ALTER TABLE chats ADD COLUMN digest TEXT NOT NULL DEFAULT '';
ALTER TABLE chats ADD COLUMN quiet TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN digest TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN muted_until INTEGER NOT NULL DEFAULT 0; -- unix seconds

-- The delivery package owns the rest. Alerts waiting for a batch: a chat's
-- scheduled digest ('digest'), one subscription's ('sub:<id>'), or the end
-- of quiet hours ('quiet'). Written in the transaction that marks the
-- article matched, like the outbox.
CREATE TABLE digest_items (
	id         INTEGER PRIMARY KEY,
	chat_id    INTEGER NOT NULL,
	batch      TEXT NOT NULL,
	article_id INTEGER NOT NULL,
	topics     TEXT NOT NULL DEFAULT '[]',
	words      TEXT NOT NULL DEFAULT '[]',
	created    INTEGER NOT NULL, -- unix milliseconds
	UNIQUE (chat_id, article_id)
) STRICT;
CREATE INDEX digest_items_batch ON digest_items(chat_id, batch, id);

-- Each batch's schedule state: the last period sent (a local date such as
-- '2026-03-29', or an hour) and when to look again. A period is sent once:
-- the parts are written in the transaction that records it.
CREATE TABLE digest_batches (
	chat_id     INTEGER NOT NULL,
	batch       TEXT NOT NULL,
	last_period TEXT NOT NULL DEFAULT '',
	next_due    INTEGER NOT NULL, -- unix seconds
	PRIMARY KEY (chat_id, batch)
) STRICT;
CREATE INDEX digest_batches_due ON digest_batches(next_due);

-- Rendered digest messages, one row per message, sent in order and marked
-- sent one by one: after kill -9 only the parts not yet sent go out.
CREATE TABLE digest_parts (
	id       INTEGER PRIMARY KEY,
	chat_id  INTEGER NOT NULL,
	html     TEXT NOT NULL,
	plain    TEXT NOT NULL DEFAULT '',
	silent   INTEGER NOT NULL DEFAULT 0, -- disable_notification
	markup   TEXT NOT NULL DEFAULT '',   -- JSON reply_markup, '' for none
	due      INTEGER NOT NULL,           -- unix milliseconds: order of the wave
	status   TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dropped')),
	attempts INTEGER NOT NULL DEFAULT 0,
	sent_at  INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX digest_parts_pending ON digest_parts(chat_id, id) WHERE status = 'pending';

-- Subscriptions removed with the button under an alert, kept so that its
-- "Undo" can bring them back (the subscriptions package owns it).
CREATE TABLE subscriptions_removed (
	id      INTEGER PRIMARY KEY,
	chat_id INTEGER NOT NULL,
	query   TEXT NOT NULL,
	digest  TEXT NOT NULL DEFAULT '',
	removed INTEGER NOT NULL -- unix seconds
) STRICT;
