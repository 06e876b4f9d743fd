package bot

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsalert/newsalert/bot/i18n"
	"github.com/newsalert/newsalert/subscriptions"
)

// The conversation a chat has with the bot beyond one command: a command
// sent without its argument asks for it and takes the next message as the
// answer; plain text offers a subscription; an edited /subscribe replaces
// what it subscribed to. The state is kept in memory: after a restart a
// pending question is forgotten, and its buttons say they are out of date.

// How long each kind of state is kept.
const (
	askWindow   = 10 * time.Minute // an unanswered question
	offerWindow = 24 * time.Hour   // a "Subscribe to …?" offer
	editWindow  = 48 * time.Hour   // what a /subscribe message did, for its edit
	undoWindow  = 15 * time.Minute // an undo button works this long
	listWindow  = 24 * time.Hour   // numbers of a list message stay valid
	maxState    = 10000            // entries of one kind before old ones go
)

type chatUser struct{ chat, user int64 }
type chatMsg struct {
	chat int64
	msg  int
}

// asked is a question waiting for its answer.
type asked struct {
	command string // the command the answer completes
	prompt  int    // the question's message id
	at      time.Time
}

// sent is what one user message made the bot do, for when it is edited.
type sent struct {
	sub   string // the subKey of the subscription it created, or ""
	reply int    // the bot's answer
	at    time.Time
}

// removed is an unsubscription that can be undone.
type removed struct {
	sub subscriptions.Subscription
	at  time.Time
}

// listView is the numbering of the list message on screen: numbers stay
// what it shows while it is there.
type listView struct {
	msg int
	ids []string // ids[n-1] is the subKey of number n
	at  time.Time
}

type conversations struct {
	mu     sync.Mutex
	asks   map[chatUser]asked
	offers map[chatMsg]string // the user's text, by the user's message
	sent   map[chatMsg]sent
	undo   map[string]removed // by the removed subscription's subKey
	lists  map[int64]listView
}

func newConversations() *conversations {
	return &conversations{asks: map[chatUser]asked{}, offers: map[chatMsg]string{}, sent: map[chatMsg]sent{},
		undo: map[string]removed{}, lists: map[int64]listView{}}
}

// prune drops the oldest half of m when it grows past maxState.
func prune[K comparable, V any](m map[K]V, at func(V) time.Time) {
	if len(m) < maxState {
		return
	}
	var cut time.Time
	for _, v := range m {
		if t := at(v); cut.IsZero() || t.Before(cut) {
			cut = t
		}
	}
	cut = cut.Add(time.Since(cut) / 2)
	for k, v := range m {
		if at(v).Before(cut) {
			delete(m, k)
		}
	}
}

// ask sends a question that the next message answers.
func (b *Bot) ask(ctx context.Context, r *request, command, textID, placeholderID string) {
	markup := tgbotapi.ForceReply{ForceReply: true, InputFieldPlaceholder: b.cfg.Catalog.Plain(r.lang, placeholderID, nil)}
	at := b.cfg.Now() // when it was asked, not when Telegram took the question
	id := b.reply(ctx, r, b.t(r, textID, nil), markup)
	b.expectAt(r, command, id, at)
}

// expectAt records that the next message of the request's user in its
// chat completes command; the question was asked at at.
func (b *Bot) expectAt(r *request, command string, prompt int, at time.Time) {
	c := b.conv
	c.mu.Lock()
	defer c.mu.Unlock()
	prune(c.asks, func(a asked) time.Time { return a.at })
	c.asks[chatUser{r.chat.ID, r.from}] = asked{command: command, prompt: prompt, at: at}
}

// answered returns the command a message answers and forgets the question.
// In a private chat any next message answers; in a group, only a reply to
// the question (the only message a bot in privacy mode sees).
func (b *Bot) answered(m *tgbotapi.Message, from int64) (string, bool) {
	c := b.conv
	c.mu.Lock()
	defer c.mu.Unlock()
	k := chatUser{m.Chat.ID, from}
	a, ok := c.asks[k]
	if !ok || b.cfg.Now().Sub(a.at) > askWindow {
		delete(c.asks, k)
		return "", false
	}
	if !m.Chat.IsPrivate() && (m.ReplyToMessage == nil || m.ReplyToMessage.MessageID != a.prompt) {
		return "", false
	}
	delete(c.asks, k)
	return a.command, true
}

// forgetAsk drops a pending question: a new command replaces it.
func (b *Bot) forgetAsk(chat, user int64) {
	b.conv.mu.Lock()
	delete(b.conv.asks, chatUser{chat, user})
	b.conv.mu.Unlock()
}

// onText handles a message that is not a command.
func (b *Bot) onText(ctx context.Context, m *tgbotapi.Message, channel bool) {
	from := int64(0)
	if m.From != nil {
		from = m.From.ID
	}
	text := strings.TrimSpace(m.Text)
	if text == "" {
		return
	}
	if strings.HasPrefix(text, "/") {
		b.forgetAsk(m.Chat.ID, from) // a command, if one Telegram did not mark
	} else if cmd, ok := b.answered(m, from); ok {
		if r, ok := b.request(ctx, m, channel); ok {
			b.command(ctx, r, cmd, text)
		}
		return
	}
	if !m.Chat.IsPrivate() {
		return
	}
	r, ok := b.request(ctx, m, channel)
	if !ok {
		return
	}
	if strings.HasPrefix(text, "/") {
		b.cyrillicCommand(ctx, r, text)
		return
	}
	b.offer(ctx, r, text)
}

// offer asks whether to subscribe to what the user wrote.
func (b *Bot) offer(ctx context.Context, r *request, text string) {
	if _, err := subscriptions.Parse(text, b.cfg.Subs.Limits()); err != nil {
		b.reply(ctx, r, b.t(r, i18n.MsgNotCommand, nil), nil)
		return
	}
	c := b.conv
	c.mu.Lock()
	if len(c.offers) > maxState {
		clear(c.offers)
	}
	c.offers[chatMsg{r.chat.ID, r.msg.MessageID}] = text
	c.mu.Unlock()
	key := strconv.Itoa(r.msg.MessageID)
	markup := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData(b.cfg.Catalog.Plain(r.lang, i18n.MsgButtonOfferYes, nil), "offer:"+key),
		tgbotapi.NewInlineKeyboardButtonData(b.cfg.Catalog.Plain(r.lang, i18n.MsgButtonOfferNo, nil), "nooffer:"+key)))
	b.reply(ctx, r, b.t(r, i18n.MsgOffer, map[string]any{"Query": text}), markup)
}

// offerByButton subscribes to an offered text (yes) or drops the offer.
func (b *Bot) offerByButton(ctx context.Context, r *request, arg string, yes bool) string {
	id, _ := strconv.Atoi(arg)
	c := b.conv
	c.mu.Lock()
	text, ok := c.offers[chatMsg{r.chat.ID, id}]
	delete(c.offers, chatMsg{r.chat.ID, id})
	c.mu.Unlock()
	if !ok {
		b.edit(ctx, r, r.msg.MessageID, b.t(r, i18n.MsgNotCommand, nil), nil)
		return b.cfg.Catalog.Plain(r.lang, i18n.MsgCallbackStale, nil)
	}
	if !yes {
		b.edit(ctx, r, r.msg.MessageID, b.t(r, i18n.MsgOffer, map[string]any{"Query": text}), nil)
		return b.cfg.Catalog.Plain(r.lang, i18n.MsgOfferDeclined, nil)
	}
	r.editReply = r.msg.MessageID // the offer becomes the answer
	b.subscribe(ctx, r, text)
	return ""
}

// cyrillicCommands are commands as people type them in Ukrainian or
// Russian; Telegram does not even mark them as commands.
var cyrillicCommands = map[string]string{
	"підписатися": "subscribe", "підписатись": "subscribe", "підписка": "subscribe", "підписати": "subscribe",
	"подписаться": "subscribe", "подписка": "subscribe", "подписать": "subscribe",
	"відписатися": "unsubscribe", "відписатись": "unsubscribe", "відписка": "unsubscribe", "скасувати": "unsubscribe",
	"отписаться": "unsubscribe", "отписка": "unsubscribe", "отменить": "unsubscribe",
	"список": "list", "підписки": "list", "подписки": "list", "мої": "list", "мои": "list",
	"мова": "language", "язык": "language", "мови": "newslang", "мовиновин": "newslang", "языки": "newslang", "языкиновостей": "newslang",
	"пояс": "timezone", "часовийпояс": "timezone", "часовой_пояс": "timezone", "часовий_пояс": "timezone", "часовойпояс": "timezone", "час": "timezone", "время": "timezone",
	"пауза": "pause", "призупинити": "pause", "стоп": "pause", "приостановить": "pause",
	"відновити": "resume", "продовжити": "resume", "возобновить": "resume", "продолжить": "resume",
	"допомога": "help", "довідка": "help", "помощь": "help", "справка": "help", "хелп": "help",
	"старт": "start", "почати": "start", "начать": "start",
	"джерела": "feeds", "источники": "feeds", "стрічки": "feeds", "ленты": "feeds",
}

// cyrillicCommand answers "/підписатися NATO" with the command to type.
func (b *Bot) cyrillicCommand(ctx context.Context, r *request, text string) {
	word, rest, _ := strings.Cut(strings.TrimPrefix(text, "/"), " ")
	word, _, _ = strings.Cut(word, "@")
	isCyrillic := strings.IndexFunc(word, func(c rune) bool { return unicode.Is(unicode.Cyrillic, c) }) >= 0
	name, ok := cyrillicCommands[strings.ToLower(word)]
	switch {
	case ok:
		cmd := "/" + name
		if rest = strings.TrimSpace(rest); rest != "" {
			cmd += " " + rest
		}
		b.reply(ctx, r, b.t(r, i18n.MsgCyrillicHint, map[string]any{"Command": cmd}), nil)
	case isCyrillic:
		b.reply(ctx, r, b.t(r, i18n.MsgCyrillicAny, nil), nil)
	default:
		b.reply(ctx, r, b.t(r, i18n.MsgUnknownCommand, map[string]any{"Command": "/" + word}), nil)
	}
}

// remember records what a /subscribe message made the bot do.
func (b *Bot) remember(r *request, sub string, reply int) {
	if r.msg == nil || r.editReply != 0 && r.edited == nil {
		return
	}
	c := b.conv
	c.mu.Lock()
	defer c.mu.Unlock()
	prune(c.sent, func(s sent) time.Time { return s.at })
	c.sent[chatMsg{r.chat.ID, r.msg.MessageID}] = sent{sub: sub, reply: reply, at: b.cfg.Now()}
}

// onEdit handles an edited message. An edited /subscribe (a typo fixed)
// replaces the subscription the first version made and rewrites the
// bot's answer; any other edit is handled as a new message.
func (b *Bot) onEdit(ctx context.Context, m *tgbotapi.Message, channel bool) {
	if m.Chat == nil {
		return
	}
	name, at := commandOf(m)
	c := b.conv
	c.mu.Lock()
	was, ok := c.sent[chatMsg{m.Chat.ID, m.MessageID}]
	if ok && b.cfg.Now().Sub(was.at) > editWindow {
		ok = false
	}
	c.mu.Unlock()
	if name != "subscribe" || !ok || at != "" && !strings.EqualFold(at, b.username) {
		b.onMessage(ctx, m, channel)
		return
	}
	r, okr := b.request(ctx, m, channel)
	if !okr {
		return
	}
	if !b.mayChange(ctx, r) {
		return
	}
	r.editReply, r.edited = was.reply, &was
	b.subscribe(ctx, r, strings.TrimSpace(m.CommandArguments()))
}
