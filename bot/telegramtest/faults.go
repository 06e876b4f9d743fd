package telegramtest

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// FaultKind is a way for a request to fail.
type FaultKind int

const (
	// FaultInternal answers 500 with a JSON error envelope.
	FaultInternal FaultKind = iota + 1
	// FaultBadGateway answers 502 with an HTML page, as a proxy in front of
	// the Bot API does; the client library gets a JSON syntax error.
	FaultBadGateway
	// FaultReset closes the connection without an answer.
	FaultReset
	// FaultSlow waits Fault.Delay (or until the client gives up), then
	// handles the request normally.
	FaultSlow
	// FaultFlood answers 429 "Too Many Requests: retry after N" with
	// parameters.retry_after N = Fault.RetryAfter (default 1 s), for the
	// request's chat: a call to that chat before N seconds passed is a
	// LimitRetryAfter violation, as Telegram would answer it 429 again.
	FaultFlood
)

// Fault makes the next Times requests to Method fail.
type Fault struct {
	Method     string // Bot API method name, any case; "" matches every method
	ChatID     int64  // only requests with this chat_id; 0 matches any
	Times      int    // how many requests; 0 means 1
	Kind       FaultKind
	Delay      time.Duration // for FaultSlow
	RetryAfter int           // seconds, for FaultFlood
}

// Fail queues a fault; faults for the same method apply in order.
func (s *Server) Fail(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f)
}

// takeFault pops one use of the first fault matching method and the
// chat_id parameter. The caller holds s.mu.
func (s *Server) takeFault(method, chatID string) (Fault, bool) {
	for i := range s.faults {
		f := &s.faults[i]
		if f.Method != "" && !strings.EqualFold(f.Method, method) {
			continue
		}
		if f.ChatID != 0 && strconv.FormatInt(f.ChatID, 10) != strings.TrimSpace(chatID) {
			continue
		}
		got := *f
		f.Times--
		if f.Times == 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		return got, true
	}
	return Fault{}, false
}

// applyFault answers the request according to f; false means the request
// should be handled normally afterwards.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f Fault, chatID string) bool {
	switch f.Kind {
	case FaultInternal:
		writeEnvelope(w, envelope{ErrorCode: http.StatusInternalServerError, Description: "Internal Server Error"})
	case FaultBadGateway:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprint(w, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"+
			"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
	case FaultReset:
		hj, ok := w.(http.Hijacker)
		if !ok {
			panic(http.ErrAbortHandler)
		}
		conn, _, err := hj.Hijack()
		if err != nil {
			panic(http.ErrAbortHandler)
		}
		if tcp, ok := conn.(*net.TCPConn); ok {
			_ = tcp.SetLinger(0) // RST instead of FIN
		}
		_ = conn.Close()
	case FaultSlow:
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return true
		case <-s.upd.closed:
			return true
		}
		return false
	case FaultFlood:
		retry := f.RetryAfter
		if retry <= 0 {
			retry = 1
		}
		if id, err := strconv.ParseInt(strings.TrimSpace(chatID), 10, 64); err == nil {
			s.mu.Lock()
			s.lim.holdChat(id, s.now(), retry)
			s.mu.Unlock()
		}
		writeEnvelope(w, tooManyRequests(retry).envelope())
	default:
		return false
	}
	return true
}

// FloodChats makes a share (0..1) of the posting calls that would go through
// answer 429 for their own chat instead, as Telegram does when it finds one
// chat gets too much: "Too Many Requests: retry after N" with
// parameters.retry_after N = retryAfter seconds. A call to that chat before
// N seconds passed is a LimitRetryAfter violation; other chats are not
// affected. The choice is pseudo-random from seed, so a test repeats.
// share 0 turns it off.
func (s *Server) FloodChats(share float64, retryAfter int, seed uint64) {
	if retryAfter <= 0 {
		retryAfter = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lim.flood = chatFlood{share: share, retry: retryAfter, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// FloodedChats is how many 429s FloodChats and FaultFlood answered.
func (s *Server) FloodedChats() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lim.flooded
}
