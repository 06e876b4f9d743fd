-- Machine translations (package translate): one per article and target
-- language, so a story translated for many chats costs one request.
CREATE TABLE translations (
	article_id INTEGER NOT NULL,
	target     TEXT NOT NULL,
	source     TEXT NOT NULL,
	title      TEXT NOT NULL,
	summary    TEXT NOT NULL,
	created    INTEGER NOT NULL,   -- unix seconds
	PRIMARY KEY (article_id, target)
) STRICT, WITHOUT ROWID;
