package subscriptions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// ChatType is Telegram's chat type.
type ChatType string

// Chat types, as Telegram names them.
const (
	Private    ChatType = "private"
	Group      ChatType = "group"
	Supergroup ChatType = "supergroup"
	Channel    ChatType = "channel"
)

func (t ChatType) valid() bool {
	switch t {
	case Private, Group, Supergroup, Channel:
		return true
	}
	return false
}

// Chat is a chat the bot serves, with its settings.
type Chat struct {
	ID            int64
	Type          ChatType
	Language      string   // interface language ("uk", "ru", "en"); "" until known
	Timezone      string   // IANA name; "" for the bot's default
	NewsLanguages []string // feed languages it receives; empty: all
	Paused        bool     // asked for no alerts for now
	Inactive      bool     // blocked or kicked the bot: nothing is sent
	Created       time.Time

	// Delivery settings (issue 10; see prefs.go).
	PausedUntil time.Time // a timed pause ends by itself then; zero: until /resume
	Digest      string    // the chat's digest schedule ("daily 08:00"); "": instant
	Quiet       string    // quiet hours ("23:00-07:00 silent"); "": none
}

// Errors callers branch on.
var (
	ErrChatNotFound         = errors.New("subscriptions: chat not found")
	ErrBadChatType          = errors.New("subscriptions: unknown chat type")
	ErrBadTimezone          = errors.New("subscriptions: unknown time zone")
	ErrBadLanguage          = errors.New("subscriptions: bad language code")
	ErrTooManySubscriptions = errors.New("subscriptions: too many subscriptions for this chat")
	ErrAlreadySubscribed    = errors.New("subscriptions: already subscribed")
	ErrNotSubscribed        = errors.New("subscriptions: no such subscription")
)

const chatColumns = `id, type, language, timezone, news_languages, paused, inactive, created, paused_until, digest, quiet`

func scanChat(row interface{ Scan(...any) error }) (Chat, error) {
	var c Chat
	var typ, langs string
	var created, pausedUntil int64
	if err := row.Scan(&c.ID, &typ, &c.Language, &c.Timezone, &langs, &c.Paused, &c.Inactive, &created,
		&pausedUntil, &c.Digest, &c.Quiet); err != nil {
		return Chat{}, err
	}
	if pausedUntil > 0 {
		c.PausedUntil = time.Unix(pausedUntil, 0).UTC()
	}
	c.Type = ChatType(typ)
	c.NewsLanguages = splitLangs(langs)
	c.Created = time.Unix(created, 0).UTC()
	return c, nil
}

func splitLangs(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func (c Chat) filter() ChatFilter {
	return ChatFilter{Paused: c.Paused, Inactive: c.Inactive, NewsLanguages: c.NewsLanguages}
}

// UpsertChat records a chat the bot heard from: a new chat is created with
// lang as its interface language; a known one has its type updated, and a
// private chat that never picked a language with SetLanguage follows lang
// (its user's Telegram language). Other settings are the chat's own.
func (s *Service) UpsertChat(ctx context.Context, id int64, typ ChatType, lang string) (Chat, error) {
	if !typ.valid() {
		return Chat{}, fmt.Errorf("%w: %q", ErrBadChatType, typ)
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	row := s.db.QueryRowContext(ctx, `INSERT INTO chats(id, type, language, created) VALUES(?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET type = excluded.type,
			language = CASE WHEN chats.language_chosen = 0 AND excluded.type = 'private' AND excluded.language <> ''
				THEN excluded.language ELSE chats.language END
		RETURNING `+chatColumns, id, string(typ), cleanLang(lang), s.cfg.Now().Unix())
	c, err := scanChat(row)
	if err != nil {
		return Chat{}, fmt.Errorf("subscriptions: upsert chat %d: %w", id, err)
	}
	s.matcher().SetChat(c.ID, c.filter())
	return c, nil
}

// Chat returns a chat's settings, or ErrChatNotFound.
func (s *Service) Chat(ctx context.Context, id int64) (Chat, error) {
	c, err := scanChat(s.db.QueryRowContext(ctx, `SELECT `+chatColumns+` FROM chats WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Chat{}, ErrChatNotFound
	}
	if err != nil {
		return Chat{}, fmt.Errorf("subscriptions: chat %d: %w", id, err)
	}
	return c, nil
}

var langRE = regexp.MustCompile(`^[a-z]{2,3}$`)

// cleanLang keeps the primary subtag of a language code ("uk-UA" → "uk").
func cleanLang(l string) string {
	l = strings.ToLower(strings.TrimSpace(l))
	if i := strings.IndexAny(l, "-_"); i >= 0 {
		l = l[:i]
	}
	if !langRE.MatchString(l) {
		return ""
	}
	return l
}

// SetLanguage sets the chat's interface language ("uk", "en-GB" is "en"),
// as the chat's own choice: UpsertChat no longer changes it.
func (s *Service) SetLanguage(ctx context.Context, id int64, lang string) (Chat, error) {
	l := cleanLang(lang)
	if l == "" {
		return Chat{}, fmt.Errorf("%w: %q", ErrBadLanguage, lang)
	}
	return s.updateChat(ctx, id, "language = ?, language_chosen = 1", l)
}

// SetTimezone sets the chat's IANA time zone; "" restores the default.
func (s *Service) SetTimezone(ctx context.Context, id int64, tz string) (Chat, error) {
	tz = strings.TrimSpace(tz)
	if tz != "" {
		if _, err := time.LoadLocation(tz); err != nil || strings.EqualFold(tz, "local") {
			return Chat{}, fmt.Errorf("%w: %q", ErrBadTimezone, tz)
		}
	}
	return s.updateChat(ctx, id, "timezone = ?", tz)
}

// SetNewsLanguages limits the feed languages a chat receives; none means all.
func (s *Service) SetNewsLanguages(ctx context.Context, id int64, langs []string) (Chat, error) {
	var clean []string
	for _, l := range langs {
		c := cleanLang(l)
		if c == "" {
			return Chat{}, fmt.Errorf("%w: %q", ErrBadLanguage, l)
		}
		if !slices.Contains(clean, c) {
			clean = append(clean, c)
		}
	}
	slices.Sort(clean)
	return s.updateChat(ctx, id, "news_languages = ?", strings.Join(clean, ","))
}

// SetPaused pauses (until /resume) or resumes a chat's alerts; either ends
// a timed pause.
func (s *Service) SetPaused(ctx context.Context, id int64, paused bool) (Chat, error) {
	return s.updateChat(ctx, id, "paused = ?, paused_until = 0", paused)
}

// SetInactive marks a chat that blocked or kicked the bot (true), or that
// came back (false). Inactive chats keep their subscriptions but match
// nothing.
func (s *Service) SetInactive(ctx context.Context, id int64, inactive bool) (Chat, error) {
	return s.updateChat(ctx, id, "inactive = ?", inactive)
}

func (s *Service) updateChat(ctx context.Context, id int64, set string, arg any) (Chat, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	row := s.db.QueryRowContext(ctx, `UPDATE chats SET `+set+` WHERE id = ? RETURNING `+chatColumns, arg, id)
	c, err := scanChat(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Chat{}, ErrChatNotFound
	}
	if err != nil {
		return Chat{}, fmt.Errorf("subscriptions: update chat %d: %w", id, err)
	}
	s.matcher().SetChat(c.ID, c.filter())
	return c, nil
}

// MigrateChat moves a chat to a new id: Telegram gives a group upgraded to
// a supergroup a new id (migrate_to_chat_id), and its subscriptions and
// settings follow. If the new id is already known, subscriptions merge.
func (s *Service) MigrateChat(ctx context.Context, from, to int64) (Chat, error) {
	if from == to {
		return s.Chat(ctx, from)
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Chat{}, fmt.Errorf("subscriptions: migrate chat %d: %w", from, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO chats(id, type, language, timezone, news_languages, paused, inactive, created,
			paused_until, digest, quiet)
		SELECT ?, 'supergroup', language, timezone, news_languages, paused, inactive, created,
			paused_until, digest, quiet FROM chats WHERE id = ?
		ON CONFLICT(id) DO NOTHING`, to, from)
	if err != nil {
		return Chat{}, fmt.Errorf("subscriptions: migrate chat %d: %w", from, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM chats WHERE id = ?`, from).Scan(&exists); err != nil {
			return Chat{}, fmt.Errorf("subscriptions: migrate chat %d: %w", from, err)
		}
		if exists == 0 {
			return Chat{}, ErrChatNotFound
		}
	}
	for _, q := range []string{
		`UPDATE OR IGNORE subscriptions SET chat_id = ? WHERE chat_id = ?`,
		`DELETE FROM subscriptions WHERE chat_id = ?2 AND ?1 IS NOT NULL`,
		`DELETE FROM chats WHERE id = ?2 AND ?1 IS NOT NULL`,
	} {
		if _, err := tx.ExecContext(ctx, q, to, from); err != nil {
			return Chat{}, fmt.Errorf("subscriptions: migrate chat %d: %w", from, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return Chat{}, fmt.Errorf("subscriptions: migrate chat %d: %w", from, err)
	}
	m := s.matcher()
	m.RemoveChat(from)
	m.RemoveChat(to)
	if err := s.loadChat(ctx, m, to); err != nil {
		return Chat{}, err
	}
	return s.Chat(ctx, to)
}
