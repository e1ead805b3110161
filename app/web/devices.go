package web

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"canvass/survey/run"
)

// cookieName names the cookie that tells a device's requests apart.
const cookieName = "canvass_device"

// errFull is returned when a new device cannot be taken on.
var errFull = errors.New("too many devices")

// device is one phone or tablet: its cookie, its CSRF token and the
// response it is answering. Its mutex serialises the device's requests, so
// its session is driven by one request at a time.
type device struct {
	mu       sync.Mutex
	id       string // the cookie's value
	csrf     string
	lang     string
	sess     *run.Session // nil until the respondent starts
	finished bool         // submitted: the thank-you page shows
	idle     bool         // kept as abandoned while away; answering again revives it
	seen     time.Time
	live     atomic.Bool // answering(), readable without mu (see sync)

	// gen counts the repeat instances this device has removed: removing
	// renumbers the later ones, so a page made before holds keys that now
	// name another instance. removing is a removal asked for, not yet confirmed.
	gen      int
	removing *pendingRemove
	changing *changeReturn // an instance opened with Change: Continue past it shows its list again

	// What the last POST could not give the engine, shown back as typed:
	// text by key, date boxes by key, and the date boxes' own problems.
	typed     map[string]string
	dateBoxes map[string]dateParts
	dateErr   map[string]string
}

// dates returns the date boxes kept as typed, making the map if need be.
func (d *device) dates() map[string]dateParts {
	if d.dateBoxes == nil {
		d.dateBoxes = map[string]dateParts{}
	}
	return d.dateBoxes
}

// forgetTyped drops what was kept as typed (the page changed).
func (d *device) forgetTyped() { d.typed, d.dateBoxes, d.dateErr = nil, nil, nil }

// responseID is the id of the device's stored response, "" before the first save.
func (d *device) responseID() string {
	if d.sess == nil {
		return ""
	}
	return d.sess.ResponseID()
}

// answering reports whether the device has an unfinished response under way.
func (d *device) answering() bool { return d.sess != nil && !d.finished && !d.idle }

// sync publishes answering() for readers that do not hold mu; call it,
// holding mu, after changing sess, finished or idle.
func (d *device) sync() { d.live.Store(d.answering()) }

// devices holds every device the server knows, by cookie value.
type devices struct {
	mu     sync.Mutex
	limits Limits
	now    func() time.Time
	byID   map[string]*device
}

func newDevices(l Limits, now func() time.Time) *devices {
	return &devices{limits: l, now: now, byID: make(map[string]*device)}
}

// maxDevices bounds how many devices are remembered, including those that
// only looked at the start page.
func (ds *devices) maxDevices() int { return 4 * ds.limits.MaxRespondents }

func randomID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// lookup returns the device of the request's cookie, or nil.
func (ds *devices) lookup(r *http.Request) *device {
	c, err := r.Cookie(cookieName)
	if err != nil || c.Value == "" {
		return nil
	}
	ds.mu.Lock()
	defer ds.mu.Unlock()
	d := ds.byID[c.Value]
	if d != nil {
		d.seen = ds.now()
	}
	return d
}

// add makes a new device. When the table is full it forgets the device
// that has waited longest without starting; if every device is answering,
// it refuses with errFull.
func (ds *devices) add(lang string) (*device, error) {
	id, err := randomID()
	if err != nil {
		return nil, err
	}
	csrf, err := randomID()
	if err != nil {
		return nil, err
	}
	ds.mu.Lock()
	defer ds.mu.Unlock()
	if len(ds.byID) >= ds.maxDevices() {
		var oldest *device
		for _, d := range ds.byID {
			if d.sess == nil && (oldest == nil || d.seen.Before(oldest.seen)) {
				oldest = d
			}
		}
		if oldest == nil {
			return nil, errFull
		}
		delete(ds.byID, oldest.id)
	}
	d := &device{id: id, csrf: csrf, lang: lang, seen: ds.now()}
	ds.byID[id] = d
	return d, nil
}

// count returns how many devices are remembered.
func (ds *devices) count() int {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	return len(ds.byID)
}

// answering counts the devices with a response under way.
func (ds *devices) answering() int {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	n := 0
	for _, d := range ds.byID {
		if d.live.Load() {
			n++
		}
	}
	return n
}

// idle marks the devices untouched for IdleAbandon as idle and returns
// their responses' ids to keep as abandoned; it forgets the devices
// untouched for ForgetAfter.
func (ds *devices) idle() []string {
	now := ds.now()
	ds.mu.Lock()
	list := make([]*device, 0, len(ds.byID))
	for id, d := range ds.byID {
		if now.Sub(d.seen) >= ds.limits.ForgetAfter {
			delete(ds.byID, id)
		}
		list = append(list, d)
	}
	ds.mu.Unlock()
	var ids []string
	for _, d := range list {
		if !d.mu.TryLock() {
			continue // a request is under way: not idle
		}
		ds.mu.Lock()
		stale := now.Sub(d.seen) >= ds.limits.IdleAbandon
		ds.mu.Unlock()
		if stale && d.answering() {
			if id := d.responseID(); id != "" {
				d.idle = true
				d.sync()
				ids = append(ids, id)
			}
		}
		d.mu.Unlock()
	}
	return ids
}

// closeAll forgets every device and returns the ids of the responses
// still under way, to keep as abandoned.
func (ds *devices) closeAll() []string {
	ds.mu.Lock()
	list := ds.byID
	ds.byID = make(map[string]*device)
	ds.mu.Unlock()
	var ids []string
	for _, d := range list {
		d.mu.Lock()
		if d.answering() {
			if id := d.responseID(); id != "" {
				ids = append(ids, id)
			}
		}
		d.mu.Unlock()
	}
	return ids
}
