-- Stories (issue 8): the editions of one article that an outlet publishes
-- in several languages (feeds with the same edition:). The feeds package
-- owns both tables; an article of a feed without an outlet has no row.
CREATE TABLE stories (
	id      INTEGER PRIMARY KEY,
	outlet  TEXT NOT NULL,
	key     TEXT,                  -- captured by the outlet's key from a link; NULL: none
	created INTEGER NOT NULL,      -- unix seconds
	UNIQUE (outlet, key)
) STRICT;

-- One row per stored article of an outlet: the story it is an edition of,
-- and how it joined it (first: it started the story; key: same key as the
-- story; content: paired by its text with paired_with, at score).
CREATE TABLE story_editions (
	article_id  INTEGER PRIMARY KEY,
	story_id    INTEGER NOT NULL,
	outlet      TEXT NOT NULL,
	lang        TEXT NOT NULL,
	published   INTEGER NOT NULL,  -- unix seconds, the article's
	how         TEXT NOT NULL CHECK (how IN ('first', 'key', 'content')),
	score       REAL NOT NULL DEFAULT 0,
	paired_with INTEGER NOT NULL DEFAULT 0,
	UNIQUE (story_id, lang)
) STRICT;
CREATE INDEX story_editions_recent ON story_editions(outlet, published);
