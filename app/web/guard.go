package web

import (
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// maxAddresses bounds how many client addresses the rate limiter
// remembers; past it, every new address shares one limiter.
const maxAddresses = 4096

// guard limits the request rate of each client address.
type guard struct {
	mu       sync.Mutex
	limits   Limits
	now      func() time.Time
	byAddr   map[string]*addrLimit
	overflow *rate.Limiter // shared by addresses past maxAddresses
}

type addrLimit struct {
	lim  *rate.Limiter
	seen time.Time
}

func newGuard(l Limits, now func() time.Time) *guard {
	return &guard{
		limits:   l,
		now:      now,
		byAddr:   make(map[string]*addrLimit),
		overflow: rate.NewLimiter(rate.Limit(l.Rate), l.Burst),
	}
}

// clientAddr is the request's remote IP (no port). No proxy sits in front
// of this server, so forwarded-for headers are ignored.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// allow reports whether the request's address is within its rate.
func (g *guard) allow(r *http.Request) bool {
	addr := clientAddr(r)
	now := g.now()
	g.mu.Lock()
	defer g.mu.Unlock()
	a, ok := g.byAddr[addr]
	if !ok {
		if len(g.byAddr) >= maxAddresses {
			return g.overflow.AllowN(now, 1)
		}
		a = &addrLimit{lim: rate.NewLimiter(rate.Limit(g.limits.Rate), g.limits.Burst)}
		g.byAddr[addr] = a
	}
	a.seen = now
	return a.lim.AllowN(now, 1)
}

// forget drops the addresses not seen for ten minutes.
func (g *guard) forget() {
	cut := g.now().Add(-10 * time.Minute)
	g.mu.Lock()
	defer g.mu.Unlock()
	for k, a := range g.byAddr {
		if a.seen.Before(cut) {
			delete(g.byAddr, k)
		}
	}
}
