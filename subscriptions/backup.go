package subscriptions

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"
)

// BackupLine is one line of a subscriptions backup (JSON lines): one chat
// and one of its queries. A chat with no subscription has one line without
// a query, so its settings survive a restore too. Settings are repeated on
// every line of a chat, so each line stands on its own.
type BackupLine struct {
	ChatID   int64    `json:"chat_id"`
	ChatType ChatType `json:"chat_type"`
	Language string   `json:"language"`
	// LanguageChosen: the chat picked Language with /language, so its
	// user's Telegram language no longer changes it. Absent in backups
	// written before it existed: those chats follow Telegram's, as then.
	LanguageChosen bool     `json:"language_chosen,omitempty"`
	Timezone       string   `json:"timezone,omitempty"`
	NewsLanguages  []string `json:"news_languages,omitempty"`
	Paused         bool     `json:"paused,omitempty"`
	Inactive       bool     `json:"inactive,omitempty"`
	// Delivery settings (issue 10): a timed pause's end (unix seconds),
	// the chat's digest and quiet hours, and the query's own digest.
	PausedUntil int64  `json:"paused_until,omitempty"`
	Digest      string `json:"digest,omitempty"`
	Quiet       string `json:"quiet,omitempty"`
	Query       string `json:"query,omitempty"`
	QueryDigest string `json:"query_digest,omitempty"`
}

// Export writes every chat and subscription as JSON lines, by chat id and
// then in the order each chat subscribed (the numbering of /list).
func Export(ctx context.Context, db *sql.DB, w io.Writer) error {
	rows, err := db.QueryContext(ctx, `SELECT c.id, c.type, c.language, c.language_chosen, c.timezone, c.news_languages,
		c.paused, c.inactive, c.paused_until, c.digest, c.quiet, s.query, s.digest
		FROM chats c LEFT JOIN subscriptions s ON s.chat_id = c.id
		ORDER BY c.id, s.created, s.id`)
	if err != nil {
		return fmt.Errorf("subscriptions: export: %w", err)
	}
	defer rows.Close()
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for rows.Next() {
		var l BackupLine
		var langs string
		var query, qdigest sql.NullString
		if err := rows.Scan(&l.ChatID, &l.ChatType, &l.Language, &l.LanguageChosen, &l.Timezone, &langs, &l.Paused, &l.Inactive,
			&l.PausedUntil, &l.Digest, &l.Quiet, &query, &qdigest); err != nil {
			return fmt.Errorf("subscriptions: export: %w", err)
		}
		l.NewsLanguages = splitLangs(langs)
		l.Query, l.QueryDigest = query.String, qdigest.String
		if err := enc.Encode(l); err != nil {
			return fmt.Errorf("subscriptions: export: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("subscriptions: export: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("subscriptions: export: %w", err)
	}
	return nil
}

// ImportStats says what an Import did.
type ImportStats struct {
	Lines         int // lines read, blank ones left out
	Chats         int // chats created
	Subscriptions int // subscriptions added
	Existing      int // subscriptions already there (same chat, same normalized query): kept
}

// LineError is one bad line of a backup.
type LineError struct {
	Line int
	Msg  string
}

// ImportError lists the bad lines of a backup that was not imported.
type ImportError struct {
	Lines []LineError // the first MaxReportedLines bad lines
	Bad   int         // bad lines in all
}

// MaxReportedLines is how many bad lines an ImportError lists.
const MaxReportedLines = 100

func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "subscriptions: import: %d bad line(s), nothing imported", e.Bad)
	for _, l := range e.Lines {
		fmt.Fprintf(&b, "\nline %d: %s", l.Line, l.Msg)
	}
	if e.Bad > len(e.Lines) {
		fmt.Fprintf(&b, "\n... and %d more", e.Bad-len(e.Lines))
	}
	return b.String()
}

// maxBackupLine bounds one line: a query is at most a few hundred characters.
const maxBackupLine = 64 << 10

// Import loads a backup written by Export in one transaction. Every line is
// checked (JSON, chat type, languages, time zone, the query parses within
// lim); if any is bad, nothing is imported and the error is an
// *ImportError naming each bad line. Importing is idempotent: known chats
// keep their settings, and a subscription the chat already has (same
// normalized query) is kept as it is.
//
// A running bot's matcher is built from the database at start and does not
// see rows written here: import with the bot stopped, or restart it after.
func Import(ctx context.Context, db *sql.DB, r io.Reader, lim Limits) (ImportStats, error) {
	var st ImportStats
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return st, fmt.Errorf("subscriptions: import: %w", err)
	}
	defer tx.Rollback()
	addChat, err := tx.PrepareContext(ctx, `INSERT INTO chats(id, type, language, language_chosen, timezone, news_languages, paused, inactive, created,
			paused_until, digest, quiet)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`)
	if err != nil {
		return st, fmt.Errorf("subscriptions: import: %w", err)
	}
	defer addChat.Close()
	addSub, err := tx.PrepareContext(ctx, `INSERT INTO subscriptions(chat_id, query, normalized, created, digest)
		VALUES(?, ?, ?, ?, ?) ON CONFLICT(chat_id, normalized) DO NOTHING`)
	if err != nil {
		return st, fmt.Errorf("subscriptions: import: %w", err)
	}
	defer addSub.Close()

	v := newBackupValidator(lim)
	bad := &ImportError{}
	now := time.Now().Unix()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxBackupLine)
	n := 0
	for sc.Scan() {
		n++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		st.Lines++
		l, norm, first, err := v.check(raw, n)
		if err != nil {
			bad.Bad++
			if len(bad.Lines) < MaxReportedLines {
				bad.Lines = append(bad.Lines, LineError{Line: n, Msg: err.Error()})
			}
			continue
		}
		if bad.Bad > 0 {
			continue // keep checking, stop writing
		}
		if first {
			res, err := addChat.ExecContext(ctx, l.ChatID, string(l.ChatType), l.Language, l.LanguageChosen, l.Timezone,
				strings.Join(l.NewsLanguages, ","), l.Paused, l.Inactive, now, l.PausedUntil, l.Digest, l.Quiet)
			if err != nil {
				return st, fmt.Errorf("subscriptions: import: line %d: %w", n, err)
			}
			if k, _ := res.RowsAffected(); k > 0 {
				st.Chats++
			}
		}
		if l.Query == "" {
			continue
		}
		res, err := addSub.ExecContext(ctx, l.ChatID, l.Query, norm, now, l.QueryDigest)
		if err != nil {
			return st, fmt.Errorf("subscriptions: import: line %d: %w", n, err)
		}
		if k, _ := res.RowsAffected(); k > 0 {
			st.Subscriptions++
		} else {
			st.Existing++
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return ImportStats{}, fmt.Errorf("subscriptions: import: line %d: longer than %d bytes", n+1, maxBackupLine)
		}
		return ImportStats{}, fmt.Errorf("subscriptions: import: %w", err)
	}
	if bad.Bad > 0 {
		return ImportStats{}, bad
	}
	if err := tx.Commit(); err != nil {
		return ImportStats{}, fmt.Errorf("subscriptions: import: %w", err)
	}
	return st, nil
}

var backupLangRE = regexp.MustCompile(`^[a-z]{2,3}$`)

// specRE is the shape of a stored digest or quiet-hours spec (the bot
// writes them canonical: "daily 08:00", "weekly mon 08:00", "23:00-07:00 hold").
var specRE = regexp.MustCompile(`^([a-z]{1,10}( [a-z]{3})?( [0-9]{2}:[0-9]{2})?|[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2} [a-z]{4,6})?$`)

// backupValidator checks lines one by one and remembers each chat's
// settings, which must agree across its lines.
type backupValidator struct {
	lim   Limits
	chats map[int64]chatSettings
	lines map[int64]int // chat -> its first line
	zones map[string]bool
	norms map[string]string // query as typed -> normalized, for repeated queries
}

type chatSettings struct {
	typ                      ChatType
	lang, tz, langs          string
	chosen, paused, inactive bool
	pausedUntil              int64
	digest, quiet            string
}

func newBackupValidator(lim Limits) *backupValidator {
	return &backupValidator{lim: lim, chats: map[int64]chatSettings{}, lines: map[int64]int{}, zones: map[string]bool{}, norms: map[string]string{}}
}

// check decodes one line and returns it with its normalized query, and
// whether it is the first line of its chat.
func (v *backupValidator) check(raw []byte, n int) (l BackupLine, norm string, first bool, err error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return l, "", false, fmt.Errorf("not a backup line: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return l, "", false, fmt.Errorf("not a backup line: more after the JSON object")
	}
	if l.ChatID == 0 {
		return l, "", false, fmt.Errorf("missing chat_id")
	}
	if !l.ChatType.valid() {
		return l, "", false, fmt.Errorf("chat_type %q: want private, group, supergroup or channel", l.ChatType)
	}
	if l.Language != "" && !backupLangRE.MatchString(l.Language) {
		return l, "", false, fmt.Errorf("language %q: want a code such as uk, en, or empty", l.Language)
	}
	for _, nl := range l.NewsLanguages {
		if !backupLangRE.MatchString(nl) {
			return l, "", false, fmt.Errorf("news_languages: %q is not a language code", nl)
		}
	}
	if !slices.IsSorted(l.NewsLanguages) || len(slices.Compact(slices.Clone(l.NewsLanguages))) != len(l.NewsLanguages) {
		return l, "", false, fmt.Errorf("news_languages: want sorted codes, each once")
	}
	if l.Timezone != "" {
		ok, seen := v.zones[l.Timezone]
		if !seen {
			_, err := time.LoadLocation(l.Timezone)
			ok = err == nil && !strings.EqualFold(l.Timezone, "local")
			v.zones[l.Timezone] = ok
		}
		if !ok {
			return l, "", false, fmt.Errorf("timezone %q: unknown", l.Timezone)
		}
	}
	for _, spec := range []struct{ name, v string }{{"digest", l.Digest}, {"quiet", l.Quiet}, {"query_digest", l.QueryDigest}} {
		if !specRE.MatchString(spec.v) {
			return l, "", false, fmt.Errorf("%s %q: not a schedule such as \"daily 08:00\" or \"23:00-07:00 hold\"", spec.name, spec.v)
		}
	}
	if l.PausedUntil < 0 || l.PausedUntil > 0 && !l.Paused {
		return l, "", false, fmt.Errorf("paused_until %d: want a time with paused", l.PausedUntil)
	}
	if l.Query != "" {
		if norm, err = v.normalize(l.Query); err != nil {
			return l, "", false, fmt.Errorf("query %q: %v", l.Query, err)
		}
	}
	cs := chatSettings{typ: l.ChatType, lang: l.Language, chosen: l.LanguageChosen, tz: l.Timezone,
		langs: strings.Join(l.NewsLanguages, ","), paused: l.Paused, inactive: l.Inactive,
		pausedUntil: l.PausedUntil, digest: l.Digest, quiet: l.Quiet}
	prev, known := v.chats[l.ChatID]
	if !known {
		v.chats[l.ChatID] = cs
		v.lines[l.ChatID] = n
		return l, norm, true, nil
	}
	if cs != prev {
		return l, "", false, fmt.Errorf("chat %d: settings differ from its line %d", l.ChatID, v.lines[l.ChatID])
	}
	return l, norm, false, nil
}

func (v *backupValidator) normalize(query string) (string, error) {
	if strings.TrimSpace(query) != query {
		return "", fmt.Errorf("leading or trailing spaces")
	}
	if n, ok := v.norms[query]; ok {
		return n, nil
	}
	q, err := Parse(query, v.lim)
	if err != nil {
		return "", err
	}
	n := q.String()
	if len(v.norms) < 1<<16 {
		v.norms[query] = n
	}
	return n, nil
}
