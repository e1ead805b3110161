package central

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"canvass/survey"
	"canvass/survey/openrosa"
	"canvass/survey/store"
)

// PushOptions say what to send and how.
type PushOptions struct {
	// IncludeAbandoned sends abandoned responses too (complete ones always go).
	IncludeAbandoned bool
	// LeaveOutPersonal sends questions flagged personal empty.
	LeaveOutPersonal bool
	// Location is the zone times were answered in (nil: the computer's).
	Location *time.Location
	// Progress, if set, is called after each response with how many of
	// the responses to send are done.
	Progress func(done, total int)
	// Workers is how many submissions go at once (0: openrosa.PoolSize).
	Workers int
	// Retries is how often a submission is retried after the server
	// failed to answer or answered 5xx (0: 4), with a doubling pause from
	// RetryPause (0: 500 ms).
	Retries    int
	RetryPause time.Duration
}

// Summary says how a push went.
type Summary struct {
	Sent         int // sent for the first time
	Edited       int // changed since they were sent, sent again as edits
	AlreadyThere int // on the server as they are here
	Refused      int // the server said no (the message is stored with the response)
	Pending      int // not sent this time: will be sent later
	Refusals     []string
	// Later says why responses are pending ("" when none are): the server
	// did not answer, the push was cancelled, a survey version is not published.
	Later []string
}

// String is the one-line summary the CLI prints.
func (s Summary) String() string {
	return fmt.Sprintf("%d sent, %d edits sent, %d already there, %d refused, %d pending", s.Sent, s.Edited, s.AlreadyThere, s.Refused, s.Pending)
}

// ErrNotLinked: the survey has no version published to or pulled from this server.
var ErrNotLinked = errors.New("the survey is not linked to a form on this server")

// job is one submission to make.
type job struct {
	responseID string
	formID     string
	instanceID string
	deprecated string // the instanceID an edit replaces
	xml        []byte
	hash       string
	edit       bool
}

// linkedForm is a survey version with the shape of its published form.
type linkedForm struct {
	def   *survey.Survey
	shape *openrosa.Shape
}

// Push sends every complete (and, by choice, abandoned) response of the
// survey's linked versions that the server does not hold as it is here.
// A response changed after it was sent goes again as an edit naming the
// version it replaces (deprecatedID). Each response's state is stored as
// soon as the server answers, so a push cut short (even by kill -9) resumes
// where it stopped; the server keeps one copy of XML sent twice. When the
// server does not answer, the responses stay pending and the summary says
// they will be sent later: that is not an error.
func (c *Conn) Push(ctx context.Context, surveyID string, opts PushOptions) (Summary, error) {
	var sum Summary
	forms, err := c.linkedForms(ctx, surveyID, opts)
	if errors.Is(err, openrosa.ErrOffline) {
		// Without the form, count what was never sent (changes since are counted next time).
		states, serr := c.st.SendStates(ctx, c.Server())
		if serr != nil {
			return sum, serr
		}
		serr = c.st.EachResponse(ctx, survey.Filter{SurveyID: surveyID, Statuses: pushStatuses(opts)}, func(r *survey.Response) error {
			if states[r.ID].State != store.SendSent {
				sum.Pending++
			}
			return nil
		})
		if serr != nil {
			return sum, serr
		}
		sum.Later = append(sum.Later, err.Error()+": will send later")
		return sum, nil
	}
	if err != nil {
		return sum, err
	}
	jobs, err := c.plan(ctx, surveyID, forms, opts, &sum)
	if err != nil {
		return sum, err
	}
	if len(jobs) == 0 {
		return sum, nil
	}
	err = c.send(ctx, jobs, opts, &sum)
	if sum.Sent+sum.Edited+sum.Refused > 0 {
		c.audit(ctx, "central-sync", surveyID, sum.String()+" on "+c.Server())
	}
	return sum, err
}

func pushStatuses(opts PushOptions) []survey.Status {
	if opts.IncludeAbandoned {
		return []survey.Status{survey.StatusComplete, survey.StatusAbandoned}
	}
	return []survey.Status{survey.StatusComplete}
}

// linkedForms loads the survey's versions linked to this server with the
// shape of the exact form version each was published as.
func (c *Conn) linkedForms(ctx context.Context, surveyID string, opts PushOptions) (map[int]linkedForm, error) {
	links, err := c.st.CentralLinks(ctx, surveyID)
	if err != nil {
		return nil, err
	}
	forms := map[int]linkedForm{}
	for _, l := range links {
		if l.Server != c.Server() {
			continue
		}
		def, err := c.st.Survey(ctx, l.SurveyID, l.SurveyVersion)
		if err != nil {
			return nil, err
		}
		hash, err := definitionHash(def)
		if err != nil {
			return nil, err
		}
		if hash != l.DefinitionHash {
			return nil, fmt.Errorf("survey %q version %d changed after it was linked to form %q version %q on %s: publish it again as a new version before sending its responses",
				l.SurveyID, l.SurveyVersion, l.XMLFormID, l.FormVersion, c.Server())
		}
		xform, err := c.client.FormXML(ctx, l.XMLFormID, l.FormVersion)
		if err != nil {
			if errors.Is(err, openrosa.ErrNotFound) {
				return nil, fmt.Errorf("survey %q version %d was linked to form %q version %q, which %s does not hold (wrong form version): %w; "+
					"nothing was sent and every response is kept here — publish this survey version again, or pull the form's current version",
					l.SurveyID, l.SurveyVersion, l.XMLFormID, l.FormVersion, c.Server(), err)
			}
			return nil, err
		}
		shape, err := openrosa.ParseShape(xform)
		if err != nil {
			return nil, fmt.Errorf("form %q version %q: %w", l.XMLFormID, l.FormVersion, err)
		}
		if shape.FormID != l.XMLFormID || shape.Version != l.FormVersion {
			return nil, fmt.Errorf("form %q version %q on %s describes itself as %q version %q (wrong form version): nothing was sent",
				l.XMLFormID, l.FormVersion, c.Server(), shape.FormID, shape.Version)
		}
		forms[l.SurveyVersion] = linkedForm{def: def, shape: shape}
	}
	if len(forms) == 0 {
		return nil, fmt.Errorf("survey %q: %w %s; publish it there (canvass publish) or pull it from there first", surveyID, ErrNotLinked, c.Server())
	}
	return forms, nil
}

// leftOut names, per survey version, the questions whose answers are not
// sent: the personal ones (and their "other" texts) when on, none otherwise.
func leftOut(forms map[int]linkedForm, on bool) map[int]map[string]bool {
	out := map[int]map[string]bool{}
	for v, f := range forms {
		out[v] = map[string]bool{}
		if !on {
			continue
		}
		for _, q := range f.def.All() {
			if q.Personal {
				out[v][q.Name] = true
				out[v][q.OtherName()] = true
			}
		}
	}
	return out
}

// bodyHash is the fingerprint of what a response's submission says (its
// instance without meta): equal hashes mean the server holds it as it is.
func (f linkedForm) bodyHash(r *survey.Response, io openrosa.InstanceOptions) (string, error) {
	body, err := f.shape.Body(f.def, r, io)
	if err != nil {
		return "", err
	}
	sha := sha256.Sum256(body)
	return hex.EncodeToString(sha[:]), nil
}

// plan builds the submissions to make, counting what needs none.
func (c *Conn) plan(ctx context.Context, surveyID string, forms map[int]linkedForm, opts PushOptions, sum *Summary) ([]job, error) {
	states, err := c.st.SendStates(ctx, c.Server())
	if err != nil {
		return nil, err
	}
	leaveOut := leftOut(forms, opts.LeaveOutPersonal)
	unlinked := map[int]int{}
	conflicts := 0
	var jobs []job
	err = c.st.EachResponse(ctx, survey.Filter{SurveyID: surveyID, Statuses: pushStatuses(opts)}, func(r *survey.Response) error {
		f, ok := forms[r.SurveyVersion]
		if !ok {
			unlinked[r.SurveyVersion]++
			return nil
		}
		if r.Conflict != "" {
			conflicts++
			return nil
		}
		io := openrosa.InstanceOptions{Location: opts.Location, LeaveOut: leaveOut[r.SurveyVersion]}
		hash, err := f.bodyHash(r, io)
		if err != nil {
			return err
		}
		st, known := states[r.ID]
		if known && st.State == store.SendSent && st.SentHash == hash {
			sum.AlreadyThere++
			return nil
		}
		sub := openrosa.Submission{InstanceID: "uuid:" + r.ID}
		if known && st.InstanceID != "" {
			// An edit: a new instanceID that is the same every time this
			// version is sent, so that a resend is a duplicate, not a fork.
			sub = openrosa.Submission{
				InstanceID:   "uuid:" + uuid.NewSHA1(uuid.NameSpaceOID, []byte(r.ID+"/"+hash)).String(),
				DeprecatedID: st.InstanceID,
			}
		}
		xml, err := f.shape.Instance(f.def, r, sub, io)
		if err != nil {
			return err
		}
		jobs = append(jobs, job{responseID: r.ID, formID: f.shape.FormID, instanceID: sub.InstanceID, deprecated: sub.DeprecatedID,
			xml: xml, hash: hash, edit: sub.DeprecatedID != ""})
		return nil
	})
	if err != nil {
		return nil, err
	}
	versions := make([]int, 0, len(unlinked))
	for v, n := range unlinked {
		versions = append(versions, v)
		sum.Pending += n
	}
	sort.Ints(versions)
	for _, v := range versions {
		sum.Later = append(sum.Later, fmt.Sprintf("%d responses of version %d wait: that version is not published to %s", unlinked[v], v, c.Server()))
	}
	if conflicts > 0 {
		sum.Pending += conflicts
		sum.Later = append(sum.Later, fmt.Sprintf("%d responses wait until their merge conflict is resolved (Responses → conflicts)", conflicts))
	}
	return jobs, nil
}

// sentBatch is how many accepted responses are stored in one transaction.
const sentBatch = 50

// outcome is what happened to one job.
type outcome int

const (
	outSent outcome = iota
	outRefused
	outPending
)

// send makes the submissions with a small pool of workers.
func (c *Conn) send(parent context.Context, jobs []job, opts PushOptions, sum *Summary) error {
	workers := opts.Workers
	if workers <= 0 {
		workers = openrosa.PoolSize
	}
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	queue := make(chan job)
	var mu sync.Mutex
	var stopErr, later error // stopErr ends the push with an error; later leaves the rest pending
	done := 0
	record := func(j job, out outcome, err error) {
		mu.Lock()
		defer mu.Unlock()
		switch out {
		case outSent:
			if j.edit {
				sum.Edited++
			} else {
				sum.Sent++
			}
		case outRefused:
			sum.Refused++
			if len(sum.Refusals) < 20 {
				sum.Refusals = append(sum.Refusals, fmt.Sprintf("response %s: %v", j.responseID, err))
			}
		case outPending:
			sum.Pending++
		}
		done++
		if opts.Progress != nil {
			opts.Progress(done, len(jobs))
		}
	}
	stop := func(err error, fatal bool) {
		mu.Lock()
		defer mu.Unlock()
		if fatal && stopErr == nil {
			stopErr = err
		}
		if !fatal && later == nil {
			later = err
		}
		cancel()
	}
	// What the server accepted is stored in batches: one short write
	// transaction per batch keeps the laptop's own saves flowing. A crash
	// before a batch is stored only means those are sent again, and the
	// server keeps one copy of identical XML.
	accepted := make(chan store.Sent)
	recorded := make(chan error, 1)
	go func() {
		var batch []store.Sent
		var ferr error
		flush := func() {
			if ferr == nil {
				ferr = c.st.MarkSent(context.WithoutCancel(parent), c.Server(), batch)
			}
			batch = batch[:0]
		}
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case x, ok := <-accepted:
				if !ok {
					flush()
					recorded <- ferr
					return
				}
				batch = append(batch, x)
				if len(batch) >= sentBatch {
					flush()
				}
			case <-tick.C:
				flush()
			}
			if ferr != nil {
				stop(ferr, true)
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range queue {
				out, err := c.sendOne(ctx, j, opts)
				if out == outSent {
					accepted <- store.Sent{ResponseID: j.responseID, InstanceID: j.instanceID, Hash: j.hash}
				}
				switch {
				case out == outPending && (errors.Is(err, openrosa.ErrOffline) || errors.Is(err, context.Canceled)):
					stop(err, false)
				case out == outPending && err != nil:
					stop(err, true)
				}
				record(j, out, err)
			}
		}()
	}
	sent := 0
feed:
	for _, j := range jobs {
		select {
		case queue <- j:
			sent++
		case <-ctx.Done():
			break feed
		}
	}
	close(queue)
	wg.Wait()
	close(accepted)
	if err := <-recorded; err != nil {
		stop(err, true)
	}
	sum.Pending += len(jobs) - sent
	switch {
	case stopErr != nil:
		return stopErr
	case parent.Err() != nil:
		sum.Later = append(sum.Later, "cancelled: the rest will be sent next time")
	case later != nil:
		sum.Later = append(sum.Later, later.Error()+": will send later")
	}
	return nil
}

// sendOne submits one job with retries and stores its outcome. A pending
// outcome with an error other than ErrOffline or a cancellation stops the push.
func (c *Conn) sendOne(ctx context.Context, j job, opts PushOptions) (outcome, error) {
	retries, pause := opts.Retries, opts.RetryPause
	if retries <= 0 {
		retries = 4
	}
	if pause <= 0 {
		pause = 500 * time.Millisecond
	}
	var err error
	for attempt := 0; ; attempt++ {
		err = c.client.Submit(ctx, j.xml)
		if err == nil || !retryable(err) || attempt == retries {
			break
		}
		select {
		case <-time.After(pause << attempt):
		case <-ctx.Done():
			return outPending, ctx.Err()
		}
	}
	var p *openrosa.Problem
	if j.edit && errors.As(err, &p) && p.Status == http.StatusConflict {
		err = c.catchUp(ctx, &j, err)
	}
	// Store the outcome even if the push is being cancelled: the server answered.
	wctx := context.WithoutCancel(ctx)
	p = nil
	switch {
	case err == nil:
		return outSent, nil // stored by the batch recorder
	case errors.Is(err, openrosa.ErrCredentials), errors.Is(err, openrosa.ErrNotAllowed):
		return outPending, fmt.Errorf("%s refused the credentials; nothing more was sent and every response is kept here: %w", c.Server(), err)
	case errors.As(err, &p) && p.Status < 500 && p.Status != http.StatusTooManyRequests:
		msg := err.Error()
		if p.Status == http.StatusConflict && !j.edit {
			msg += " (the server holds a different version of this response, sent from another laptop or before it changed here)"
		}
		if serr := c.st.MarkUnsent(wctx, j.responseID, c.Server(), store.SendRefused, msg); serr != nil {
			return outPending, serr
		}
		return outRefused, errors.New(msg)
	case errors.Is(err, openrosa.ErrOffline), errors.Is(err, context.Canceled), errors.As(err, &p):
		if !errors.Is(err, context.Canceled) {
			if serr := c.st.MarkUnsent(wctx, j.responseID, c.Server(), store.SendPending, firstLine(err.Error())); serr != nil {
				return outPending, serr
			}
		}
		if p != nil && !errors.Is(err, openrosa.ErrOffline) {
			err = fmt.Errorf("%w: %w", openrosa.ErrOffline, err) // a server error after retries: try later
		}
		return outPending, err
	}
	return outPending, err
}

// catchUp handles an edit the server refused as out of date: an earlier
// edit reached the server but a crash kept it from being recorded here.
// It asks the server for the response's current version (web users may)
// and, unless that is this very version already, sends the edit again on
// top of it. It returns nil when the server holds this version, else the
// error to report.
func (c *Conn) catchUp(ctx context.Context, j *job, refused error) error {
	current, err := c.client.CurrentInstanceID(ctx, j.formID, "uuid:"+j.responseID)
	if err != nil || current == "" || current == j.deprecated {
		return refused
	}
	if current == j.instanceID {
		return nil
	}
	old := []byte("<deprecatedID>" + openrosa.EscapeText(j.deprecated) + "</deprecatedID>")
	xml := bytes.Replace(j.xml, old, []byte("<deprecatedID>"+openrosa.EscapeText(current)+"</deprecatedID>"), 1)
	if bytes.Equal(xml, j.xml) {
		return refused
	}
	j.xml, j.deprecated = xml, current
	return c.client.Submit(ctx, xml)
}

// retryable reports whether a failed submission may succeed if tried again soon.
func retryable(err error) bool {
	var p *openrosa.Problem
	if errors.As(err, &p) {
		return p.Status >= 500 || p.Status == http.StatusTooManyRequests
	}
	return errors.Is(err, openrosa.ErrOffline)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
