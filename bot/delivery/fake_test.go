package delivery

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// tgServer is a small Bot API stand-in for this package's tests: it records
// every posting call with its arrival time, checks the sliding-window limits
// on arrival, and lets a test script answers per call.
type tgServer struct {
	t   *testing.T
	srv *httptest.Server
	lim Limits

	mu     sync.Mutex
	calls  []call
	nextID int
	// answer, when set, may replace the answer to a posting call: status
	// and JSON body, or status 0 to answer normally.
	answer func(c call, n int) (int, string)
	delay  time.Duration
}

type call struct {
	Method    string
	Chat      int64
	Text      string
	ParseMode string
	MessageID int // edits
	At        time.Time
	OK        bool
}

func newTGServer(t *testing.T, lim Limits) *tgServer {
	s := &tgServer{t: t, lim: lim}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *tgServer) endpoint() string { return s.srv.URL + "/bot%s/%s" }

func (s *tgServer) setAnswer(f func(c call, n int) (int, string)) {
	s.mu.Lock()
	s.answer = f
	s.mu.Unlock()
}

func (s *tgServer) serve(w http.ResponseWriter, r *http.Request) {
	at := time.Now()
	method := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch method {
	case "getMe":
		fmt.Fprint(w, `{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"t","username":"t_bot"}}`)
		return
	case "answerCallbackQuery":
		fmt.Fprint(w, `{"ok":true,"result":true}`)
		return
	case "sendMessage", "editMessageText":
	default:
		fmt.Fprint(w, `{"ok":false,"error_code":404,"description":"Not Found"}`)
		return
	}
	chat, _ := strconv.ParseInt(r.Form.Get("chat_id"), 10, 64)
	mid, _ := strconv.Atoi(r.Form.Get("message_id"))
	c := call{Method: method, Chat: chat, Text: r.Form.Get("text"), ParseMode: r.Form.Get("parse_mode"), MessageID: mid, At: at}
	s.mu.Lock()
	n := 0
	for _, p := range s.calls {
		if p.Chat == chat {
			n++
		}
	}
	answer, delay := s.answer, s.delay
	s.mu.Unlock()
	status, body := 0, ""
	if answer != nil {
		status, body = answer(c, n)
	}
	if delay > 0 {
		time.Sleep(delay)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if status == 0 {
		c.OK = true
		s.nextID++
		if mid == 0 {
			mid = s.nextID
		}
		body = fmt.Sprintf(`{"ok":true,"result":{"message_id":%d,"date":0,"chat":{"id":%d,"type":"private"},"text":%q}}`,
			mid, chat, c.Text)
		status = 200
	}
	s.calls = append(s.calls, c)
	w.WriteHeader(status)
	fmt.Fprint(w, body)
}

// tgError is an error envelope.
func tgError(code int, desc string, params map[string]any) (int, string) {
	b, _ := json.Marshal(map[string]any{"ok": false, "error_code": code, "description": desc, "parameters": params})
	if params == nil {
		b, _ = json.Marshal(map[string]any{"ok": false, "error_code": code, "description": desc})
	}
	return code, string(b)
}

func (s *tgServer) all() []call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]call(nil), s.calls...)
}

// delivered is the accepted texts per chat (markup removed), in arrival order.
func (s *tgServer) delivered() map[int64][]string {
	out := make(map[int64][]string)
	for _, c := range s.all() {
		if c.OK {
			text := c.Text
			if c.ParseMode == "HTML" {
				text = plainText(text)
			}
			out[c.Chat] = append(out[c.Chat], text)
		}
	}
	return out
}

// violations checks every posting call (accepted or not) against the limits
// as sliding windows over arrival times.
func (s *tgServer) violations() []string {
	calls := s.all()
	var out []string
	for i, c := range calls {
		global, chat, group := 0, 0, 0
		for _, p := range calls {
			d := c.At.Sub(p.At)
			if d < 0 || d >= time.Minute {
				continue
			}
			if d < time.Second {
				global++
				if p.Chat == c.Chat {
					chat++
				}
			}
			if p.Chat == c.Chat && c.Chat < 0 {
				group++
			}
		}
		if global > s.lim.GlobalPerSecond {
			out = append(out, fmt.Sprintf("global %d at call %d", global, i))
		}
		if chat > s.lim.PerChatPerSecond {
			out = append(out, fmt.Sprintf("chat %d: %d in 1s at call %d", c.Chat, chat, i))
		}
		if c.Chat < 0 && group > s.lim.PerGroupPerMinute {
			out = append(out, fmt.Sprintf("group %d: %d in 60s at call %d", c.Chat, group, i))
		}
	}
	return out
}
