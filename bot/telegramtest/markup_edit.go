package telegramtest

import "net/http"

// editMessageReplyMarkup: the buttons on an alert change when pressed (mute,
// unsubscribe, undo) while its text stays.

func init() {
	methods["editmessagereplymarkup"] = &methodSpec{
		name:   "editMessageReplyMarkup",
		fields: "business_connection_id chat_id message_id inline_message_id reply_markup",
		handle: (*Server).editMessageReplyMarkup,
	}
}

func (s *Server) editMessageReplyMarkup(_ *http.Request, p params) (any, *apiError) {
	if p.has("inline_message_id") {
		return nil, badRequest("MESSAGE_ID_INVALID")
	}
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
	mk, apiErr := parseMarkup(p, true)
	if apiErr != nil {
		return nil, apiErr
	}
	s.mu.Lock()
	c, apiErr := s.resolveChat(p)
	if apiErr == nil {
		apiErr = c.canPost()
	}
	var sm *storedMessage
	if apiErr == nil {
		sm = s.msgs[msgKey{c.chat.ID, int(id)}]
		switch {
		case sm == nil || sm.deleted:
			apiErr = badRequest("message to edit not found")
		case !sm.fromBot:
			apiErr = badRequest("message can't be edited")
		case sm.markupKey == mk.key:
			apiErr = badRequest("message is not modified: specified new message content and reply markup " +
				"are exactly the same as a current content and reply markup of the message")
		}
	}
	now := s.now()
	if apiErr == nil {
		apiErr = s.lim.admit(now, c, "editMessageReplyMarkup")
	}
	if apiErr != nil {
		s.mu.Unlock()
		return nil, apiErr
	}
	sm.msg.ReplyMarkup, sm.markupKey = mk.inline, mk.key
	sm.msg.EditDate = now.Unix()
	msg := sm.msg
	rec := SentMessage{
		Method: "editMessageReplyMarkup", ChatID: c.chat.ID, MessageID: msg.MessageID, Text: msg.Text,
		ReplyMarkup: mk.inline, ReplyMarkupJSON: p["reply_markup"], Time: now,
	}
	s.record(rec)
	s.mu.Unlock()
	s.notify(rec)
	return msg, nil
}
