-- 1 once a chat picked its language with /language: from then on the
-- language_code of a private chat's user no longer changes it.
ALTER TABLE chats ADD COLUMN language_chosen INTEGER NOT NULL DEFAULT 0;
