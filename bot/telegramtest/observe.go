package telegramtest

import (
	"slices"
	"time"
)

// record logs a successful call and wakes WaitSent. The caller holds s.mu.
func (s *Server) record(m SentMessage) {
	s.sent = append(s.sent, m)
	close(s.sentWake)
	s.sentWake = make(chan struct{})
}

// WaitSent waits until at least n messages were sent to chatID (as Sent
// counts them) or timeout passes, and returns them with whether there are
// n. End-to-end tests use it to wait for the bot's reply.
func (s *Server) WaitSent(chatID int64, n int, timeout time.Duration) ([]SentMessage, bool) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		wake := s.sentWake
		s.mu.Unlock()
		got := s.Sent(chatID)
		if len(got) >= n {
			return got, true
		}
		select {
		case <-wake:
		case <-timer.C:
			return got, false
		}
	}
}

func (s *Server) notify(m SentMessage) {
	if s.opts.OnMessage != nil {
		s.opts.OnMessage(m)
	}
}

// Sent returns the messages sent to chatID with sendMessage, in order, as
// they were sent (later edits are in AllSent).
func (s *Server) Sent(chatID int64) []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []SentMessage
	for _, m := range s.sent {
		if m.ChatID == chatID && m.Method == "sendMessage" {
			out = append(out, m)
		}
	}
	return out
}

// AllSent returns every successful sendMessage, editMessageText and
// deleteMessage call, in order.
func (s *Server) AllSent() []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sent)
}

// Message returns a message's current state (after edits); false if it does
// not exist or was deleted.
func (s *Server) Message(chatID int64, messageID int) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sm := s.msgs[msgKey{chatID, messageID}]
	if sm == nil || sm.deleted {
		return Message{}, false
	}
	return sm.msg, true
}
