package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"canvass/survey/run"
)

// The repeat pages follow the GOV.UK "add to a list" pattern: each
// instance's pages carry its title ("Person 2 of 3") and a "Remove this
// person" button; the repeat's own page lists the instances so far, each
// with Change and Remove, then offers "Add another person" and Continue.
// Removing always asks first, on a page of its own. The texts about the
// repeat come from the engine (the Fyne form shows the same words); the
// words below are the pages' own.
const (
	msgChange       = "Change"
	msgRemove       = "Remove"
	msgYesRemove    = "Yes, remove"
	msgNoKeep       = "No, keep"
	msgNoAnswersYet = "No answers yet"
	msgOutOfDate    = "That page was out of date, so nothing on it was saved or removed. Please check the page below."
	msgGone         = "That was already removed, or the page was out of date: nothing was changed."
	msgCannotChange = "That could not be done just now. Nothing was changed."
)

// pendingRemove is a removal the respondent has asked for and not yet
// confirmed: the instance and the device's generation when it was asked.
type pendingRemove struct {
	Key string
	Gen int
	// Prompt is the key of the repeat whose list the removal was asked
	// from ("" from the instance's own page): the list shows again after.
	Prompt string
}

// pageToken names the page a form shows, so a POST is applied only to the
// page it was made for: its index, the device's generation (how many
// instances it has removed: removing renumbers the later ones) and the
// instance or repeat the page belongs to (adding moves later pages).
func pageToken(sess *run.Session, gen int) string {
	pg := sess.Page()
	id := ""
	switch {
	case pg.Prompt != nil:
		id = pg.Prompt.Key + "#" + strconv.Itoa(pg.Prompt.Count)
	case pg.Instance != nil:
		id = pg.Instance.Key
	}
	if gen == 0 && id == "" {
		return strconv.Itoa(sess.PageIndex())
	}
	return fmt.Sprintf("%d.%d.%s", sess.PageIndex(), gen, id)
}

// tokenGen returns the generation a page token was made in (0 for a plain index).
func tokenGen(token string) int {
	parts := strings.SplitN(token, ".", 3)
	if len(parts) < 3 {
		return 0
	}
	n, err := strconv.Atoi(parts[1])
	if err != nil {
		return -1
	}
	return n
}

// instanceView is one instance on the repeat's page.
type instanceView struct {
	Key, Title, Summary string
}

// promptView is what the repeat's page shows besides the layout.
type promptView struct {
	Summary   string // "You have told us about 2 people."
	Instances []instanceView
	CanAdd    bool
	AddLabel  string
	Full      string // why there is no Add: "You can add at most 3 people."
	// ID names the Add button; Error is the repeat's limit not met ("Add
	// at least 1 person."), shown above it with id ID-error.
	ID, Error string
	// Words in the respondent's language.
	ChangeText, RemoveText, ErrorPrefix string
}

// instanceFirstPages maps each instance key of the session to the index of
// its first page and its Instance.
func instanceFirstPages(sess *run.Session) (map[string]int, map[string]*run.Instance) {
	first, inst := map[string]int{}, map[string]*run.Instance{}
	for i, pg := range sess.Pages() {
		if in := pg.Instance; in != nil {
			if _, ok := first[in.Key]; !ok {
				first[in.Key], inst[in.Key] = i, in
			}
		}
	}
	return first, inst
}

// instanceSummary is a short reminder of an instance on the repeat's page:
// its first answers, as given.
func instanceSummary(sess *run.Session, key string) string {
	var parts []string
	for _, pg := range sess.Pages() {
		if pg.Instance == nil || pg.Instance.Key != key {
			continue
		}
		for _, f := range pg.Fields {
			if v := strings.TrimSpace(sess.Value(f.Key)); v != "" && len(parts) < 2 {
				if cs := sess.Choices(f.Key); len(cs) > 0 {
					v = choiceLabels(sess, f.Key, v)
				}
				parts = append(parts, v)
			}
		}
	}
	s := strings.Join(parts, ", ")
	if r := []rune(s); len(r) > 80 {
		s = string(r[:79]) + "…"
	}
	return s
}

// choiceLabels turns stored choice names into their labels.
func choiceLabels(sess *run.Session, key, value string) string {
	label := map[string]string{}
	for _, c := range sess.AllChoices(key) {
		label[c.Name] = sess.Text(c.Label)
	}
	var out []string
	for _, n := range strings.Fields(value) {
		if l, ok := label[n]; ok && l != "" {
			out = append(out, l)
		} else {
			out = append(out, n)
		}
	}
	return strings.Join(out, ", ")
}

// prompt builds the repeat page's view, with the engine's problem with
// the repeat's limits (problem, "" for none).
func (p *pages) prompt(d *device, pr *run.RepeatPrompt, problem string) *promptView {
	sess := d.sess
	t := func(s string) string { return run.Message(d.lang, s) }
	v := &promptView{
		Summary:    pr.Summary,
		CanAdd:     pr.CanAdd,
		AddLabel:   pr.AddLabel,
		Full:       pr.Full,
		ID:         fieldID(pr.Key),
		Error:      problem,
		ChangeText: t(msgChange), RemoveText: t(msgRemove), ErrorPrefix: t(msgErrorPrefix),
	}
	for _, in := range sess.PromptInstances(pr) {
		sum := instanceSummary(sess, in.Key)
		if sum == "" {
			sum = t(msgNoAnswersYet)
		}
		v.Instances = append(v.Instances, instanceView{Key: in.Key, Title: in.Title, Summary: sum})
	}
	return v
}

// removable returns the instance key names, if it is an instance of the
// session that the respondent may remove now.
func removable(sess *run.Session, key string) (*run.Instance, bool) {
	_, inst := instanceFirstPages(sess)
	in, ok := inst[key]
	if !ok || in.Fixed {
		return nil, false
	}
	return in, true
}

// postRepeat handles a repeat action of a form POST made for the current
// page (the caller has applied and saved the page's answers). It reports
// whether it answered the request.
func (p *pages) postRepeat(w http.ResponseWriter, r *http.Request, d *device, form *posted) bool {
	sess := d.sess
	pg := sess.Page()
	switch form.Action {
	case "add":
		if pg.Prompt == nil || !pg.Prompt.CanAdd {
			p.showPage(w, d, http.StatusConflict, nil, []string{run.Message(d.lang, msgCannotChange)})
			return true
		}
		if err := sess.AddInstance(pg.Prompt.Key); err != nil {
			p.s.cfg.ErrorLog(fmt.Errorf("web: add an instance of %s: %w", pg.Prompt.Key, err))
			p.showPage(w, d, http.StatusConflict, nil, []string{run.Message(d.lang, msgCannotChange)})
			return true
		}
		if err := sess.Save(r.Context()); err != nil { // the new instance's defaults
			p.s.cfg.ErrorLog(fmt.Errorf("web: save answers: %w", err))
			p.showPage(w, d, http.StatusServiceUnavailable, nil, []string{run.Message(d.lang, msgSaveFailed)})
			return true
		}
		d.forgetTyped()
		d.changing = nil
		p.redirect(w, r, "/form")
		return true
	case "change":
		first, _ := instanceFirstPages(sess)
		i, ok := first[form.Instance]
		if !ok || pg.Prompt == nil {
			p.showPage(w, d, http.StatusConflict, nil, []string{run.Message(d.lang, msgGone)})
			return true
		}
		sess.GoTo(i)
		d.changing = &changeReturn{Instance: form.Instance, Prompt: pg.Prompt.Key}
		d.forgetTyped()
		p.redirect(w, r, "/form")
		return true
	case "remove":
		key := form.Instance
		if pg.Instance != nil && key == "" {
			key = pg.Instance.Key
		}
		if _, ok := removable(sess, key); !ok {
			p.showPage(w, d, http.StatusConflict, nil, []string{run.Message(d.lang, msgGone)})
			return true
		}
		d.removing = &pendingRemove{Key: key, Gen: d.gen}
		if pg.Prompt != nil {
			d.removing.Prompt = pg.Prompt.Key
		}
		p.redirect(w, r, "/remove")
		return true
	}
	return false
}

// changeReturn is an instance opened with Change on its repeat's list:
// once Continue leaves the instance's pages, the list shows again (GOV.UK
// "add to a list"), not the instances after it.
type changeReturn struct {
	Instance string // the instance's key
	Prompt   string // its repeat's key
}

// backToList shows the repeat's list again after Next has left the
// instance opened with Change (the engine's next page is any other).
func backToList(d *device) {
	c := d.changing
	if c == nil {
		return
	}
	sess := d.sess
	if in := sess.Page().Instance; in != nil && (in.Key == c.Instance || strings.HasPrefix(in.Key, c.Instance+"/")) && sess.Page().Prompt == nil {
		return // still inside it
	}
	if pr := sess.Page().Prompt; pr != nil && strings.HasPrefix(pr.Key, c.Instance+"/") {
		return // a repeat inside it
	}
	d.changing = nil
	for i, pg := range sess.Pages() {
		if pg.Prompt != nil && pg.Prompt.Key == c.Prompt {
			sess.GoTo(i)
			return
		}
	}
}

// removeView is the page that asks before removing an instance.
type removeView struct {
	view
	Key, Gen        string
	Question        string
	Summary         string // the instance's first answers, to say who it is
	YesText, NoText string
}

// getRemove asks before removing the instance the respondent chose.
func (p *pages) getRemove(w http.ResponseWriter, r *http.Request, d *device) {
	if d.finished || d.sess == nil || d.removing == nil {
		p.redirect(w, r, "/form")
		return
	}
	in, ok := removable(d.sess, d.removing.Key)
	if !ok || d.removing.Gen != d.gen {
		d.removing = nil
		p.showPage(w, d, http.StatusConflict, nil, []string{run.Message(d.lang, msgGone)})
		return
	}
	t := func(s string) string { return run.Message(d.lang, s) }
	v := removeView{
		view: p.baseView(d, in.RemoveQuestion),
		Key:  in.Key, Gen: strconv.Itoa(d.gen),
		Question: in.RemoveQuestion, Summary: instanceSummary(d.sess, in.Key),
		YesText: t(msgYesRemove), NoText: t(msgNoKeep),
	}
	p.render(w, http.StatusOK, "remove", v)
}

// postRemove removes the instance once the respondent has said yes. A
// second press of the button, or a confirmation page left open while the
// instances changed, alters nothing and says so.
func (p *pages) postRemove(w http.ResponseWriter, r *http.Request, d *device, body []byte) {
	if d.finished || d.sess == nil {
		p.redirect(w, r, "/")
		return
	}
	vals, _ := url.ParseQuery(string(body))
	key, gen, answer := vals.Get("instance"), vals.Get("gen"), vals.Get("confirm")
	pending := d.removing
	if pending == nil || pending.Key != key || gen != strconv.Itoa(d.gen) || pending.Gen != d.gen {
		p.showPage(w, d, http.StatusConflict, nil, []string{run.Message(d.lang, msgGone)})
		return
	}
	d.removing = nil
	if answer != "yes" {
		p.redirect(w, r, "/form")
		return
	}
	if _, ok := removable(d.sess, key); !ok {
		p.showPage(w, d, http.StatusConflict, nil, []string{run.Message(d.lang, msgGone)})
		return
	}
	if err := d.sess.RemoveInstance(r.Context(), key); err != nil {
		p.s.cfg.ErrorLog(fmt.Errorf("web: remove %s: %w", key, err))
		p.showPage(w, d, http.StatusServiceUnavailable, nil, []string{run.Message(d.lang, msgSaveFailed)})
		return
	}
	d.gen++
	d.forgetTyped()
	d.changing = nil
	if pending.Prompt != "" {
		for i, pg := range d.sess.Pages() {
			if pg.Prompt != nil && pg.Prompt.Key == pending.Prompt {
				d.sess.GoTo(i)
				break
			}
		}
	}
	p.redirect(w, r, "/form")
}
