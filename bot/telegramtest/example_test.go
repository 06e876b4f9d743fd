package telegramtest_test

import (
	"fmt"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsalert/newsalert/bot/telegramtest"
)

// A bot built on the real client library talks to the fake; the test plays
// the user and reads what the bot sent.
func Example() {
	s := telegramtest.NewServer(telegramtest.Options{})
	defer s.Close()

	bot, err := tgbotapi.NewBotAPIWithClient(s.Token(), s.Endpoint(), &http.Client{Timeout: 30 * time.Second})
	if err != nil {
		fmt.Println(err)
		return
	}
	user := telegramtest.User{ID: 42, FirstName: "Olena", LanguageCode: "uk"}
	s.SendText(telegramtest.PrivateChat(user), user, "/start")

	updates, _ := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 1})
	for _, u := range updates {
		reply := tgbotapi.NewMessage(u.Message.Chat.ID, "<b>Вітаю!</b> Send /subscribe &lt;topic&gt;")
		reply.ParseMode = tgbotapi.ModeHTML
		if _, err := bot.Send(reply); err != nil {
			fmt.Println(err)
		}
	}
	for _, m := range s.Sent(42) {
		fmt.Println(m.Text)
	}
	// Output: Вітаю! Send /subscribe <topic>
}
