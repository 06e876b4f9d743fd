package telegramtest

import (
	"fmt"
	"strings"
	"unicode/utf16"
)

// ANSI styles for entity types in Terminal.
var ansiStyles = map[string]string{
	"bold": "1", "italic": "3", "underline": "4", "strikethrough": "9", "spoiler": "7",
	"code": "36", "pre": "36", "text_link": "34;4", "blockquote": "2", "expandable_blockquote": "2",
}

// Buttons returns the message's inline keyboard buttons row by row, the
// order in which Terminal numbers them from 1.
func (m SentMessage) Buttons() []InlineKeyboardButton {
	if m.ReplyMarkup == nil {
		return nil
	}
	var out []InlineKeyboardButton
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		out = append(out, row...)
	}
	return out
}

// Terminal renders the message for a terminal, as the demo shows it: the
// text with its entities as ANSI styles (or plain when ansi is false), the
// target of each link after its text, and the buttons numbered below.
func (m SentMessage) Terminal(ansi bool) string {
	units := utf16.Encode([]rune(m.Text))
	var b strings.Builder
	active := ""
	for i := 0; i <= len(units); i++ {
		for _, e := range m.Entities {
			if e.Type == "text_link" && e.Offset+e.Length == i && e.URL != string(utf16.Decode(units[e.Offset:i])) {
				if ansi && active != "" {
					b.WriteString("\x1b[0m")
					active = ""
				}
				fmt.Fprintf(&b, " (%s)", e.URL)
			}
		}
		if i == len(units) {
			break
		}
		if ansi {
			if style := styleAt(m.Entities, i); style != active {
				b.WriteString("\x1b[0m")
				if style != "" {
					b.WriteString("\x1b[" + style + "m")
				}
				active = style
			}
		}
		r := rune(units[i])
		if utf16.IsSurrogate(r) && i+1 < len(units) {
			r = utf16.DecodeRune(r, rune(units[i+1]))
			i++
		}
		b.WriteRune(r)
	}
	if ansi && active != "" {
		b.WriteString("\x1b[0m")
	}
	n := 0
	for _, row := range buttonRows(m.ReplyMarkup) {
		b.WriteString("\n")
		for k, btn := range row {
			n++
			if k > 0 {
				b.WriteString(" ")
			}
			if btn.URL != nil {
				fmt.Fprintf(&b, "[%d %s → %s]", n, btn.Text, *btn.URL)
			} else {
				fmt.Fprintf(&b, "[%d %s]", n, btn.Text)
			}
		}
	}
	return b.String()
}

func buttonRows(kb *InlineKeyboardMarkup) [][]InlineKeyboardButton {
	if kb == nil {
		return nil
	}
	return kb.InlineKeyboard
}

// styleAt joins the ANSI codes of the entities covering UTF-16 unit i.
func styleAt(ents []MessageEntity, i int) string {
	var codes []string
	for _, e := range ents {
		if e.Offset <= i && i < e.Offset+e.Length {
			if c, ok := ansiStyles[e.Type]; ok {
				codes = append(codes, c)
			}
		}
	}
	return strings.Join(codes, ";")
}
