package telegramtest

import (
	"fmt"
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
	// FaultFlood answers 429 with Fault.RetryAfter (default 1 s).
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
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f Fault) bool {
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
		writeEnvelope(w, tooManyRequests(retry).envelope())
	default:
		return false
	}
	return true
}
