package telegramtest

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// CallbackAnswerTimeout is how long after a button press Telegram still
// accepts answerCallbackQuery (measured on Options.Now).
const CallbackAnswerTimeout = 15 * time.Second

// firstQueryID is the first callback query ID; Telegram's are long numbers.
const firstQueryID = 4611686018427387904

// CallbackAnswer is what the bot answered to a callback query.
type CallbackAnswer struct {
	Text      string
	ShowAlert bool
	URL       string
	Time      time.Time
}

type callbackState struct {
	query    CallbackQuery
	pressed  time.Time
	answered bool
	answer   CallbackAnswer
}

// PressButton presses the inline button with callback data data under the
// bot's message messageID in chat, as user from, delivering a callback_query
// update. It fails if the message or the button does not exist.
func (s *Server) PressButton(chat Chat, from User, messageID int, data string) (CallbackQuery, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sm := s.msgs[msgKey{chat.ID, messageID}]
	if sm == nil || sm.deleted || !sm.fromBot {
		return CallbackQuery{}, fmt.Errorf("%w: chat %d message %d", ErrNoSuchMessage, chat.ID, messageID)
	}
	if !hasButton(sm.msg.ReplyMarkup, data) {
		return CallbackQuery{}, fmt.Errorf("%w: %q", ErrNoSuchButton, data)
	}
	if c := s.chats[chat.ID]; c != nil && chat.Type != ChatChannel {
		c.seeUser(from)
	}
	msg := sm.msg
	q := CallbackQuery{
		ID:           strconv.FormatInt(firstQueryID+int64(len(s.queries)), 10),
		From:         from,
		Message:      &msg,
		ChatInstance: strconv.FormatInt(chat.ID*7919+s.bot.ID, 10),
		Data:         data,
	}
	s.queries[q.ID] = &callbackState{query: q, pressed: s.now()}
	s.upd.push(Update{CallbackQuery: &q})
	return q, nil
}

func hasButton(kb *InlineKeyboardMarkup, data string) bool {
	if kb == nil {
		return false
	}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if b.CallbackData != nil && *b.CallbackData == data {
				return true
			}
		}
	}
	return false
}

func (s *Server) answerCallbackQuery(_ *http.Request, p params) (any, *apiError) {
	id, apiErr := requiredString(p, "callback_query_id")
	if apiErr != nil {
		return nil, apiErr
	}
	if len(p["text"]) > 0 && len([]rune(p["text"])) > 200 {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queries[id]
	now := s.now()
	if q == nil || q.answered || now.Sub(q.pressed) > CallbackAnswerTimeout {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	q.answered = true
	q.answer = CallbackAnswer{Text: p["text"], ShowAlert: p.bool("show_alert"), URL: p["url"], Time: now}
	return true, nil
}

// Answer returns the bot's answer to a callback query, if it answered.
func (s *Server) Answer(queryID string) (CallbackAnswer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queries[queryID]
	if q == nil || !q.answered {
		return CallbackAnswer{}, false
	}
	return q.answer, true
}

// Unanswered returns the callback queries the bot has not answered: each
// leaves the user's button spinning, so tests assert this is empty.
func (s *Server) Unanswered() []CallbackQuery {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []CallbackQuery
	for _, q := range s.queries {
		if !q.answered {
			out = append(out, q.query)
		}
	}
	slices.SortFunc(out, func(a, b CallbackQuery) int { return compareIDs(a.ID, b.ID) })
	return out
}

func compareIDs(a, b string) int {
	x, _ := strconv.ParseInt(a, 10, 64)
	y, _ := strconv.ParseInt(b, 10, 64)
	return cmp.Compare(x, y)
}
