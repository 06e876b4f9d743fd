-- Key-value state that belongs to no one table (e.g. the Telegram update offset).
CREATE TABLE IF NOT EXISTS kv (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;
