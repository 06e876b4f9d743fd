package telegramtest

import (
	"net/http"
	"strconv"
	"strings"
)

// Member statuses, as in ChatMember.status.
const (
	StatusCreator       = "creator"
	StatusAdministrator = "administrator"
	StatusMember        = "member"
	StatusRestricted    = "restricted"
	StatusLeft          = "left"
	StatusKicked        = "kicked"
)

// chatState is what the server knows about one chat.
type chatState struct {
	chat        Chat
	lastMsgID   int
	blocked     bool   // private: the user blocked the bot
	deactivated bool   // private: the user deleted their account
	botStatus   string // the bot's own status in the chat
	migratedTo  int64
	members     map[int64]string
	users       map[int64]User
}

// chatLocked returns the state of chat, registering it on first sight.
// The caller holds s.mu.
func (s *Server) chatLocked(chat Chat) *chatState {
	if c, ok := s.chats[chat.ID]; ok {
		if chat.Title != "" || chat.FirstName != "" || chat.Username != "" {
			if chat.Type == "" {
				chat.Type = c.chat.Type
			}
			c.chat = chat
		}
		return c
	}
	if chat.Type == "" {
		chat.Type = guessChatType(chat.ID)
	}
	c := &chatState{chat: chat, botStatus: StatusMember, members: map[int64]string{}, users: map[int64]User{}}
	if chat.Type == ChatChannel {
		c.botStatus = StatusAdministrator
	}
	s.chats[chat.ID] = c
	return c
}

// guessChatType infers a chat's type from its ID when a test leaves Type
// empty: users are positive, supergroups -100…, basic groups other negatives.
func guessChatType(id int64) string {
	switch {
	case id > 0:
		return ChatPrivate
	case id <= -1000000000000:
		return ChatSupergroup
	}
	return ChatGroup
}

func (c *chatState) seeUser(u User) {
	c.users[u.ID] = u
	if _, ok := c.members[u.ID]; !ok {
		c.members[u.ID] = StatusMember
	}
}

// AddChat makes a chat known without any update, e.g. a group the bot was
// added to before the test started.
func (s *Server) AddChat(chat Chat) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatLocked(chat)
}

// SetMember sets a user's status in a chat (creator, administrator, member,
// restricted, left, kicked) for getChatMember.
func (s *Server) SetMember(chat Chat, user User, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chat)
	c.users[user.ID] = user
	c.members[user.ID] = status
}

// resolveChat finds the chat a chat_id parameter names: a number or
// "@username". The caller holds s.mu.
func (s *Server) resolveChat(p params) (*chatState, *apiError) {
	raw := strings.TrimSpace(p["chat_id"])
	if raw == "" {
		return nil, badRequest("chat_id is empty")
	}
	if name, ok := strings.CutPrefix(raw, "@"); ok {
		for _, c := range s.chats {
			if c.chat.Type != ChatPrivate && strings.EqualFold(c.chat.Username, name) {
				return c, nil
			}
		}
		return nil, badRequest("chat not found")
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return nil, badRequest("chat not found")
	}
	c, ok := s.chats[id]
	if !ok {
		return nil, badRequest("chat not found")
	}
	return c, nil
}

// canPost reports why the bot cannot post into c, if it cannot.
func (c *chatState) canPost() *apiError {
	if c.migratedTo != 0 {
		e := badRequest("group chat was upgraded to a supergroup chat")
		e.Params = &responseParameters{MigrateToChatID: c.migratedTo}
		return e
	}
	switch {
	case c.deactivated:
		return forbidden("user is deactivated")
	case c.blocked:
		return forbidden("bot was blocked by the user")
	}
	if c.chat.Type == ChatChannel && c.botStatus == StatusMember {
		return badRequest("need administrator rights in the channel chat")
	}
	if c.botStatus == StatusLeft || c.botStatus == StatusKicked {
		switch c.chat.Type {
		case ChatGroup:
			return forbidden("bot was kicked from the group chat")
		case ChatSupergroup:
			return forbidden("bot was kicked from the supergroup chat")
		case ChatChannel:
			return forbidden("bot is not a member of the channel chat")
		}
	}
	return nil
}

func (s *Server) getChat(_ *http.Request, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.resolveChat(p)
	if err != nil {
		return nil, err
	}
	if c.chat.Type != ChatPrivate && (c.botStatus == StatusKicked || c.botStatus == StatusLeft) {
		return nil, c.canPost() // "Forbidden: bot was kicked from the ... chat"
	}
	full := struct {
		Chat
		AccentColorID     int             `json:"accent_color_id"`
		MaxReactionCount  int             `json:"max_reaction_count"`
		AcceptedGiftTypes map[string]bool `json:"accepted_gift_types"`
	}{
		Chat:             c.chat,
		MaxReactionCount: 11,
		AcceptedGiftTypes: map[string]bool{
			"unlimited_gifts": false, "limited_gifts": false, "unique_gifts": false,
			"premium_subscription": false, "gifts_from_channels": false,
		},
	}
	return full, nil
}

func (s *Server) getChatMember(_ *http.Request, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.resolveChat(p)
	if err != nil {
		return nil, err
	}
	uid, err := p.int64("user_id")
	if err != nil {
		return nil, err
	}
	if uid == 0 {
		return nil, badRequest("user not found")
	}
	if uid == s.bot.ID {
		return memberOf(s.bot, c.botStatus), nil
	}
	if c.chat.Type == ChatPrivate {
		if uid != c.chat.ID {
			return nil, badRequest("user not found")
		}
		return memberOf(User{ID: uid, FirstName: c.chat.FirstName, LastName: c.chat.LastName, Username: c.chat.Username}, StatusMember), nil
	}
	u, ok := c.users[uid]
	if !ok {
		u = User{ID: uid, FirstName: "User " + strconv.FormatInt(uid, 10)}
	}
	status, ok := c.members[uid]
	if !ok {
		status = StatusLeft
	}
	return memberOf(u, status), nil
}

// memberOf builds the ChatMember variant for status with its required fields.
func memberOf(u User, status string) ChatMember {
	m := ChatMember{Status: status, User: u}
	f, t := false, true
	var zero int64
	switch status {
	case StatusCreator:
		m.IsAnonymous = &f
	case StatusAdministrator:
		m.IsAnonymous = &f
		m.CanBeEdited = &f
		for _, p := range []**bool{
			&m.CanManageChat, &m.CanDeleteMessages, &m.CanManageVideoChats, &m.CanRestrictMembers,
			&m.CanPromoteMembers, &m.CanChangeInfo, &m.CanInviteUsers, &m.CanPostStories,
			&m.CanEditStories, &m.CanDeleteStories,
		} {
			*p = &t
		}
	case StatusKicked, StatusRestricted:
		m.UntilDate = &zero
	}
	return m
}
