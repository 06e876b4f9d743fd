package delivery

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/newsalert/newsalert/feeds"
)

// One alert per (chat, story): the editions of one article in an outlet's
// languages reach a chat as one message, in the edition the chat prefers.
// An alert for an edition the chat likes less than one the outlet may
// still publish is held in outbox_stories for up to Config.EditionWait;
// a better edition arriving meanwhile replaces it, and the best one
// releases it, each in the transaction that stores the edition's match.
// Released, the alert is one ordinary outbox row: from there on the
// outbox's guarantees hold, and later editions send nothing.

// Story is what the queue needs to know of the story an article belongs to.
type Story struct {
	ID       int64
	Editions []StoryEdition // every edition stored so far, in arrival order, the new one among them
	Langs    []string       // the languages the outlet publishes
}

// StoryEdition is one edition of a story.
type StoryEdition struct {
	ArticleID int64
	Lang      string
}

// Prefs is the order of languages in which a chat wants a story's edition:
// its own language first, then its /newslang order. With Any, an edition
// in another language will do after those; without, none outside Langs.
type Prefs struct {
	Langs []string
	Any   bool
}

// rank is lang's place in p (0: the most wanted), -1 when not acceptable.
func (p Prefs) rank(lang string) int {
	if i := slices.Index(p.Langs, lang); i >= 0 {
		return i
	}
	if p.Any {
		return len(p.Langs)
	}
	return -1
}

// best is the best rank an edition in one of langs could have; -1: none.
func (p Prefs) best(langs []string) int {
	b := -1
	for _, l := range langs {
		if r := p.rank(l); r >= 0 && (b < 0 || r < b) {
			b = r
		}
	}
	return b
}

func (p Prefs) String() string {
	s := strings.Join(p.Langs, ",")
	if p.Any {
		if s != "" {
			s += ","
		}
		s += "*"
	}
	return s
}

func parsePrefs(s string) Prefs {
	var p Prefs
	for _, l := range strings.Split(s, ",") {
		switch l {
		case "":
		case "*":
			p.Any = true
		default:
			p.Langs = append(p.Langs, l)
		}
	}
	return p
}

// noEdition is the rank of a held row that has no edition the chat takes
// yet (article_id 0).
const noEdition = 1 << 20

// StoryAlert is an alert for one edition and the chat's preferences.
type StoryAlert struct {
	Alert
	Prefs Prefs
}

// storyRow is a row of outbox_stories.
type storyRow struct {
	article     int64
	rank, best  int
	prefs       Prefs
	topics      []string
	words       []string
	released    bool
	holdUntilMs int64
	batch       string // Alert.Batch: the digest it joins when released
}

// EnqueueStory records the alerts for one edition of a story (articleID,
// one of st.Editions) and marks the article matched, in one transaction.
// Each chat gets at most one alert per story: the edition it prefers among
// those stored; held, when a better one may come, until
// Config.EditionWait. Chats already holding an alert for the story get
// the new edition instead when they prefer it, whether it matched their
// query or not. Running it again for the same article adds nothing.
func (q *Queue) EnqueueStory(ctx context.Context, articleID int64, st Story, alerts []StoryAlert) error {
	lang := ""
	for _, e := range st.Editions {
		if e.ArticleID == articleID {
			lang = e.Lang
		}
	}
	if st.ID == 0 || lang == "" {
		return fmt.Errorf("delivery: enqueue story %d: article %d is not one of its editions", st.ID, articleID)
	}
	tx, err := q.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delivery: enqueue story %d: %w", st.ID, err)
	}
	defer tx.Rollback()
	if err := q.articles.MarkMatched(ctx, tx, articleID); errors.Is(err, feeds.ErrNoArticle) {
		return fmt.Errorf("delivery: enqueue article %d: %w", articleID, ErrUnknownArticle)
	} else if err != nil {
		return fmt.Errorf("delivery: enqueue article %d: %w", articleID, err)
	}
	now := q.now()
	var woken []Alert
	matched := map[int64]bool{}
	rows, err := storyRows(ctx, tx, st.ID)
	if err != nil {
		return fmt.Errorf("delivery: enqueue article %d: %w", articleID, err)
	}
	stx, err := prepareStoryTx(ctx, tx)
	if err != nil {
		return fmt.Errorf("delivery: enqueue article %d: %w", articleID, err)
	}
	defer stx.Close()
	for _, a := range alerts {
		if a.ChatID == 0 {
			return fmt.Errorf("delivery: enqueue article %d: alert without a chat", articleID)
		}
		matched[a.ChatID] = true
		r, found := rows[a.ChatID]
		rel, err := q.storyAlert(ctx, stx, st, articleID, a, r, found, now)
		if err != nil {
			return fmt.Errorf("delivery: enqueue article %d chat %d: %w", articleID, a.ChatID, err)
		}
		if rel {
			woken = append(woken, a.Alert)
		}
	}
	// Chats waiting for a better edition of this story that the new one's
	// text did not match: the story matched them already.
	for chat, r := range rows {
		if matched[chat] || r.released {
			continue
		}
		rank := r.prefs.rank(lang)
		if rank < 0 || rank >= r.rank {
			continue
		}
		r.article, r.rank = articleID, rank
		if err := q.putStory(ctx, stx, chat, st.ID, r, rank <= r.best, now); err != nil {
			return fmt.Errorf("delivery: enqueue article %d chat %d: %w", articleID, chat, err)
		}
		if rank <= r.best {
			woken = append(woken, Alert{ChatID: chat})
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("delivery: enqueue article %d: %w", articleID, err)
	}
	if len(woken) > 0 {
		q.wakeChats(woken)
	}
	q.editLinks(ctx, st.ID, articleID, now)
	return nil
}

// noteStoryMessage records the message of a story alert just sent, so that
// a later edition can be linked from it.
func (q *Queue) noteStoryMessage(ctx context.Context, r row, messageID int, now time.Time) {
	if messageID == 0 {
		return
	}
	if _, err := q.db.ExecContext(ctx, `UPDATE outbox_stories SET message_id = ?, sent_at = ?
		WHERE chat_id = ? AND article_id = ? AND released = 1`, messageID, now.UnixMilli(), r.chat, r.article); err != nil {
		q.log.Warn("delivery: note a story alert's message", "chat", r.chat, "article", r.article, "err", err)
	}
}

// editLinks re-renders, in the background, the story's alerts sent within
// EditionWait before now, so that they link the edition article just
// stored. It is best effort: an edit lost to a crash costs only a link.
func (q *Queue) editLinks(ctx context.Context, story, article int64, now time.Time) {
	if q.cfg.EditLinksMax < 0 || q.cfg.EditionWait <= 0 || !q.running.Load() {
		return
	}
	type sentAlert struct {
		chat, article int64
		message       int
		topics, words string
	}
	rows, err := q.db.QueryContext(ctx, `SELECT chat_id, article_id, message_id, topics, words FROM outbox_stories
		WHERE story_id = ? AND released = 1 AND message_id != 0 AND article_id != ? AND sent_at >= ?
		LIMIT ?`, story, article, now.Add(-q.cfg.EditionWait).UnixMilli(), q.cfg.EditLinksMax+1)
	if err != nil {
		q.log.Warn("delivery: story alerts to link a new edition from", "err", err)
		return
	}
	var edits []sentAlert
	for rows.Next() {
		var e sentAlert
		if err := rows.Scan(&e.chat, &e.article, &e.message, &e.topics, &e.words); err != nil {
			break
		}
		edits = append(edits, e)
	}
	rows.Close()
	if len(edits) == 0 || len(edits) > q.cfg.EditLinksMax {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		for _, e := range edits {
			a := Alert{ChatID: e.chat, ArticleID: e.article, Topics: parseList(e.topics), Words: parseList(e.words)}
			found, err := q.loadArticle(ctx, &a)
			if err != nil || !found {
				continue
			}
			m, err := q.renderAlert(ctx, a)
			if err != nil {
				continue
			}
			if err := q.Edit(ctx, e.chat, e.message, m); err != nil && ctx.Err() == nil {
				q.log.Debug("delivery: link a new edition from a sent alert", "chat", e.chat, "err", err)
			}
		}
	}()
}

// storyAlert applies one chat's match of an edition; it reports whether an
// outbox row was written.
func (q *Queue) storyAlert(ctx context.Context, stx *storyTx, st Story, articleID int64, a StoryAlert, r storyRow, found bool, now time.Time) (bool, error) {
	if found && r.released {
		return false, nil // the chat has (or had) its alert for this story
	}
	if found {
		r.topics, r.words = union(r.topics, a.Topics), union(r.words, a.Words)
		lang := ""
		for _, e := range st.Editions {
			if e.ArticleID == articleID {
				lang = e.Lang
			}
		}
		if rank := r.prefs.rank(lang); rank >= 0 && rank < r.rank {
			r.article, r.rank = articleID, rank
		}
		release := r.rank <= r.best
		return release, q.putStory(ctx, stx, a.ChatID, st.ID, r, release, now)
	}
	// A first match: the best edition stored so far, the first to arrive
	// among equals.
	r = storyRow{prefs: a.Prefs, topics: a.Topics, words: a.Words, rank: -1, batch: a.Batch}
	for _, e := range st.Editions {
		if rank := a.Prefs.rank(e.Lang); rank >= 0 && (r.rank < 0 || rank < r.rank) {
			r.article, r.rank = e.ArticleID, rank
		}
	}
	r.best = a.Prefs.best(st.Langs)
	if r.rank < 0 {
		// No edition stored yet that the chat takes (its query matched an
		// edition outside its /newslang): wait for one the outlet may
		// publish; none comes, nothing is sent.
		if r.best < 0 || q.cfg.EditionWait <= 0 {
			return false, nil
		}
		r.article, r.rank = 0, noEdition
		r.holdUntilMs = now.Add(q.cfg.EditionWait).UnixMilli()
		return false, q.putStory(ctx, stx, a.ChatID, st.ID, r, false, now)
	}
	if r.best < 0 || r.best > r.rank {
		r.best = r.rank
	}
	release := r.rank <= r.best || q.cfg.EditionWait <= 0
	r.holdUntilMs = now.Add(q.cfg.EditionWait).UnixMilli()
	return release, q.putStory(ctx, stx, a.ChatID, st.ID, r, release, now)
}

// putStory writes a chat's story row; with release, its alert becomes an
// outbox row in the same transaction.
func (q *Queue) putStory(ctx context.Context, stx *storyTx, chat, story int64, r storyRow, release bool, now time.Time) error {
	if _, err := stx.put.ExecContext(ctx, chat, story, r.article, r.rank, r.best, r.prefs.String(), jsonList(r.topics), jsonList(r.words),
		r.holdUntilMs, boolInt(release), now.UnixMilli(), r.batch); err != nil {
		return err
	}
	if !release {
		return nil
	}
	if r.batch != "" { // the chat's digest or quiet hours
		return enqueueItem(ctx, stx.tx, r.article, Alert{ChatID: chat, Topics: r.topics, Words: r.words, Batch: r.batch}, now.UnixMilli())
	}
	_, err := stx.outbox.ExecContext(ctx, chat, r.article, jsonList(r.topics), jsonList(r.words), now.UnixMilli())
	return err
}

// storyTx is EnqueueStory's transaction and its statements, prepared once
// (the driver does not cache them) for thousands of chats.
type storyTx struct {
	tx          *sql.Tx
	put, outbox *sql.Stmt
}

func prepareStoryTx(ctx context.Context, tx *sql.Tx) (*storyTx, error) {
	put, err := tx.PrepareContext(ctx, `INSERT INTO outbox_stories(chat_id, story_id, article_id, rank, best, prefs, topics, words,
		hold_until, released, created, batch) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(chat_id, story_id) DO UPDATE SET article_id = excluded.article_id, rank = excluded.rank,
		topics = excluded.topics, words = excluded.words, released = excluded.released`)
	if err != nil {
		return nil, err
	}
	out, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO outbox(chat_id, article_id, topics, words, created) VALUES(?, ?, ?, ?, ?)`)
	if err != nil {
		put.Close()
		return nil, err
	}
	return &storyTx{tx: tx, put: put, outbox: out}, nil
}

func (s *storyTx) Close() {
	s.put.Close()
	s.outbox.Close()
}

// storyRows reads every chat's row of a story, by chat.
func storyRows(ctx context.Context, tx *sql.Tx, story int64) (map[int64]storyRow, error) {
	rows, err := tx.QueryContext(ctx, `SELECT chat_id, article_id, rank, best, prefs, topics, words, released, hold_until, batch
		FROM outbox_stories WHERE story_id = ?`, story)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]storyRow{}
	for rows.Next() {
		var chat int64
		var r storyRow
		var prefs, topics, words string
		var released int
		if err := rows.Scan(&chat, &r.article, &r.rank, &r.best, &prefs, &topics, &words, &released, &r.holdUntilMs, &r.batch); err != nil {
			return nil, err
		}
		r.prefs, r.topics, r.words, r.released = parsePrefs(prefs), parseList(topics), parseList(words), released != 0
		out[chat] = r
	}
	return out, rows.Err()
}

// releaseDue turns the held story alerts whose wait is over into outbox
// rows, in one transaction; it returns the chats that got one.
func (q *Queue) releaseDue(ctx context.Context) ([]Alert, error) {
	now := q.now()
	// Most looks find nothing: ask a reader before taking the write lock.
	var any int
	err := q.db.QueryRowContext(ctx, `SELECT 1 FROM outbox_stories WHERE released = 0 AND hold_until <= ? LIMIT 1`,
		now.UnixMilli()).Scan(&any)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	tx, err := q.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT chat_id, story_id, article_id, topics, words, batch FROM outbox_stories
		WHERE released = 0 AND hold_until <= ? ORDER BY hold_until LIMIT 1000`, now.UnixMilli())
	if err != nil {
		return nil, err
	}
	type due struct {
		chat, story, article int64
		topics, words, batch string
	}
	var ds []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.chat, &d.story, &d.article, &d.topics, &d.words, &d.batch); err != nil {
			rows.Close()
			return nil, err
		}
		ds = append(ds, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ds) == 0 {
		return nil, err
	}
	var out []Alert
	for _, d := range ds {
		if d.article == 0 { // no edition the chat takes came: nothing to send
			if _, err := tx.ExecContext(ctx, `UPDATE outbox_stories SET released = 1 WHERE chat_id = ? AND story_id = ?`, d.chat, d.story); err != nil {
				return nil, err
			}
			continue
		}
		if d.batch != "" {
			a := Alert{ChatID: d.chat, Topics: parseList(d.topics), Words: parseList(d.words), Batch: d.batch}
			if err := enqueueItem(ctx, tx, d.article, a, now.UnixMilli()); err != nil {
				return nil, err
			}
		} else if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO outbox(chat_id, article_id, topics, words, created) VALUES(?, ?, ?, ?, ?)`,
			d.chat, d.article, d.topics, d.words, now.UnixMilli()); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox_stories SET released = 1 WHERE chat_id = ? AND story_id = ?`, d.chat, d.story); err != nil {
			return nil, err
		}
		out = append(out, Alert{ChatID: d.chat, ArticleID: d.article})
	}
	return out, tx.Commit()
}

// releaseHeld runs releaseDue for the Run loop.
func (q *Queue) releaseHeld(ctx context.Context) {
	rel, err := q.releaseDue(ctx)
	if err != nil {
		if ctx.Err() == nil {
			q.log.Error("delivery: release held story alerts", "err", err)
		}
		return
	}
	if len(rel) > 0 {
		q.log.Debug("delivery: story alerts released after the edition wait", "alerts", len(rel))
	}
}

// moveHeldStories follows a group upgraded to a supergroup.
func moveHeldStories(ctx context.Context, db *sql.DB, from, to int64) error {
	_, err := db.ExecContext(ctx, `UPDATE OR IGNORE outbox_stories SET chat_id = ? WHERE chat_id = ?`, to, from)
	return err
}

// dropHeldStories forgets what waits for chat in outbox_stories (a pause,
// a chat gone).
func dropHeldStories(ctx context.Context, db *sql.DB, chat int64) error {
	_, err := db.ExecContext(ctx, `UPDATE outbox_stories SET released = 1 WHERE chat_id = ? AND released = 0`, chat)
	return err
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, s := range b {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// pruneStoryRows forgets released story alerts created before cutoff (unix
// ms). Later editions of such a story (sent_alerts is far longer than any
// pairing window) would find no row and be alerted again.
func pruneStoryRows(ctx context.Context, db *sql.DB, cutoff int64) error {
	_, err := db.ExecContext(ctx, `DELETE FROM outbox_stories WHERE released = 1 AND created < ?`, cutoff)
	return err
}
