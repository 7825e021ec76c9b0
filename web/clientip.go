package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// clientIP is the address that sign-in and portal limits count against:
// the connection's peer, unless the peer is a proxy the operator trusts
// (serve --trusted-proxy), as when several serve processes sit behind a load
// balancer. Then it is the nearest address in X-Forwarded-For that is not
// itself a trusted proxy: anyone can write that header, so it is read only
// when a trusted proxy sent it, and from the right, where the proxies
// appended what they saw. Without this, every user behind the balancer
// would share one limit, and one person could lock everyone out.
func (s *Server) clientIP(r *http.Request) string {
	peer := r.RemoteAddr
	if host, _, err := net.SplitHostPort(peer); err == nil {
		peer = host
	}
	addr, err := netip.ParseAddr(peer)
	if err != nil || !s.trustedProxy(addr) {
		return peer
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	nearest := addr
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a malformed entry: trust nothing beyond it
		}
		if !s.trustedProxy(hop) {
			return hop.String()
		}
		nearest = hop
	}
	return nearest.String()
}

// forwardedTLS reports whether a trusted proxy says the client's connection
// to it was TLS (X-Forwarded-Proto: https). From a peer that is not a
// trusted proxy, or with no --trusted-proxy at all, the header counts for
// nothing: otherwise anyone could switch on __Host- cookies and HSTS for
// a plain-HTTP server.
func (s *Server) forwardedTLS(r *http.Request) bool {
	peer := r.RemoteAddr
	if host, _, err := net.SplitHostPort(peer); err == nil {
		peer = host
	}
	addr, err := netip.ParseAddr(peer)
	if err != nil || !s.trustedProxy(addr) {
		return false
	}
	proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	return strings.EqualFold(strings.TrimSpace(proto), "https")
}

func (s *Server) trustedProxy(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ParseProxies reads a comma-separated list of addresses and CIDR ranges.
func ParseProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, err
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
