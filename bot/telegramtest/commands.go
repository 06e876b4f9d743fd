package telegramtest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
)

// commandKey identifies one command list: a scope and a language.
type commandKey struct {
	scope CommandScope
	lang  string
}

var scopeTypes = map[string]bool{
	"default": true, "all_private_chats": true, "all_group_chats": true, "all_chat_administrators": true,
	"chat": true, "chat_administrators": true, "chat_member": true,
}

// readScope parses the scope and language_code parameters.
func (s *Server) readScope(p params) (commandKey, *apiError) {
	k := commandKey{scope: CommandScope{Type: "default"}, lang: p["language_code"]}
	var sc struct {
		Type   string          `json:"type"`
		ChatID json.RawMessage `json:"chat_id"`
		UserID int64           `json:"user_id"`
	}
	ok, err := p.json("scope", &sc)
	if err != nil {
		return k, badRequest("can't parse BotCommandScope JSON object")
	}
	if ok {
		if !scopeTypes[sc.Type] {
			return k, badRequest("unsupported bot command scope type")
		}
		k.scope.Type = sc.Type
		if strings.HasPrefix(sc.Type, "chat") {
			s.mu.Lock()
			c, apiErr := s.resolveChat(params{"chat_id": scopeChatID(sc.ChatID)})
			s.mu.Unlock()
			if apiErr != nil {
				return k, apiErr
			}
			k.scope.ChatID = c.chat.ID
		}
		if sc.Type == "chat_member" {
			if sc.UserID == 0 {
				return k, badRequest("user not found")
			}
			k.scope.UserID = sc.UserID
		}
	}
	if l := k.lang; l != "" && (len(l) != 2 || !isASCIIAlpha(l[0]) || !isASCIIAlpha(l[1])) {
		return k, badRequest("invalid language code specified")
	}
	return k, nil
}

func scopeChatID(raw json.RawMessage) string {
	var name string
	if json.Unmarshal(raw, &name) == nil {
		return name
	}
	return strings.TrimSpace(string(raw))
}

func (s *Server) setMyCommands(_ *http.Request, p params) (any, *apiError) {
	var cmds []BotCommand
	ok, err := p.json("commands", &cmds)
	if err != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	if !ok && !p.has("commands") {
		return nil, badRequest("parameter \"commands\" is required")
	}
	if len(cmds) > 100 {
		return nil, badRequest("too many commands specified")
	}
	for _, c := range cmds {
		if !validCommand(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := utf8.RuneCountInString(strings.TrimSpace(c.Description)); n < 1 || n > 256 {
			return nil, badRequest("command description must be 1-256 characters long")
		}
	}
	k, apiErr := s.readScope(p)
	if apiErr != nil {
		return nil, apiErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(cmds) == 0 {
		delete(s.commands, k)
	} else {
		s.commands[k] = slices.Clone(cmds)
	}
	return true, nil
}

// validCommand: 1-32 characters, lower-case latin letters, digits and
// underscores (Telegram rejects upper case with BOT_COMMAND_INVALID).
func validCommand(c string) bool {
	if len(c) < 1 || len(c) > 32 {
		return false
	}
	for i := 0; i < len(c); i++ {
		ch := c[i]
		if !(ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '_') {
			return false
		}
	}
	return true
}

func (s *Server) getMyCommands(_ *http.Request, p params) (any, *apiError) {
	k, apiErr := s.readScope(p)
	if apiErr != nil {
		return nil, apiErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cmds := s.commands[k]
	if cmds == nil {
		cmds = []BotCommand{}
	}
	return cmds, nil
}

func (s *Server) deleteMyCommands(_ *http.Request, p params) (any, *apiError) {
	k, apiErr := s.readScope(p)
	if apiErr != nil {
		return nil, apiErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.commands, k)
	return true, nil
}

// Commands returns the command list set for scope and language ("" for
// all languages), and whether one is set. A zero scope means "default".
func (s *Server) Commands(scope CommandScope, lang string) ([]BotCommand, bool) {
	if scope.Type == "" {
		scope.Type = "default"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cmds, ok := s.commands[commandKey{scope: scope, lang: lang}]
	return slices.Clone(cmds), ok
}
