package telegramtest

import (
	"net/http"
	"net/url"
	"slices"
)

// The fake stores the webhook, answers getWebhookInfo and refuses
// getUpdates while one is set; it does not deliver updates to it.

func (s *Server) setWebhook(_ *http.Request, p params) (any, *apiError) {
	link := p["url"]
	var allowed []string
	if _, err := p.json("allowed_updates", &allowed); err != nil {
		return nil, badRequest("can't parse allowed updates JSON array")
	}
	maxConn, apiErr := p.int64("max_connections")
	if apiErr != nil {
		return nil, apiErr
	}
	if link != "" {
		u, err := url.Parse(link)
		if err != nil || u.Host == "" {
			return nil, badRequest("bad webhook: Failed to resolve host: Name or service not known")
		}
		if u.Scheme != "https" {
			return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
		}
		switch u.Port() {
		case "", "443", "80", "88", "8443":
		default:
			return nil, badRequest("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
		}
	}
	if secret := p["secret_token"]; secret != "" && !validSecret(secret) {
		return nil, badRequest("secret token contains unallowed characters")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if maxConn <= 0 {
		maxConn = 40
	}
	s.webhook = WebhookInfo{URL: link, MaxConnections: int(maxConn), AllowedUpdates: slices.Clone(allowed)}
	if link == "" {
		s.webhook = WebhookInfo{}
	}
	if p.bool("drop_pending_updates") {
		s.upd.pending = nil
	}
	if link != "" {
		s.upd.kick("terminated by setWebhook request")
	}
	return true, nil
}

func validSecret(s string) bool {
	if len(s) > 256 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isASCIIAlnum(c) || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func (s *Server) deleteWebhook(_ *http.Request, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhook = WebhookInfo{}
	if p.bool("drop_pending_updates") {
		s.upd.pending = nil
	}
	return true, nil
}

func (s *Server) getWebhookInfo(*http.Request, params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := s.webhook
	info.PendingUpdateCount = len(s.upd.pending)
	return info, nil
}

// Webhook returns the webhook the bot set, if any.
func (s *Server) Webhook() WebhookInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook
}
