package translate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/newsalert/newsalert/feeds"
)

// DeepLFreeURL is DeepL's API for free accounts (keys ending in ":fx");
// paid accounts use https://api.deepl.com.
const DeepLFreeURL = "https://api-free.deepl.com"

// fetchDeepL asks DeepL: POST /v2/translate with the key in the
// Authorization header, {"text": [...], "source_lang", "target_lang"},
// answered {"translations": [{"text": ...}, ...]}; errors are
// {"message": ...} with 403 (key), 429 and 456 (quota).
func (t *Translator) fetchDeepL(ctx context.Context, art *feeds.Article, target string) (string, string, error) {
	base := t.cfg.URL
	if base == "" {
		base = DeepLFreeURL
	}
	b, _ := json.Marshal(map[string]any{
		"text":        []string{cut(art.Title), cut(art.Summary)},
		"source_lang": strings.ToUpper(art.Lang),
		"target_lang": deepLTarget(target),
	})
	status, data, err := t.post(ctx, base+"/v2/translate", b, "DeepL-Auth-Key "+t.cfg.APIKey)
	if err != nil {
		return "", "", err
	}
	var out struct {
		Translations []struct {
			Text string `json:"text"`
		} `json:"translations"`
		Message string `json:"message"`
	}
	jerr := json.Unmarshal(data, &out)
	if status != http.StatusOK {
		msg := out.Message
		if jerr != nil || msg == "" {
			msg = http.StatusText(status)
		}
		return "", "", fmt.Errorf("translate: DeepL answered %d: %s", status, cut(msg))
	}
	if jerr != nil || len(out.Translations) != 2 {
		return "", "", errors.New("translate: DeepL's answer has no translations for title and summary")
	}
	title := strings.TrimSpace(out.Translations[0].Text)
	if title == "" {
		return "", "", errors.New("translate: empty translation")
	}
	return title, strings.TrimSpace(out.Translations[1].Text), nil
}

// deepLTarget is DeepL's code for a target language: English needs its
// variant, the others are the code in capitals.
func deepLTarget(lang string) string {
	switch lang {
	case "en":
		return "EN-GB"
	case "pt":
		return "PT-PT"
	}
	return strings.ToUpper(lang)
}
