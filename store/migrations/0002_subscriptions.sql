-- Chats the bot talks to, and what each subscribed to. The subscriptions
-- package owns both tables.
CREATE TABLE chats (
	id             INTEGER PRIMARY KEY,            -- Telegram chat id
	type           TEXT NOT NULL CHECK (type IN ('private', 'group', 'supergroup', 'channel')),
	language       TEXT NOT NULL DEFAULT '',       -- interface language; '' = not chosen
	timezone       TEXT NOT NULL DEFAULT '',       -- IANA name; '' = the bot's default
	news_languages TEXT NOT NULL DEFAULT '',       -- comma-separated feed languages; '' = all
	paused         INTEGER NOT NULL DEFAULT 0,     -- 1: the chat asked for no alerts for now
	inactive       INTEGER NOT NULL DEFAULT 0,     -- 1: blocked the bot, kicked it, or was deleted
	created        INTEGER NOT NULL                -- unix seconds
) STRICT;

-- One row per chat and normalized query. query is what the chat typed (shown
-- back in /list); normalized is the canonical query, the key of the matcher.
CREATE TABLE subscriptions (
	id         INTEGER PRIMARY KEY,
	chat_id    INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
	query      TEXT NOT NULL,
	normalized TEXT NOT NULL,
	created    INTEGER NOT NULL,                    -- unix seconds
	UNIQUE (chat_id, normalized)
) STRICT;
