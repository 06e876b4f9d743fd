package telegramtest

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
)

// PrivateChat is the private chat between u and the bot.
func PrivateChat(u User) Chat {
	return Chat{ID: u.ID, Type: ChatPrivate, FirstName: u.FirstName, LastName: u.LastName, Username: u.Username}
}

// SendText delivers a text message from a user in chat to the bot, as an
// update, and returns it. A text starting with "/" gets the bot_command
// entity at offset 0, as Telegram sets it. Writing to a bot the user had
// blocked unblocks it first (my_chat_member update), as Telegram's Restart
// button does. In groups with privacy mode on (the default), only commands
// reach the bot, unless it is an administrator; in a group the bot is not
// in, nothing does.
func (s *Server) SendText(chat Chat, from User, text string) Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chat)
	if chat.Type != ChatChannel {
		c.seeUser(from)
	}
	if chat.Type == ChatPrivate && c.blocked {
		c.blocked = false
		s.setBotStatusLocked(c, StatusMember, from)
	}
	c.lastMsgID++
	u := from
	msg := Message{
		MessageID: c.lastMsgID, From: &u, Date: s.now().Unix(), Chat: c.chat,
		Text: text, Entities: commandEntities(text),
	}
	s.msgs[msgKey{c.chat.ID, msg.MessageID}] = &storedMessage{msg: msg}
	if s.botSees(c, text) {
		s.upd.push(Update{Message: &msg})
	}
	return msg
}

// botSees reports whether a group message reaches the bot. The caller
// holds s.mu.
func (s *Server) botSees(c *chatState, text string) bool {
	if c.chat.Type != ChatGroup && c.chat.Type != ChatSupergroup {
		return true
	}
	switch c.botStatus {
	case StatusLeft, StatusKicked:
		return false
	case StatusAdministrator, StatusCreator:
		return true
	}
	if s.opts.GroupPrivacyOff {
		return true
	}
	if !strings.HasPrefix(text, "/") {
		return false
	}
	// A command for another bot (/list@other_bot) does not reach this one.
	_, to, addressed := strings.Cut(strings.Fields(text)[0], "@")
	return !addressed || strings.EqualFold(to, s.bot.Username)
}

// EditText makes a user edit their earlier message, delivering an
// edited_message update (edited_channel_post is not supported).
func (s *Server) EditText(chat Chat, from User, messageID int, text string) (Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sm := s.msgs[msgKey{chat.ID, messageID}]
	if sm == nil || sm.deleted || sm.fromBot || sm.msg.From == nil || sm.msg.From.ID != from.ID {
		return Message{}, fmt.Errorf("%w: chat %d message %d by user %d", ErrNoSuchMessage, chat.ID, messageID, from.ID)
	}
	sm.msg.Text, sm.msg.Entities, sm.msg.EditDate = text, commandEntities(text), s.now().Unix()
	msg := sm.msg
	s.upd.push(Update{EditedMessage: &msg})
	return msg, nil
}

// ChannelPost delivers a post in a channel the bot is a member of.
func (s *Server) ChannelPost(chat Chat, text string) Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chat)
	c.lastMsgID++
	sender := c.chat
	msg := Message{
		MessageID: c.lastMsgID, SenderChat: &sender, Date: s.now().Unix(), Chat: c.chat,
		Text: text, Entities: commandEntities(text),
	}
	s.msgs[msgKey{c.chat.ID, msg.MessageID}] = &storedMessage{msg: msg}
	s.upd.push(Update{ChannelPost: &msg})
	return msg
}

// commandEntities marks a leading "/command" or "/command@bot" as Telegram
// does: only Latin letters, digits and "_" make a command, so
// "/підписатися" is plain text.
func commandEntities(text string) []MessageEntity {
	if !strings.HasPrefix(text, "/") || len(text) < 2 {
		return nil
	}
	end := strings.IndexFunc(text, unicode.IsSpace)
	if end < 0 {
		end = len(text)
	}
	if end < 2 {
		return nil
	}
	name, bot, _ := strings.Cut(text[1:end], "@")
	if !isCommandName(name) || (strings.Contains(text[1:end], "@") && !isCommandName(bot)) {
		return nil
	}
	return []MessageEntity{{Type: "bot_command", Offset: 0, Length: len(utf16.Encode([]rune(text[:end])))}}
}

func isCommandName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// SendReply is SendText as a reply to the message replyTo (a user
// answering the bot's question, as ForceReply makes them do).
func (s *Server) SendReply(chat Chat, from User, replyTo int, text string) Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chat)
	if chat.Type != ChatChannel {
		c.seeUser(from)
	}
	c.lastMsgID++
	u := from
	msg := Message{
		MessageID: c.lastMsgID, From: &u, Date: s.now().Unix(), Chat: c.chat,
		Text: text, Entities: commandEntities(text),
	}
	if orig := s.msgs[msgKey{c.chat.ID, replyTo}]; orig != nil {
		o := orig.msg
		msg.ReplyToMessage = &o
	}
	s.msgs[msgKey{c.chat.ID, msg.MessageID}] = &storedMessage{msg: msg}
	// A reply to the bot reaches it even in privacy mode.
	if to := msg.ReplyToMessage; s.botSees(c, text) || to != nil && to.From != nil && to.From.ID == s.bot.ID {
		s.upd.push(Update{Message: &msg})
	}
	return msg
}

// Errors of the user-activity methods: they mean the test asked for
// something no Telegram client could do.
var (
	ErrNoSuchMessage = errors.New("telegramtest: no such message")
	ErrNoSuchButton  = errors.New("telegramtest: message has no button with that callback data")
	ErrNotGroup      = errors.New("telegramtest: chat is not a known basic group")
)

// Block makes the user of a private chat block the bot: sends fail with 403
// and the bot gets a my_chat_member update (member → kicked). A positive
// chatID never seen before is taken as a private chat with that user.
func (s *Server) Block(chatID int64) {
	s.setBotStatus(chatID, StatusKicked, func(c *chatState) { c.blocked = true })
}

// Unblock reverses Block (the user pressed "Restart").
func (s *Server) Unblock(chatID int64) {
	s.setBotStatus(chatID, StatusMember, func(c *chatState) { c.blocked = false })
}

// Deactivate makes a private chat's user delete their account: sends fail
// with 403 "user is deactivated". No update is sent, as in Telegram.
func (s *Server) Deactivate(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.knownOrPrivate(chatID); c != nil {
		c.deactivated = true
	}
}

// knownOrPrivate returns a known chat, or registers a positive ID as a
// private chat; nil for an unknown group ID. The caller holds s.mu.
func (s *Server) knownOrPrivate(chatID int64) *chatState {
	if c, ok := s.chats[chatID]; ok {
		return c
	}
	if chatID <= 0 {
		return nil
	}
	return s.chatLocked(Chat{ID: chatID, Type: ChatPrivate, FirstName: fmt.Sprintf("User %d", chatID)})
}

// Kick removes the bot from a group, supergroup or channel, with a
// my_chat_member update.
func (s *Server) Kick(chatID int64) {
	s.setBotStatus(chatID, StatusKicked, nil)
}

// AddBot adds the bot to chat (or returns it after Kick), sent by user by,
// with a my_chat_member update; in channels the bot becomes administrator.
func (s *Server) AddBot(chat Chat, by User) {
	s.AddChat(chat)
	status := StatusMember
	if chat.Type == ChatChannel {
		status = StatusAdministrator
	}
	s.mu.Lock()
	s.chats[chat.ID].seeUser(by)
	s.chats[chat.ID].botStatus = StatusLeft
	s.mu.Unlock()
	s.setBotStatusBy(chat.ID, status, by, nil)
}

func (s *Server) setBotStatus(chatID int64, status string, change func(*chatState)) {
	s.setBotStatusBy(chatID, status, User{}, change)
}

func (s *Server) setBotStatusBy(chatID int64, status string, by User, change func(*chatState)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.knownOrPrivate(chatID)
	if c == nil {
		return
	}
	if change != nil {
		change(c)
	}
	s.setBotStatusLocked(c, status, by)
}

// setBotStatusLocked changes the bot's status in c with a my_chat_member
// update; by defaults to the private chat's user or a group admin. The
// caller holds s.mu.
func (s *Server) setBotStatusLocked(c *chatState, status string, by User) {
	chatID := c.chat.ID
	if by.ID == 0 {
		by = User{ID: chatID, FirstName: c.chat.FirstName, LastName: c.chat.LastName, Username: c.chat.Username}
		if c.chat.Type != ChatPrivate {
			by = User{ID: 1000, FirstName: "Admin"}
		}
	}
	old := c.botStatus
	c.botStatus = status
	if old == status {
		return
	}
	s.upd.push(Update{MyChatMember: &ChatMemberUpdated{
		Chat: c.chat, From: by, Date: s.now().Unix(),
		OldChatMember: memberOf(s.bot, old), NewChatMember: memberOf(s.bot, status),
	}})
}

// MigrateToSupergroup upgrades a basic group to a supergroup with ID newID
// (0 picks -100<group id>), like Telegram: the old group gets a message with
// migrate_to_chat_id, the new one a message with migrate_from_chat_id, and
// later sends to the old ID fail with 400 and parameters.migrate_to_chat_id.
func (s *Server) MigrateToSupergroup(groupID, newID int64, by User) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.chats[groupID]
	if !ok || old.chat.Type != ChatGroup || old.migratedTo != 0 {
		return 0, fmt.Errorf("%w: %d", ErrNotGroup, groupID)
	}
	if newID == 0 {
		newID = -1000000000000 + groupID
	}
	sg := s.chatLocked(Chat{ID: newID, Type: ChatSupergroup, Title: old.chat.Title})
	for id, st := range old.members {
		sg.members[id] = st
		sg.users[id] = old.users[id]
	}
	sg.botStatus = old.botStatus
	old.migratedTo = newID
	date := s.now().Unix()
	u := by
	old.lastMsgID++
	s.upd.push(Update{Message: &Message{
		MessageID: old.lastMsgID, From: &u, Date: date, Chat: old.chat, MigrateToChatID: newID,
	}})
	sg.lastMsgID++
	sender := old.chat
	s.upd.push(Update{Message: &Message{
		MessageID: sg.lastMsgID, SenderChat: &sender, From: &u, Date: date, Chat: sg.chat, MigrateFromChatID: groupID,
	}})
	return newID, nil
}
