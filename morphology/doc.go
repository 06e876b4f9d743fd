// Package morphology knows the word forms of Ukrainian, Russian and English: which
// lemma (dictionary word) a form such as Києві, посла or міністра belongs
// to. It reads hunspell dictionaries (Debian's hunspell-uk, hunspell-ru
// and hunspell-en-us, embedded in the binary with their licences in dict/), and
// finds a form the way hunspell does: each suffix rule whose ending the
// form has is stripped, and the stem left is looked up among the
// dictionary's words with the rule's flag. The forms themselves are never
// listed, so the three dictionaries take a few tens of megabytes.
//
// Package subscriptions uses it to match a query word with the article
// words that share a lemma with it; words the dictionaries do not know
// (new names, slang) fall back to its stemmers.
package morphology
