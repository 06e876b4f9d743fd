package telegramtest

import (
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func TestUndeliverableChats(t *testing.T) {
	s := New(t, Options{Limits: Limits{Disabled: true}})
	bot := newBot(t, s)
	_, err := bot.Send(tgbotapi.NewMessage(999, "hi"))
	apiErr(t, err, 400, "Bad Request: chat not found")

	s.AddChat(aliceDM)
	s.Block(aliceDM.ID)
	_, err = bot.Send(tgbotapi.NewMessage(aliceDM.ID, "hi"))
	apiErr(t, err, 403, "Forbidden: bot was blocked by the user")
	s.Unblock(aliceDM.ID)
	if _, err := bot.Send(tgbotapi.NewMessage(aliceDM.ID, "hi")); err != nil {
		t.Fatalf("after Unblock: %v", err)
	}

	bobDM := PrivateChat(bob)
	s.AddChat(bobDM)
	s.Deactivate(bobDM.ID)
	_, err = bot.Send(tgbotapi.NewMessage(bobDM.ID, "hi"))
	apiErr(t, err, 403, "Forbidden: user is deactivated")

	for _, c := range []struct {
		chat Chat
		desc string
	}{
		{group, "Forbidden: bot was kicked from the group chat"},
		{super, "Forbidden: bot was kicked from the supergroup chat"},
		{channel, "Forbidden: bot is not a member of the channel chat"},
	} {
		s.AddBot(c.chat, alice)
		s.Kick(c.chat.ID)
		_, err = bot.Send(tgbotapi.NewMessage(c.chat.ID, "hi"))
		apiErr(t, err, 403, c.desc)
	}
}

func TestChannelByUsername(t *testing.T) {
	s := New(t, Options{})
	bot := newBot(t, s)
	s.AddChat(channel)
	got, err := bot.Send(tgbotapi.NewMessageToChannel("@newschan", "post"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Chat.ID != channel.ID || got.SenderChat == nil || got.From != nil {
		t.Errorf("message = %+v", got)
	}
	_, err = bot.Send(tgbotapi.NewMessageToChannel("@nochan", "post"))
	apiErr(t, err, 400, "Bad Request: chat not found")
}

func TestMigrationToSupergroup(t *testing.T) {
	s := New(t, Options{})
	bot := newBot(t, s)
	s.SendText(group, alice, "/start")
	newID, err := s.MigrateToSupergroup(group.ID, 0, alice)
	if err != nil {
		t.Fatal(err)
	}
	_, err = bot.Send(tgbotapi.NewMessage(group.ID, "hi"))
	e := apiErr(t, err, 400, "Bad Request: group chat was upgraded to a supergroup chat")
	if e.MigrateToChatID != newID {
		t.Errorf("MigrateToChatID = %d, want %d", e.MigrateToChatID, newID)
	}
	if _, err := bot.Send(tgbotapi.NewMessage(newID, "hi")); err != nil {
		t.Fatalf("send to the supergroup: %v", err)
	}
	ups, _ := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if len(ups) != 3 || ups[1].Message.MigrateToChatID != newID || ups[2].Message.MigrateFromChatID != group.ID {
		t.Errorf("updates = %+v", ups)
	}
	if _, err := s.MigrateToSupergroup(group.ID, 0, alice); err == nil {
		t.Error("migrating twice: no error")
	}
}

func TestGetChatMemberAndGetChat(t *testing.T) {
	s := New(t, Options{})
	bot := newBot(t, s)
	s.SetMember(super, alice, StatusCreator)
	s.SetMember(super, bob, StatusAdministrator)
	carol := User{ID: 333, FirstName: "Carol"}
	s.SendText(super, carol, "hello")
	for _, tc := range []struct {
		user int64
		want string
	}{{alice.ID, "creator"}, {bob.ID, "administrator"}, {carol.ID, "member"}, {444, "left"}, {s.Bot().ID, "member"}} {
		m, err := bot.GetChatMember(tgbotapi.GetChatMemberConfig{ChatConfigWithUser: tgbotapi.ChatConfigWithUser{ChatID: super.ID, UserID: tc.user}})
		if err != nil {
			t.Fatal(err)
		}
		if m.Status != tc.want {
			t.Errorf("user %d: status %q, want %q", tc.user, m.Status, tc.want)
		}
	}
	if m, _ := bot.GetChatMember(tgbotapi.GetChatMemberConfig{ChatConfigWithUser: tgbotapi.ChatConfigWithUser{ChatID: super.ID, UserID: bob.ID}}); !m.CanDeleteMessages {
		t.Errorf("administrator rights missing: %+v", m)
	}
	chat, err := bot.GetChat(tgbotapi.ChatInfoConfig{ChatConfig: tgbotapi.ChatConfig{ChatID: super.ID}})
	if err != nil || chat.Title != "Big group" || chat.Type != "supergroup" || chat.UserName != "biggroup" {
		t.Errorf("getChat = %+v, %v", chat, err)
	}
	_, err = bot.GetChat(tgbotapi.ChatInfoConfig{ChatConfig: tgbotapi.ChatConfig{ChatID: -5}})
	apiErr(t, err, 400, "Bad Request: chat not found")
}

func TestGroupPrivacyAndRestart(t *testing.T) {
	s := New(t, Options{})
	bot := newBot(t, s)
	s.SendText(group, alice, "just chatting")
	s.SendText(group, alice, "/list@other_bot")
	s.SendText(group, alice, "/list")
	ups, _ := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if len(ups) != 1 || ups[0].Message.Text != "/list" {
		t.Fatalf("privacy mode: updates = %+v", ups)
	}
	if bot.Self.CanReadAllGroupMessages {
		t.Error("getMe says the bot reads all group messages")
	}

	s.Block(aliceDM.ID)
	s.SendText(aliceDM, alice, "/start") // the user presses Restart
	ups, _ = bot.GetUpdates(tgbotapi.UpdateConfig{Offset: ups[0].UpdateID + 1})
	if len(ups) != 3 || ups[0].MyChatMember.NewChatMember.Status != "kicked" ||
		ups[1].MyChatMember.NewChatMember.Status != "member" || ups[2].Message.Text != "/start" {
		t.Fatalf("restart: updates = %+v", ups)
	}
	if _, err := bot.Send(tgbotapi.NewMessage(aliceDM.ID, "welcome back")); err != nil {
		t.Errorf("after restart: %v", err)
	}

	open := New(t, Options{GroupPrivacyOff: true})
	s.Kick(group.ID)
	s.SendText(group, alice, "/list")
	open.SendText(group, alice, "just chatting")
	if s.Pending() != 4 || open.Pending() != 1 { // 3 unconfirmed + the kick
		t.Errorf("pending = %d (kicked: no update), %d (privacy off)", s.Pending(), open.Pending())
	}
}

// TestChannelMessageKeepsItsSender: a message the bot sent to a channel keeps
// the sender chat it had when sent; renaming the channel afterwards (a post
// with a new title) neither rewrites it nor races with encoding the reply
// (go test -race).
func TestChannelMessageKeepsItsSender(t *testing.T) {
	s := New(t, Options{Limits: Limits{Disabled: true}})
	bot := newBot(t, s)
	s.AddChat(channel)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 20 {
			renamed := channel
			renamed.Title = "Channel " + string(rune('A'+i))
			s.ChannelPost(renamed, "post")
		}
	}()
	var sent []tgbotapi.Message
	for range 20 {
		m, err := bot.Send(tgbotapi.NewMessage(channel.ID, "hi"))
		if err != nil {
			t.Fatal(err)
		}
		sent = append(sent, m)
	}
	<-done
	s.ChannelPost(channel, "back to the old name")
	for _, m := range sent {
		got, ok := s.Message(channel.ID, m.MessageID)
		if !ok || got.SenderChat == nil {
			t.Fatalf("message %d: %+v", m.MessageID, got)
		}
		if got.SenderChat.Title != m.SenderChat.Title {
			t.Errorf("message %d: sender title %q now, %q when sent", m.MessageID, got.SenderChat.Title, m.SenderChat.Title)
		}
	}
}
