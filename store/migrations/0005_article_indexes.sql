-- The feed-health view counts each feed's articles every 30 s: without an
-- index on feed_id that reads every article row.
CREATE INDEX articles_feed ON articles(feed_id);
-- Pruning unlinks dedup keys from the articles it deletes: without this
-- index each prune scanned every key.
CREATE INDEX article_keys_article ON article_keys(article_id) WHERE article_id IS NOT NULL;
