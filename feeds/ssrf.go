package feeds

import (
	"net"
	"net/netip"
	"syscall"
)

// The SSRF guard runs in net.Dialer.Control, i.e. on the address the dialer
// is about to connect to after DNS resolution. That covers host names that
// resolve to internal addresses (and DNS rebinding), redirects to internal
// hosts, and literal IPs in any spelling the resolver accepts.

// blockedPrefixes are the ranges a feed may never live in unless
// AllowPrivateNetworks is set.
var blockedPrefixes = func() []netip.Prefix {
	var ps []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8",       // "this network", includes 0.0.0.0
		"10.0.0.0/8",      // private
		"100.64.0.0/10",   // CGNAT
		"127.0.0.0/8",     // loopback
		"169.254.0.0/16",  // link-local, cloud metadata 169.254.169.254
		"172.16.0.0/12",   // private
		"192.0.0.0/24",    // IETF protocol assignments
		"192.0.2.0/24",    // TEST-NET-1
		"192.168.0.0/16",  // private
		"198.18.0.0/15",   // benchmarking
		"198.51.100.0/24", // TEST-NET-2
		"203.0.113.0/24",  // TEST-NET-3
		"224.0.0.0/4",     // multicast
		"240.0.0.0/4",     // reserved, includes broadcast
		"::/128",          // unspecified
		"::1/128",         // loopback
		"64:ff9b::/96",    // NAT64 (embeds an IPv4 address)
		"64:ff9b:1::/48",  // local-use NAT64
		"100::/64",        // discard
		"2001::/32",       // Teredo (embeds an IPv4 address)
		"2001:db8::/32",   // documentation
		"2002::/16",       // 6to4 (embeds an IPv4 address)
		"fc00::/7",        // unique local
		"fe80::/10",       // link-local
		"fec0::/10",       // deprecated site-local
		"ff00::/8",        // multicast
	} {
		ps = append(ps, netip.MustParsePrefix(s))
	}
	return ps
}()

// isPublic reports whether a may be dialled with AllowPrivateNetworks off.
// IPv4-mapped and IPv4-compatible IPv6 forms are judged as the IPv4 address
// they carry.
func isPublic(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	a = a.Unmap()
	if a.Is6() {
		if b := a.As16(); isZero(b[:12]) {
			// IPv4-compatible ::a.b.c.d (deprecated) or ::/96: judge the IPv4 part.
			a = netip.AddrFrom4([4]byte(b[12:]))
		}
	}
	if a.IsLoopback() || a.IsPrivate() || a.IsUnspecified() || a.IsMulticast() ||
		a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast() {
		return false
	}
	for _, p := range blockedPrefixes {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

func isZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}

// dialGuard returns the net.Dialer.Control function that refuses
// non-public addresses. allow, when set (tests only), lets specific
// address:port pairs through as if they were public.
func dialGuard(allow func(netip.AddrPort) bool) func(network, address string, c syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			host, _, _ := net.SplitHostPort(address)
			a, perr := netip.ParseAddr(host)
			if perr != nil {
				return &privateAddrError{addr: netip.IPv4Unspecified()}
			}
			ap = netip.AddrPortFrom(a, 0)
		}
		if allow != nil && allow(ap) {
			return nil
		}
		if !isPublic(ap.Addr()) {
			return &privateAddrError{addr: ap.Addr().Unmap()}
		}
		return nil
	}
}
