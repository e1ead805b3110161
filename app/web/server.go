package web

import (
	"canvass/survey/settings"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"canvass/survey"
	"canvass/survey/store"
)

// Limits bound what respondents' devices can ask of the server.
type Limits struct {
	MaxBody        int64         // bytes of a POST body; default 32 KiB
	MaxRespondents int           // devices answering at once; default 150
	Rate           float64       // requests a second from one address, sustained; default 10
	Burst          int           // requests from one address at once; default 40
	IdleAbandon    time.Duration // a response untouched this long is kept as abandoned; default 20 min
	ForgetAfter    time.Duration // a device untouched this long is forgotten; default 2 h
}

func (l Limits) withDefaults() Limits {
	if l.MaxBody <= 0 {
		l.MaxBody = 32 << 10
	}
	if l.MaxRespondents <= 0 {
		l.MaxRespondents = 150
	}
	if l.Rate <= 0 {
		l.Rate = 10
	}
	if l.Burst <= 0 {
		l.Burst = 40
	}
	if l.IdleAbandon <= 0 {
		l.IdleAbandon = 20 * time.Minute
	}
	if l.ForgetAfter <= 0 {
		l.ForgetAfter = 2 * time.Hour
	}
	if l.ForgetAfter < l.IdleAbandon {
		l.ForgetAfter = l.IdleAbandon
	}
	return l
}

// Config says which survey a Server offers and where it listens.
type Config struct {
	Store    *store.Store
	SurveyID string
	Version  int    // 0: the latest version
	Addr     string // HOST:PORT to listen on; "" means every address on a free port
	// Host is the address printed in the URL; "" picks the laptop's LAN
	// address (or the listening address when it is a specific one).
	Host   string
	Limits Limits
	// Now gives the time (for tests); nil means time.Now.
	Now func() time.Time
	// ErrorLog receives errors no respondent should see (a failing store); nil discards them.
	ErrorLog func(error)
}

// Server serves one survey to respondents' devices until Stop.
type Server struct {
	cfg     Config
	limits  Limits
	def     *survey.Survey
	staff   string // the staff name from Settings, for username questions
	token   string
	prefix  string // "/" + token
	url     string
	ln      net.Listener
	http    *http.Server
	pages   *pages
	devices *devices
	guard   *guard

	onLAN bool // the URL's host is one other devices can reach

	stopOnce sync.Once
	stopErr  error
	done     chan struct{}
}

// ErrNoSurvey is returned by Start when the survey cannot be served.
var ErrNoSurvey = errors.New("survey not found")

// newToken returns 128 random bits, URL-safe.
func newToken() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("make a random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// Start loads the survey, picks a new token and starts listening. The
// server runs until Stop or ctx ends.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("web: no store")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ErrorLog == nil {
		cfg.ErrorLog = func(error) {}
	}
	def, err := cfg.Store.Survey(ctx, cfg.SurveyID, cfg.Version)
	if err != nil {
		return nil, fmt.Errorf("survey %q: %w", cfg.SurveyID, err)
	}
	def, staff := settings.ForRespondents(ctx, cfg.Store, def)
	tok, err := newToken()
	if err != nil {
		return nil, err
	}
	addr := cfg.Addr
	if addr == "" {
		addr = ":0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	s := &Server{
		cfg:    cfg,
		limits: cfg.Limits.withDefaults(),
		def:    def,
		staff:  staff,
		token:  tok,
		prefix: "/" + tok,
		ln:     ln,
		done:   make(chan struct{}),
	}
	host := cfg.Host
	if host == "" {
		host, s.onLAN = urlHost(ln.Addr())
	} else {
		s.onLAN = true
	}
	port := ln.Addr().(*net.TCPAddr).Port
	s.url = fmt.Sprintf("http://%s/%s/", net.JoinHostPort(host, fmt.Sprint(port)), tok)
	s.guard = newGuard(s.limits, cfg.Now)
	s.devices = newDevices(s.limits, cfg.Now)
	s.pages, err = newPages(s)
	if err != nil {
		ln.Close()
		return nil, err
	}
	s.http = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          nil,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	go func() {
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			cfg.ErrorLog(fmt.Errorf("web: serve: %w", err))
		}
	}()
	go s.sweep()
	go func() {
		select {
		case <-ctx.Done():
			s.Stop(context.Background())
		case <-s.done:
		}
	}()
	return s, nil
}

// URL returns the respondents' address, token included.
func (s *Server) URL() string { return s.url }

// Reachable reports whether the URL names an address other devices can
// reach: false when no network was found and the URL fell back to this
// laptop's own loopback address.
func (s *Server) Reachable() bool { return s.onLAN }

// Survey returns the survey version being served.
func (s *Server) Survey() *survey.Survey { return s.def }

// Answering returns how many devices have a response under way.
func (s *Server) Answering() int { return s.devices.answering() }

// Done is closed once the server has stopped.
func (s *Server) Done() <-chan struct{} { return s.done }

// Stop stops accepting requests, waits for those under way (until ctx
// ends), then keeps every unfinished response as abandoned. Every answer
// was already saved when it was given. Stop may be called more than once.
func (s *Server) Stop(ctx context.Context) error {
	s.stopOnce.Do(func() {
		err := s.http.Shutdown(ctx)
		if err != nil {
			s.http.Close()
		}
		for _, id := range s.devices.closeAll() {
			if e := s.abandon(context.WithoutCancel(ctx), id); e != nil {
				err = errors.Join(err, e)
			}
		}
		s.stopErr = err
		close(s.done)
	})
	return s.stopErr
}

// abandon keeps an unfinished response as abandoned.
func (s *Server) abandon(ctx context.Context, responseID string) error {
	if err := s.cfg.Store.SetStatus(ctx, responseID, survey.StatusAbandoned); err != nil {
		return fmt.Errorf("web: keep response %s as abandoned: %w", responseID, err)
	}
	return nil
}

// sweep abandons idle responses and forgets idle devices, twice a minute.
func (s *Server) sweep() {
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return
		case <-t.C:
			s.sweepOnce()
		}
	}
}

// sweepOnce abandons the responses idle for longer than IdleAbandon.
func (s *Server) sweepOnce() {
	for _, id := range s.devices.idle() {
		if err := s.abandon(context.Background(), id); err != nil {
			s.cfg.ErrorLog(err)
		}
	}
	s.guard.forget()
}

// ServeHTTP checks the token, the limits and the common headers, then
// hands the request to the respondent pages.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w.Header())
	if !s.guard.allow(r) {
		w.Header().Set("Retry-After", "5")
		http.Error(w, "Too many requests. Please wait a few seconds and try again.", http.StatusTooManyRequests)
		return
	}
	rest, ok := s.stripToken(r.URL.Path)
	if !ok || r.URL.RawQuery != "" && r.Method == http.MethodPost {
		http.NotFound(w, r)
		return
	}
	if r.URL.Path == s.prefix { // the URL typed without its last slash
		http.Redirect(w, r, s.prefix+"/", http.StatusMovedPermanently)
		return
	}
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, s.limits.MaxBody)
	}
	s.pages.serve(w, r, rest)
}

// stripToken returns the path after the token, or false when the path does
// not start with the right token.
func (s *Server) stripToken(p string) (string, bool) {
	if len(p) < len(s.prefix) || subtle.ConstantTimeCompare([]byte(p[:len(s.prefix)]), []byte(s.prefix)) != 1 {
		return "", false
	}
	rest := p[len(s.prefix):]
	if rest == "" {
		return "/", true
	}
	if !strings.HasPrefix(rest, "/") {
		return "", false
	}
	return rest, true
}

// setSecurityHeaders sets the headers every answer carries: a CSP that
// allows only the server's own stylesheet, no framing, no sniffing, no
// referrer (the URL holds the token) and no caching.
func setSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
}
