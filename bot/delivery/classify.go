package delivery

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// outcome is what a Bot API answer means for the message.
type outcome int

const (
	sent        outcome = iota // accepted
	rateLimited                // 429: nothing to this chat before retryAfter
	retryLater                 // 5xx, network, non-JSON reply: back off and retry
	inactive                   // 403, or chat not found: the chat is gone
	migrated                   // group upgraded to supergroup migrateTo
	badEntities                // HTML rejected: our renderer's bug; resend as plain text
	tooLong                    // over 4096 characters: resend cut, as plain text
	rejected                   // any other 400: drop
)

// verdict is a classified Bot API answer.
type verdict struct {
	outcome    outcome
	retryAfter time.Duration
	migrateTo  int64
	reason     string // for last_error and logs; never holds the token
	messageID  int
	called     bool // the request was made (it counts in the flood detector)
}

// classify reads an error from the Bot API client.
func classify(err error) verdict {
	if err == nil {
		return verdict{outcome: sent}
	}
	var te *tgbotapi.Error
	if !errors.As(err, &te) {
		var tv tgbotapi.Error
		if errors.As(err, &tv) {
			te = &tv
		}
	}
	if te == nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return verdict{outcome: retryLater, reason: "reply is not JSON: " + err.Error()}
		}
		return verdict{outcome: retryLater, reason: safeError(err)}
	}
	desc := strings.ToLower(te.Message)
	reason := fmt.Sprintf("%d %s", te.Code, te.Message)
	switch {
	case te.Code == 429:
		ra := time.Duration(te.RetryAfter) * time.Second
		if ra <= 0 {
			ra = parseRetryAfter(desc)
		}
		return verdict{outcome: rateLimited, retryAfter: ra, reason: reason}
	case te.Code >= 500:
		return verdict{outcome: retryLater, reason: reason}
	case te.Code == 403:
		return verdict{outcome: inactive, reason: reason}
	case te.MigrateToChatID != 0:
		return verdict{outcome: migrated, migrateTo: te.MigrateToChatID, reason: reason}
	case te.Code == 400 && strings.Contains(desc, "chat not found"):
		return verdict{outcome: inactive, reason: reason}
	case te.Code == 400 && strings.Contains(desc, "message is not modified"):
		// An edit that changes nothing: the chat shows what we meant.
		return verdict{outcome: sent, reason: reason}
	case te.Code == 400 && strings.Contains(desc, "can't parse entities"):
		return verdict{outcome: badEntities, reason: reason}
	case te.Code == 400 && (strings.Contains(desc, "message is too long") || strings.Contains(desc, "text is too long")):
		return verdict{outcome: tooLong, reason: reason}
	case te.Code == 400:
		return verdict{outcome: rejected, reason: reason}
	default:
		// 401, 404 (bad token, wrong endpoint), 409...: our side is broken,
		// not the message; keep it and retry.
		return verdict{outcome: retryLater, reason: reason}
	}
}

// parseRetryAfter reads "Too Many Requests: retry after N" when the
// parameters are missing.
func parseRetryAfter(desc string) time.Duration {
	const key = "retry after "
	if i := strings.Index(desc, key); i >= 0 {
		s := desc[i+len(key):]
		j := 0
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if n, err := strconv.Atoi(s[:j]); err == nil && n > 0 && n < 86400 {
			return time.Duration(n) * time.Second
		}
	}
	return time.Second
}

// safeError describes a transport error without the request URL, which
// holds the bot token.
func safeError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Op + ": " + ue.Err.Error()
	}
	return err.Error()
}
