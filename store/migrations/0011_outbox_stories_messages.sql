-- Story alerts remember their Telegram message, so that an edition arriving
-- just after the send can be linked from it (bot/delivery, editions.go);
-- and every row of a story is read at once when an edition is matched.
ALTER TABLE outbox_stories ADD COLUMN message_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox_stories ADD COLUMN sent_at INTEGER NOT NULL DEFAULT 0; -- unix ms
DROP INDEX outbox_stories_story;
CREATE INDEX outbox_stories_story ON outbox_stories(story_id);
-- The scheduled digest a held story alert joins when released ('' none).
ALTER TABLE outbox_stories ADD COLUMN batch TEXT NOT NULL DEFAULT '';
