// Package subscriptions keeps the chats the bot serves, what each one
// subscribed to, and the matcher that turns an article into the chats it
// concerns.
//
// A query is typed in a small language (words, "phrases", OR, -exclusions,
// prefix*, parentheses; see Parse) and read the way a reader means it: the
// same normalization for queries and articles (NFKC, case folding, one
// apostrophe, Latin look-alikes in Cyrillic words), whole words only, and
// inflected forms for every word not marked !exact: Ukrainian and Russian
// words share a lemma of the hunspell dictionaries (package morphology),
// and words they do not know fall back to stemmers (English plural and
// possessive, Russian Snowball, a light Ukrainian stemmer of our own).
// Operators are read as people type them (operators.go: "nato або нато",
// "NATO, НАТО", "Україна НЕ Росія"); a name of the built-in entity table
// finds its other languages' names (entities.go, entities.tsv); a
// capitalised name finds its spelling in the other alphabet (translit.go);
// and Why / Explain say which words of an article matched which part of a
// query (explain.go).
//
// Service is what the bot and the pipeline call: it writes chats and
// subscriptions to SQLite and keeps the in-memory Matcher in step. The
// Matcher is a percolator, an inverted index over queries, so an article
// costs what its words and its matches cost, not what the number of
// subscriptions is.
//
// It does not fetch articles (package feeds) nor send anything (package
// bot): it only says which chat wants which article, and why.
package subscriptions
