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
	id, apiErr := editedID(p)
	if apiErr != nil {
		return nil, apiErr
	}
	mk, apiErr := parseMarkup(p, true)
	if apiErr != nil {
		return nil, apiErr
	}
	s.mu.Lock()
	c, sm, apiErr := s.editTarget(p, id, func(sm *storedMessage) bool {
		return sm.markupKey == mk.key
	})
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
