package feeds

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"sort"
	"strings"
)

// An article is known by up to three dedup keys, stored in article_keys:
//
//	g:<feed id>\x00<guid>  GUIDs are only unique within one feed
//	l:<canonical link>     the same story reached through two feeds
//	h:<sha256 of text>     only for items with neither GUID nor link
//
// An item is new when none of its keys is known. An item edited in place
// keeps its GUID (or link), so it is not new.

// trackingParams are query parameters that identify a campaign, not a page.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "yclid": true, "dclid": true, "msclkid": true,
	"mc_cid": true, "mc_eid": true, "_openstat": true, "igshid": true,
}

// CanonicalLink normalises an article URL for identity: lower-case scheme and
// host, default port and fragment removed, utm_* and click-id parameters
// removed, remaining parameters sorted. Non-http(s) or unparsable links are
// returned trimmed but otherwise unchanged.
func CanonicalLink(raw string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return truncate(raw, maxLink)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return truncate(raw, maxLink)
	}
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	u.Host = host
	u.Fragment, u.RawFragment = "", ""
	u.User = nil
	if u.Path == "" {
		u.Path = "/"
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			if trackingParams[strings.ToLower(k)] || strings.HasPrefix(strings.ToLower(k), "utm_") {
				delete(q, k)
			}
		}
		u.RawQuery = encodeSorted(q)
	}
	u.ForceQuery = false
	return truncate(u.String(), maxLink)
}

func encodeSorted(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range q[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k))
			if v != "" {
				b.WriteByte('=')
				b.WriteString(url.QueryEscape(v))
			}
		}
	}
	return b.String()
}

// articleKeys are the dedup keys of a parsed article of feed feedID. useLink
// is false when the link is shared by several items of the feed (a feed that
// links every item to its home page).
func articleKeys(feedID string, a Article, useLink bool) []string {
	var keys []string
	if a.GUID != "" {
		keys = append(keys, "g:"+feedID+"\x00"+a.GUID)
	}
	if a.Link != "" && useLink {
		keys = append(keys, "l:"+a.Link)
	}
	if len(keys) == 0 {
		keys = append(keys, "h:"+contentHash(a))
	}
	return keys
}

func shaHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

func contentHash(a Article) string {
	h := sha256.New()
	h.Write([]byte(a.Title))
	h.Write([]byte{0})
	h.Write([]byte(a.Summary))
	h.Write([]byte{0})
	h.Write([]byte(a.Link))
	return hex.EncodeToString(h.Sum(nil)[:16])
}
