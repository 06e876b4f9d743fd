-- Poll state of each configured feed. Rows outlive a feed's removal from the
-- config only until the feeds package prunes them.
CREATE TABLE feeds (
	id            TEXT PRIMARY KEY,
	url           TEXT NOT NULL,
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	body_hash     TEXT NOT NULL DEFAULT '', -- of the last document parsed: an identical 200 is not parsed again
	seeded        INTEGER NOT NULL DEFAULT 0, -- 1 once the first poll recorded what the feed held
	failures      INTEGER NOT NULL DEFAULT 0, -- failures in a row
	last_error    TEXT NOT NULL DEFAULT '',
	last_attempt  INTEGER NOT NULL DEFAULT 0, -- unix seconds
	last_success  INTEGER NOT NULL DEFAULT 0,
	next_check    INTEGER NOT NULL DEFAULT 0,
	articles      INTEGER NOT NULL DEFAULT 0  -- articles stored from this feed
) STRICT;

-- Articles, stored once each. matched = 0 means the article waits for the
-- matcher; the delivery side sets it to 1 in the transaction that queues its
-- alerts. Articles seen on a feed's first poll are stored with matched = 1:
-- they are never alerted, nor are items published long before they were
-- first seen (a dormant feed waking up must not replay its backlog).
CREATE TABLE articles (
	id         INTEGER PRIMARY KEY,
	feed_id    TEXT NOT NULL,
	lang       TEXT NOT NULL,
	guid       TEXT NOT NULL DEFAULT '',
	link       TEXT NOT NULL DEFAULT '',
	title      TEXT NOT NULL DEFAULT '',
	summary    TEXT NOT NULL DEFAULT '',
	content    TEXT NOT NULL DEFAULT '',
	categories TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
	published  INTEGER NOT NULL,           -- unix seconds
	seen       INTEGER NOT NULL,           -- unix seconds
	matched    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX articles_pending ON articles(id) WHERE matched = 0;
CREATE INDEX articles_seen ON articles(seen);

-- Dedup keys: every identity an article was known by (feed+guid, canonical
-- link, content hash). They are kept longer than articles so that a feed
-- re-publishing an old item does not make it new.
CREATE TABLE article_keys (
	key        TEXT PRIMARY KEY,
	article_id INTEGER,          -- NULL once the article itself is pruned
	seen       INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX article_keys_seen ON article_keys(seen);
