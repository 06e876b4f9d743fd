package delivery

import (
	"encoding/json"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"golang.org/x/net/html"
)

// MaxText is Telegram's limit on a message's text, in characters.
const MaxText = 4096

// textMode is how a message's text goes out.
type textMode int

const (
	asHTML   textMode = iota
	asPlain           // after "can't parse entities"
	asCut             // plain, cut to MaxText, after "message is too long"
	asMarkup          // an edit of the inline keyboard only (EditMarkup)
)

// send posts m to chat (or edits messageID when it is not 0).
func send(tg Sender, chat int64, messageID int, m Message, mode textMode) verdict {
	p := tgbotapi.Params{}
	p["chat_id"] = strconv.FormatInt(chat, 10)
	method := "sendMessage"
	if messageID != 0 {
		method = "editMessageText"
		p["message_id"] = strconv.Itoa(messageID)
	}
	if mode == asMarkup {
		method = "editMessageReplyMarkup"
	} else if mode == asHTML && m.HTML != "" {
		p["text"] = m.HTML
		p["parse_mode"] = "HTML"
	} else {
		text := m.Plain
		if text == "" {
			text = plainText(m.HTML)
		}
		if mode == asCut {
			text = cut(text, MaxText)
		}
		p["text"] = text
	}
	if m.NoPreview && mode != asMarkup {
		p["link_preview_options"] = `{"is_disabled":true}`
	}
	if m.Silent && messageID == 0 {
		p["disable_notification"] = "true"
	}
	if err := p.AddInterface("reply_markup", m.Markup); err != nil {
		return verdict{outcome: rejected, reason: "reply_markup: " + err.Error()}
	}
	resp, err := tg.MakeRequest(method, p)
	v := classify(err)
	v.called = true
	if v.outcome == sent && resp != nil {
		var msg struct {
			MessageID int `json:"message_id"`
		}
		// editMessageText may answer true instead of a message.
		if json.Unmarshal(resp.Result, &msg) == nil {
			v.messageID = msg.MessageID
		}
	}
	return v
}

// cut returns s limited to n characters (code points).
func cut(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}

// plainText is the text of a Telegram-HTML message: tags dropped, entities
// decoded, a link's address kept after its text.
func plainText(s string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	var href string
	var linkText strings.Builder
	inLink := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			t := string(z.Text())
			b.WriteString(t)
			if inLink {
				linkText.WriteString(t)
			}
		case html.StartTagToken:
			tok := z.Token()
			if tok.Data == "a" {
				inLink, href = true, ""
				linkText.Reset()
				for _, a := range tok.Attr {
					if a.Key == "href" {
						href = a.Val
					}
				}
			}
		case html.EndTagToken:
			if tok := z.Token(); tok.Data == "a" && inLink {
				inLink = false
				if href != "" && strings.TrimSpace(linkText.String()) != href {
					b.WriteString(" (" + href + ")")
				}
			}
		}
	}
}
