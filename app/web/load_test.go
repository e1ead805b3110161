package web

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"canvass/survey"
	"canvass/survey/run"
)

var namePattern = regexp.MustCompile(`name="([^"]+)"`)

// fillOverHTTP answers a survey page by page as a browser would post it,
// from the script, and returns each page POST's latency.
func fillOverHTTP(t testing.TB, c *client, def *survey.Survey, script []answer, think func() time.Duration) ([]time.Duration, error) {
	body := c.start()
	var lat []time.Duration
	for range 100 {
		time.Sleep(think()) // reading the page and answering
		names := map[string]bool{}
		for _, m := range namePattern.FindAllStringSubmatch(body, -1) {
			names[strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(m[1], "[day]"), "[month]"), "[year]")] = true
		}
		for _, m := range regexp.MustCompile(`<ol class="rank" id="q-([^"]+)"`).FindAllStringSubmatch(body, -1) {
			names[m[1]] = true
		}
		form := url.Values{}
		for _, a := range script {
			if !names[a.Key] {
				continue
			}
			q, _ := def.Question(a.Key)
			switch {
			case q != nil && (q.Type == survey.TypeSelectMultiple || q.Type == survey.TypeRank):
				form[a.Key] = strings.Fields(a.Value)
			default:
				form.Set(a.Key, a.Value)
			}
		}
		began := time.Now()
		code, loc, page := c.answer(body, form)
		lat = append(lat, time.Since(began))
		switch {
		case code == http.StatusSeeOther && strings.HasSuffix(loc, "/done"):
			return lat, nil
		case code == http.StatusSeeOther:
			_, body = c.get("form")
		case code == http.StatusOK:
			body = page // more questions shown on the same page
		default:
			return lat, fmt.Errorf("POST: %d %s", code, page)
		}
	}
	return lat, fmt.Errorf("never reached the end")
}

// TestLoadFiftyRespondents has 50 simulated phones, each from its own
// loopback address, fill the engagement survey at once while a kiosk
// session autosaves into the same store. Every answer must be stored; the
// POST latencies are logged (for BENCHMARKS.md), not asserted.
func TestLoadFiftyRespondents(t *testing.T) {
	if testing.Short() {
		t.Skip("load test skipped with -short")
	}
	const respondents = 50
	ctx := context.Background()
	st := openTestStore(t)
	srv := startTestServer(t, st, "engagement", Limits{})
	def := srv.Survey()
	script := fillScripts["engagement"]
	var good []answer // the load posts the good answers only
	for _, a := range script {
		good = append(good, answer{Key: a.Key, Value: a.Value})
	}

	// The kiosk: one engine session on the same store saving an answer
	// every 20 ms until the phones are done.
	stopKiosk := make(chan struct{})
	var kioskSaves []time.Duration
	var kioskErr error
	var kioskWG sync.WaitGroup
	kioskWG.Add(1)
	go func() {
		defer kioskWG.Done()
		sess, err := run.New(run.Config{Survey: def, Store: st})
		if err != nil {
			kioskErr = err
			return
		}
		texts := []string{"a", "ab", "abc", "abcd"}
		for i := 0; ; i++ {
			select {
			case <-stopKiosk:
				return
			case <-time.After(20 * time.Millisecond):
			}
			sess.AnswerText("anything_else", texts[i%len(texts)])
			began := time.Now()
			if err := sess.Save(ctx); err != nil {
				kioskErr = err
				return
			}
			kioskSaves = append(kioskSaves, time.Since(began))
		}
	}()

	// A respondent takes thinkMin to thinkMax on a page (a quick one);
	// CANVASS_LOAD_THINK_MS=0 makes them post as fast as they can.
	thinkMin, thinkMax := 500*time.Millisecond, 1500*time.Millisecond
	if v := os.Getenv("CANVASS_LOAD_THINK_MS"); v != "" {
		ms, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("CANVASS_LOAD_THINK_MS=%q", v)
		}
		thinkMin, thinkMax = time.Duration(ms)*time.Millisecond/2, time.Duration(ms)*time.Millisecond*3/2
	}

	var mu sync.Mutex
	var all []time.Duration
	var wg sync.WaitGroup
	errs := make(chan error, respondents)
	began := time.Now()
	for i := range respondents {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 15))
			think := func() time.Duration {
				if thinkMax <= thinkMin {
					return thinkMin
				}
				return thinkMin + time.Duration(rng.Int64N(int64(thinkMax-thinkMin)))
			}
			lat, err := fillOverHTTP(t, newClient(t, srv), def, good, think)
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
			if err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(began)
	close(stopKiosk)
	kioskWG.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if kioskErr != nil {
		t.Errorf("kiosk autosave failed during the load: %v", kioskErr)
	}
	if len(kioskSaves) == 0 {
		t.Error("the kiosk saved nothing during the load")
	}

	want := withoutMetadata(def, replay(t, def, good))
	complete := 0
	err := st.EachResponse(ctx, survey.Filter{SurveyID: def.ID}, func(r *survey.Response) error {
		if r.Status != survey.StatusComplete {
			return nil
		}
		complete++
		if got := withoutMetadata(def, r.Answers); !reflect.DeepEqual(got, want) {
			t.Errorf("response %s: %v, want %v", r.ID, got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if complete != respondents {
		t.Errorf("%d complete responses, want %d", complete, respondents)
	}
	t.Logf("think time %v–%v a page", thinkMin, thinkMax)
	t.Logf("%d respondents, %d page POSTs in %v: p50 %v, p90 %v, p99 %v, max %v",
		respondents, len(all), elapsed.Round(time.Millisecond), quantile(all, .5), quantile(all, .9), quantile(all, .99), quantile(all, 1))
	t.Logf("kiosk autosave meanwhile: %d saves, p50 %v, p99 %v, max %v",
		len(kioskSaves), quantile(kioskSaves, .5), quantile(kioskSaves, .99), quantile(kioskSaves, 1))
}

// quantile returns the q-quantile of ds (nearest rank).
func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(q*float64(len(s))+0.5) - 1
	i = max(0, min(i, len(s)-1))
	return s[i].Round(100 * time.Microsecond)
}
