-- The title a feed gives itself, from its last parsed document: shown as the
-- feed's name when the config gives it none.
ALTER TABLE feeds ADD COLUMN title TEXT NOT NULL DEFAULT '';
