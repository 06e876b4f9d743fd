package telegramtest

import (
	"encoding/json"
	"net/url"
	"strings"
)

// markup is a validated reply_markup parameter.
type markup struct {
	inline *InlineKeyboardMarkup
	key    string // normalised JSON, to compare two markups
}

// inlineActions are the fields of InlineKeyboardButton that give it an
// action; a button must have exactly one.
var inlineActions = []string{
	"url", "callback_data", "web_app", "login_url", "switch_inline_query",
	"switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
	"callback_game", "pay",
}

// parseMarkup validates reply_markup. Edits accept only inline keyboards.
func parseMarkup(p params, inlineOnly bool) (markup, *apiError) {
	var raw map[string]json.RawMessage
	ok, err := p.json("reply_markup", &raw)
	if err != nil {
		return markup{}, badRequest("can't parse reply keyboard markup JSON object")
	}
	if !ok {
		return markup{}, nil
	}
	rows, isInline := raw["inline_keyboard"]
	if !isInline {
		if inlineOnly {
			return markup{}, badRequest("inline keyboard expected")
		}
		for _, k := range []string{"keyboard", "remove_keyboard", "force_reply"} {
			if _, ok := raw[k]; ok {
				key, _ := json.Marshal(raw)
				return markup{key: string(key)}, nil
			}
		}
		return markup{}, badRequest("can't parse reply keyboard markup JSON object")
	}
	var buttons [][]map[string]json.RawMessage
	if err := json.Unmarshal(rows, &buttons); err != nil {
		return markup{}, badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
	}
	kb := &InlineKeyboardMarkup{InlineKeyboard: make([][]InlineKeyboardButton, 0, len(buttons))}
	for _, row := range buttons {
		out := make([]InlineKeyboardButton, 0, len(row))
		for _, b := range row {
			btn, apiErr := parseButton(b)
			if apiErr != nil {
				return markup{}, apiErr
			}
			out = append(out, btn)
		}
		kb.InlineKeyboard = append(kb.InlineKeyboard, out)
	}
	key, _ := json.Marshal(buttons)
	return markup{inline: kb, key: string(key)}, nil
}

func parseButton(b map[string]json.RawMessage) (InlineKeyboardButton, *apiError) {
	var btn InlineKeyboardButton
	if err := json.Unmarshal(b["text"], &btn.Text); err != nil {
		return btn, badRequest("can't parse inline keyboard button: Field \"text\" must be of type String")
	}
	actions := 0
	for _, a := range inlineActions {
		if _, ok := b[a]; ok {
			actions++
		}
	}
	if actions == 0 {
		return btn, badRequest("text buttons are unallowed in the inline keyboard")
	}
	if raw, ok := b["callback_data"]; ok {
		var data string
		if json.Unmarshal(raw, &data) != nil || len(data) < 1 || len(data) > 64 {
			return btn, badRequest("BUTTON_DATA_INVALID")
		}
		btn.CallbackData = &data
	}
	if raw, ok := b["url"]; ok {
		var link string
		if json.Unmarshal(raw, &link) != nil || !validButtonURL(link) {
			return btn, badRequest("inline keyboard button URL '%s' is invalid: Wrong HTTP URL", strings.Trim(string(raw), `"`))
		}
		btn.URL = &link
	}
	return btn, nil
}

func validButtonURL(link string) bool {
	u, err := url.Parse(link)
	if err != nil || strings.ContainsAny(link, " \n") {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "tg":
		return true
	}
	return false
}

// linkPreviewDisabled reads link_preview_options or the legacy
// disable_web_page_preview.
func linkPreviewDisabled(p params) (bool, *apiError) {
	var opts struct {
		IsDisabled bool `json:"is_disabled"`
	}
	ok, err := p.json("link_preview_options", &opts)
	if err != nil {
		return false, badRequest("can't parse link preview options JSON object")
	}
	if ok {
		return opts.IsDisabled, nil
	}
	return p.bool("disable_web_page_preview"), nil
}
