package config

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"sort"
	"strings"
)

// Notes are what check-config tells about a valid configuration that is
// probably not what its author meant: nothing here is refused (each can be
// on purpose), but each would otherwise show only as a feed that fails or a
// feature that silently stays off.
func (c *Config) Notes() []string {
	var notes []string
	if len(c.Feeds) == 0 {
		notes = append(notes, "no feeds yet: list them under feeds: (or `newsalert feeds add URL`); the bot reads nothing until then")
	}
	if !c.Fetch.AllowPrivateNetworks {
		for i, f := range c.Feeds {
			if host, ok := privateHost(f.URL); ok {
				notes = append(notes, fmt.Sprintf("feeds[%d] (%s): %s is a private address, refused while fetch.allow_private_networks is false", i, f.ID, host))
			}
		}
	}
	if c.Translate.Provider == "" && (c.Translate.URL != "" || c.Translate.APIKey != "") {
		notes = append(notes, "translate: no provider, so translation is off; set translate.provider: libretranslate to use "+orDash(c.Translate.URL))
	}
	// An outlet with one edition pairs nothing: usually a typo in edition:.
	count := map[string][]string{}
	for _, f := range c.Feeds {
		if f.Edition != "" {
			count[f.Edition] = append(count[f.Edition], f.ID)
		}
	}
	outlets := make([]string, 0, len(count))
	for o := range count {
		outlets = append(outlets, o)
	}
	sort.Strings(outlets)
	for _, o := range outlets {
		if len(count[o]) != 1 {
			continue
		}
		n := fmt.Sprintf("outlet %q has one edition (%s): nothing to pair it with", o, count[o][0])
		if like := similar(o, outlets); like != "" {
			n += fmt.Sprintf("; did you mean edition: %s?", like)
		}
		notes = append(notes, n)
	}
	return notes
}

func orDash(s string) string {
	if s == "" {
		return "it"
	}
	return s
}

// privateHost reports the host of a feed URL that is a loopback, private or
// link-local address written as such (DNS names other than localhost are
// only known at fetch time).
func privateHost(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return host, true
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return "", false
	}
	ip := net.IP(a.AsSlice())
	return host, ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified()
}

// similar is another outlet name one edit away from o (a typo), or "".
func similar(o string, names []string) string {
	for _, n := range names {
		if n != o && oneEdit(o, n) {
			return n
		}
	}
	return ""
}

// oneEdit: a and b differ by one insertion, deletion, substitution or
// swap of neighbours.
func oneEdit(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > len(rb) {
		ra, rb = rb, ra
	}
	if len(rb)-len(ra) > 1 {
		return false
	}
	i := 0
	for i < len(ra) && ra[i] == rb[i] {
		i++
	}
	if len(ra) == len(rb) {
		if i+1 < len(ra) && ra[i] == rb[i+1] && ra[i+1] == rb[i] && string(ra[i+2:]) == string(rb[i+2:]) {
			return true
		}
		return i < len(ra) && string(ra[i+1:]) == string(rb[i+1:])
	}
	return string(ra[i:]) == string(rb[i+1:])
}
