package web

import (
	"bytes"
	"context"
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"canvass/survey"
	"canvass/survey/run"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/canvass.css
var stylesheet []byte

// pages renders the respondent pages and handles their POSTs.
type pages struct {
	s    *Server
	tmpl map[string]*template.Template
}

func newPages(s *Server) (*pages, error) {
	funcs := template.FuncMap{"t": run.Message}
	base, err := template.New("layout").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse layout: %w", err)
	}
	p := &pages{s: s, tmpl: map[string]*template.Template{}}
	for _, name := range []string{"start", "form", "done", "message", "remove"} {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: parse %s page: %w", name, err)
		}
		p.tmpl[name] = t
	}
	return p, nil
}

// serve routes a request whose token has been checked; rest is the path
// after the token.
func (p *pages) serve(w http.ResponseWriter, r *http.Request, rest string) {
	switch {
	case rest == "/assets/canvass.css" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "private, max-age=3600")
		w.Write(stylesheet)
	case rest == "/" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		p.getStart(w, r)
	case rest == "/form" && r.Method == http.MethodGet:
		p.withDevice(w, r, p.getForm)
	case rest == "/done" && r.Method == http.MethodGet:
		p.withDevice(w, r, p.getDone)
	case rest == "/remove" && r.Method == http.MethodGet:
		p.withDevice(w, r, p.getRemove)
	case r.Method == http.MethodPost && (rest == "/start" || rest == "/form" || rest == "/language" || rest == "/again" || rest == "/remove"):
		p.post(w, r, rest)
	default:
		http.NotFound(w, r)
	}
}

// view is what every page's layout needs.
type view struct {
	Lang        string
	Title       string
	SurveyTitle string
	Prefix      string
	CSRF        string
	Languages   []languageView
	HasErrors   bool
	Heading     string
	Paragraphs  []string
}

type languageView struct {
	Code, Name string
	Current    bool
}

// baseView fills the layout's part of a page for device d (nil before it has a cookie).
func (p *pages) baseView(d *device, title string) view {
	def := p.s.def
	lang := def.DefaultLanguage()
	csrf := ""
	if d != nil {
		lang, csrf = d.lang, d.csrf
	}
	v := view{
		Lang:        lang,
		SurveyTitle: def.Title.In(lang, def.DefaultLanguage()),
		Prefix:      p.s.prefix,
		CSRF:        csrf,
	}
	v.Title = v.SurveyTitle
	if title != "" {
		v.Title = title + " – " + v.SurveyTitle
	}
	for _, l := range def.Languages {
		name := l.Name
		if name == "" {
			name = l.Code
		}
		v.Languages = append(v.Languages, languageView{Code: l.Code, Name: name, Current: l.Code == lang})
	}
	return v
}

// render writes a page with the given status.
func (p *pages) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := p.tmpl[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		p.s.cfg.ErrorLog(fmt.Errorf("web: render %s: %w", name, err))
		http.Error(w, "Something went wrong. Please try again.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// message shows a page with a heading and paragraphs, in the device's language.
func (p *pages) message(w http.ResponseWriter, d *device, status int, heading string, paras ...string) {
	v := p.baseView(d, "")
	t := func(s string) string { return run.Message(v.Lang, s) }
	v.Heading = t(heading)
	v.Title = v.Heading + " – " + v.SurveyTitle
	for _, s := range paras {
		v.Paragraphs = append(v.Paragraphs, t(s))
	}
	p.render(w, status, "message", v)
}

// expired answers a request from a device the server does not know (no
// cookie, a forgotten one, or one from before serving restarted).
func (p *pages) expired(w http.ResponseWriter, status int) {
	p.message(w, nil, status, "This page has expired",
		"Your answers so far are saved. To carry on, go back to the start of the survey.")
}

// setCookie gives the device its cookie: HttpOnly, SameSite=Strict, only
// for this server's token path.
func (p *pages) setCookie(w http.ResponseWriter, d *device) {
	http.SetCookie(w, &http.Cookie{
		Name:     cookieName,
		Value:    d.id,
		Path:     p.s.prefix + "/",
		HttpOnly: true,
		SameSite: http.SameSiteStrictMode,
	})
}

// redirect sends the browser to a page after a POST (303, so a reload
// does not repeat the POST).
func (p *pages) redirect(w http.ResponseWriter, r *http.Request, page string) {
	http.Redirect(w, r, p.s.prefix+page, http.StatusSeeOther)
}

// withDevice runs h for the request's device, locked; a request without a
// known device goes to the start page.
func (p *pages) withDevice(w http.ResponseWriter, r *http.Request, h func(http.ResponseWriter, *http.Request, *device)) {
	d := p.s.devices.lookup(r)
	if d == nil {
		p.redirect(w, r, "/")
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	defer d.sync()
	p.wake(r.Context(), d)
	h(w, r, d)
}

// wake brings back a response kept as abandoned while its device was away.
func (p *pages) wake(ctx context.Context, d *device) {
	if !d.idle {
		return
	}
	d.idle = false
	if id := d.responseID(); id != "" {
		if err := p.s.cfg.Store.SetStatus(ctx, id, survey.StatusDraft); err != nil {
			p.s.cfg.ErrorLog(fmt.Errorf("web: resume response %s: %w", id, err))
		}
	}
}

// getStart shows the start page, or sends a device that has started back
// to where it was.
func (p *pages) getStart(w http.ResponseWriter, r *http.Request) {
	d := p.s.devices.lookup(r)
	if d == nil {
		var err error
		d, err = p.s.devices.add(p.s.def.DefaultLanguage())
		if err != nil {
			p.busy(w, nil)
			return
		}
		p.setCookie(w, d)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	defer d.sync()
	switch {
	case d.finished:
		p.redirect(w, r, "/done")
		return
	case d.sess != nil:
		p.redirect(w, r, "/form")
		return
	}
	v := p.baseView(d, "")
	if desc := p.s.def.Description.In(v.Lang, p.s.def.DefaultLanguage()); desc != "" {
		v.Paragraphs = paragraphs(desc)
	}
	p.render(w, http.StatusOK, "start", v)
}

// busy says the server has as many respondents as it takes.
func (p *pages) busy(w http.ResponseWriter, d *device) {
	w.Header().Set("Retry-After", "60")
	p.message(w, d, http.StatusServiceUnavailable, "Too many people are answering at the moment",
		"Please try again in a few minutes.")
}

// paragraphs splits text at blank lines.
func paragraphs(s string) []string {
	var out []string
	for _, part := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func (p *pages) getDone(w http.ResponseWriter, r *http.Request, d *device) {
	if !d.finished {
		p.redirect(w, r, "/")
		return
	}
	v := p.baseView(d, run.Message(d.lang, "Thank you"))
	p.render(w, http.StatusOK, "done", v)
}

func (p *pages) getForm(w http.ResponseWriter, r *http.Request, d *device) {
	switch {
	case d.finished:
		p.redirect(w, r, "/done")
	case d.sess == nil:
		p.redirect(w, r, "/")
	default:
		p.showPage(w, d, http.StatusOK, nil, nil)
	}
}

// post checks what every POST must carry — a known device, a form body
// within the size limit, the device's CSRF token, no foreign Origin — then
// hands over to the action.
func (p *pages) post(w http.ResponseWriter, r *http.Request, rest string) {
	if origin := r.Header.Get("Origin"); origin != "" && origin != "null" {
		if u, err := url.Parse(origin); err != nil || u.Host != r.Host {
			http.Error(w, "Forbidden: this form was sent from another site.", http.StatusForbidden)
			return
		}
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/x-www-form-urlencoded" {
		http.Error(w, "Unsupported form encoding.", http.StatusUnsupportedMediaType)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "The form sent is too large.", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "The form could not be read.", http.StatusBadRequest)
		return
	}
	d := p.s.devices.lookup(r)
	if d == nil {
		if _, err := r.Cookie(cookieName); err != nil {
			p.message(w, nil, http.StatusForbidden, "Cookies are needed to answer",
				"This survey keeps your place with one cookie, which is deleted when you close the browser. Please allow cookies for this page, then start again.")
			return
		}
		p.expired(w, http.StatusForbidden)
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	defer d.sync()
	var fields []postField
	if rest == "/form" && d.sess != nil && !d.finished {
		fields = pageFields(d.sess)
	}
	form, err := parsePost(string(body), fields)
	if err != nil {
		http.Error(w, "The form sent could not be understood.", http.StatusBadRequest)
		return
	}
	if subtle.ConstantTimeCompare([]byte(form.CSRF), []byte(d.csrf)) != 1 {
		p.expired(w, http.StatusForbidden)
		return
	}
	p.wake(r.Context(), d)
	switch rest {
	case "/start":
		p.postStart(w, r, d)
	case "/language":
		p.postLanguage(w, r, d, body)
	case "/again":
		p.postAgain(w, r, d)
	case "/form":
		p.postForm(w, r, d, form)
	case "/remove":
		p.postRemove(w, r, d, body)
	}
}

func (p *pages) postStart(w http.ResponseWriter, r *http.Request, d *device) {
	if d.finished || d.sess != nil {
		p.redirect(w, r, "/")
		return
	}
	if p.s.devices.answering() >= p.s.limits.MaxRespondents {
		p.busy(w, d)
		return
	}
	sess, err := run.New(run.Config{Survey: p.s.def, Store: p.s.cfg.Store, Language: d.lang, Username: p.s.staff, Clock: p.s.cfg.Now})
	if err != nil {
		p.s.cfg.ErrorLog(fmt.Errorf("web: start a session: %w", err))
		p.message(w, d, http.StatusInternalServerError, "Sorry, there is a problem with this survey",
			"Please tell a member of staff.")
		return
	}
	d.sess = sess
	p.redirect(w, r, "/form")
}

func (p *pages) postLanguage(w http.ResponseWriter, r *http.Request, d *device, body []byte) {
	vals, _ := url.ParseQuery(string(body))
	code := vals.Get("lang")
	known := false
	for _, l := range p.s.def.Languages {
		known = known || l.Code == code
	}
	if !known {
		http.Error(w, "Unknown language.", http.StatusBadRequest)
		return
	}
	d.lang = code
	if d.sess != nil && !d.finished {
		d.sess.SetLanguage(code)
		if err := d.sess.Save(r.Context()); err != nil {
			p.s.cfg.ErrorLog(fmt.Errorf("web: save language: %w", err))
		}
	}
	p.redirect(w, r, "/")
}

func (p *pages) postAgain(w http.ResponseWriter, r *http.Request, d *device) {
	if d.finished {
		d.sess, d.finished, d.removing, d.changing = nil, false, nil, nil
		d.forgetTyped()
		if csrf, err := randomID(); err == nil {
			d.csrf = csrf
		}
	}
	p.redirect(w, r, "/")
}
