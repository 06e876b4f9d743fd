package bot

import (
	"strings"

	"github.com/newsalert/newsalert/bot/i18n"
)

// maxEditionLinks bounds the editions line: an outlet has a few languages.
const maxEditionLinks = 8

// editionsLine is "Also in: EN · RU", each code a link to that edition;
// "" when there is none to show.
func (r *Renderer) editionsLine(lang string, eds []EditionLink) string {
	var links []string
	seen := map[string]bool{}
	for _, e := range eds {
		code := strings.ToUpper(cleanLine(e.Lang))
		href, ok := safeHref(e.Link)
		if !ok || code == "" || len(code) > 8 || seen[code] || len(links) == maxEditionLinks {
			continue
		}
		seen[code] = true
		links = append(links, `<a href="`+href+`">`+escapeHTML(code)+"</a>")
	}
	if len(links) == 0 {
		return ""
	}
	return escapeHTML(r.cat.Plain(lang, i18n.MsgAlertEditions, nil)) + " " + strings.Join(links, " · ")
}
