package telegramtest

import (
	"net/http"
	"slices"
	"time"
)

// SentMessage is one successful sendMessage, editMessageText or
// deleteMessage call, as the fake recorded it.
type SentMessage struct {
	Method    string // "sendMessage", "editMessageText" or "deleteMessage"
	ChatID    int64
	MessageID int
	// Text and Entities are what users see: the text after HTML parsing.
	Text     string
	Entities []MessageEntity
	// Raw is the text parameter as sent (the HTML source), ParseMode the
	// parse_mode parameter.
	Raw       string
	ParseMode string
	// ReplyMarkup is the inline keyboard, if any; ReplyMarkupJSON is the
	// reply_markup parameter as sent (any kind of keyboard).
	ReplyMarkup         *InlineKeyboardMarkup
	ReplyMarkupJSON     string
	LinkPreviewDisabled bool
	DisableNotification bool
	ReplyTo             int // message_id the message replies to, 0 if none
	Time                time.Time
}

type msgKey struct {
	chat int64
	id   int
}

type storedMessage struct {
	msg       Message
	fromBot   bool
	deleted   bool
	markupKey string // normalised reply markup, for "not modified"
}

func (s *Server) sendMessage(_ *http.Request, p params) (any, *apiError) {
	if !p.has("chat_id") {
		return nil, badRequest("chat_id is empty")
	}
	f, apiErr := s.formatText(p)
	if apiErr != nil {
		return nil, apiErr
	}
	mk, apiErr := parseMarkup(p, false)
	if apiErr != nil {
		return nil, apiErr
	}
	noPreview, apiErr := linkPreviewDisabled(p)
	if apiErr != nil {
		return nil, apiErr
	}
	reply, apiErr := readReply(p)
	if apiErr != nil {
		return nil, apiErr
	}
	s.mu.Lock()
	c, apiErr := s.resolveChat(p)
	if apiErr == nil {
		apiErr = c.canPost()
	}
	var replyTo *Message
	if apiErr == nil && reply.messageID != 0 {
		if r := s.msgs[msgKey{c.chat.ID, reply.messageID}]; r != nil && !r.deleted {
			m := r.msg
			replyTo = &m
		} else if !reply.allowMissing {
			apiErr = badRequest("message to be replied not found")
		}
	}
	now := s.now()
	if apiErr == nil {
		apiErr = s.lim.admit(now, c, "sendMessage")
	}
	if apiErr != nil {
		s.mu.Unlock()
		return nil, apiErr
	}
	c.lastMsgID++
	bot := s.bot
	msg := Message{
		MessageID: c.lastMsgID, From: &bot, Date: now.Unix(), Chat: c.chat,
		Text: f.text, Entities: f.entities, ReplyMarkup: mk.inline, ReplyToMessage: replyTo,
	}
	if c.chat.Type == ChatChannel {
		sender := c.chat // a copy: the response is encoded after s.mu is released
		msg.From, msg.SenderChat = nil, &sender
	}
	s.msgs[msgKey{c.chat.ID, msg.MessageID}] = &storedMessage{msg: msg, fromBot: true, markupKey: mk.key}
	sm := SentMessage{
		Method: "sendMessage", ChatID: c.chat.ID, MessageID: msg.MessageID, Text: f.text, Entities: f.entities,
		Raw: f.raw, ParseMode: f.mode, ReplyMarkup: mk.inline, ReplyMarkupJSON: p["reply_markup"],
		LinkPreviewDisabled: noPreview, DisableNotification: p.bool("disable_notification"), Time: now,
		ReplyTo: reply.messageID,
	}
	s.record(sm)
	s.mu.Unlock()
	s.notify(sm)
	return msg, nil
}

// replyTarget is the message a new one answers.
type replyTarget struct {
	messageID    int
	allowMissing bool
}

// readReply reads reply_parameters or the legacy reply_to_message_id and
// allow_sending_without_reply.
func readReply(p params) (replyTarget, *apiError) {
	var rp struct {
		MessageID                int  `json:"message_id"`
		AllowSendingWithoutReply bool `json:"allow_sending_without_reply"`
	}
	ok, err := p.json("reply_parameters", &rp)
	if err != nil {
		return replyTarget{}, badRequest("can't parse reply parameters JSON object")
	}
	if ok {
		return replyTarget{messageID: rp.MessageID, allowMissing: rp.AllowSendingWithoutReply}, nil
	}
	id, apiErr := p.int64("reply_to_message_id")
	return replyTarget{messageID: int(id), allowMissing: p.bool("allow_sending_without_reply")}, apiErr
}

// editedID reads which message an edit changes: one in a chat (the fake
// sends no inline messages).
func editedID(p params) (int, *apiError) {
	if p.has("inline_message_id") {
		return 0, badRequest("MESSAGE_ID_INVALID")
	}
	if !p.has("chat_id") {
		return 0, badRequest("chat_id is empty")
	}
	id, apiErr := p.int64("message_id")
	if apiErr != nil {
		return 0, apiErr
	}
	if id == 0 {
		return 0, badRequest("message identifier is not specified")
	}
	return int(id), nil
}

// editTarget finds, with s.mu held, the bot's message id in the chat of p
// that an edit changes, refusing it as Telegram does when the edit would
// leave it unchanged.
func (s *Server) editTarget(p params, id int, unchanged func(*storedMessage) bool) (*chatState, *storedMessage, *apiError) {
	c, apiErr := s.resolveChat(p)
	if apiErr == nil {
		apiErr = c.canPost()
	}
	if apiErr != nil {
		return c, nil, apiErr
	}
	sm := s.msgs[msgKey{c.chat.ID, id}]
	switch {
	case sm == nil || sm.deleted:
		apiErr = badRequest("message to edit not found")
	case !sm.fromBot:
		apiErr = badRequest("message can't be edited")
	case unchanged(sm):
		apiErr = badRequest("message is not modified: specified new message content and reply markup " +
			"are exactly the same as a current content and reply markup of the message")
	}
	return c, sm, apiErr
}

func (s *Server) editMessageText(_ *http.Request, p params) (any, *apiError) {
	id, apiErr := editedID(p)
	if apiErr != nil {
		return nil, apiErr
	}
	f, apiErr := s.formatText(p)
	if apiErr != nil {
		return nil, apiErr
	}
	mk, apiErr := parseMarkup(p, true)
	if apiErr != nil {
		return nil, apiErr
	}
	noPreview, apiErr := linkPreviewDisabled(p)
	if apiErr != nil {
		return nil, apiErr
	}
	s.mu.Lock()
	c, sm, apiErr := s.editTarget(p, id, func(sm *storedMessage) bool {
		return sm.msg.Text == f.text && slices.Equal(sm.msg.Entities, f.entities) && sm.markupKey == mk.key
	})
	now := s.now()
	if apiErr == nil {
		apiErr = s.lim.admit(now, c, "editMessageText")
	}
	if apiErr != nil {
		s.mu.Unlock()
		return nil, apiErr
	}
	sm.msg.Text, sm.msg.Entities, sm.msg.ReplyMarkup, sm.markupKey = f.text, f.entities, mk.inline, mk.key
	sm.msg.EditDate = now.Unix()
	msg := sm.msg
	rec := SentMessage{
		Method: "editMessageText", ChatID: c.chat.ID, MessageID: msg.MessageID, Text: f.text, Entities: f.entities,
		Raw: f.raw, ParseMode: f.mode, ReplyMarkup: mk.inline, ReplyMarkupJSON: p["reply_markup"],
		LinkPreviewDisabled: noPreview, Time: now,
	}
	s.record(rec)
	s.mu.Unlock()
	s.notify(rec)
	return msg, nil
}

func (s *Server) deleteMessage(_ *http.Request, p params) (any, *apiError) {
	if !p.has("chat_id") {
		return nil, badRequest("chat_id is empty")
	}
	id, apiErr := p.int64("message_id")
	if apiErr != nil {
		return nil, apiErr
	}
	if id == 0 {
		return nil, badRequest("message identifier is not specified")
	}
	s.mu.Lock()
	c, apiErr := s.resolveChat(p)
	if apiErr != nil {
		s.mu.Unlock()
		return nil, apiErr
	}
	now := s.now()
	sm := s.msgs[msgKey{c.chat.ID, int(id)}]
	switch {
	case sm == nil || sm.deleted:
		apiErr = badRequest("message to delete not found")
	case !sm.fromBot && c.chat.Type != ChatPrivate && c.botStatus != StatusAdministrator && c.botStatus != StatusCreator:
		apiErr = badRequest("message can't be deleted")
	case now.Sub(time.Unix(sm.msg.Date, 0)) > 48*time.Hour && c.chat.Type != ChatChannel:
		apiErr = badRequest("message can't be deleted for everyone")
	}
	if apiErr != nil {
		s.mu.Unlock()
		return nil, apiErr
	}
	sm.deleted = true
	rec := SentMessage{Method: "deleteMessage", ChatID: c.chat.ID, MessageID: int(id), Time: now}
	s.record(rec)
	s.mu.Unlock()
	s.notify(rec)
	return true, nil
}
