package central

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"canvass/survey"
	"canvass/survey/openrosa"
	"canvass/survey/store"
)

// Received says how a pull of submissions went.
type Received struct {
	New     int      // stored here for the first time
	Here    int      // already here (sent from here, or pulled before)
	Refused []string // submissions that do not follow their form: what and where
	Waiting []string // submissions of form versions this laptop does not have
}

// String is the one-line summary the CLI prints.
func (r Received) String() string {
	return fmt.Sprintf("%d new, %d already here, %d refused, %d waiting", r.New, r.Here, len(r.Refused), len(r.Waiting))
}

// ReceiveOptions say how submissions become responses.
type ReceiveOptions struct {
	PushOptions // Location and LeaveOutPersonal, to record what the server holds
}

// responseID is the Canvass response a submission is: the UUID of its
// first instanceID ("uuid:…", as Canvass and ODK Collect write it), or a
// UUID derived from the form and instanceID for anything else.
func responseID(formID, instanceID string) string {
	if id, err := uuid.Parse(strings.TrimPrefix(instanceID, "uuid:")); err == nil && strings.HasPrefix(instanceID, "uuid:") {
		return id.String()
	}
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("odk-central/"+formID+"/"+instanceID)).String()
}

// Receive stores the submissions made elsewhere (ODK Collect, Enketo,
// another laptop) to the survey's linked forms as complete responses, with
// repeat instances keyed in document order. A submission already here —
// one this laptop sent, or pulled before — is left as it is, so a second
// Receive changes nothing. A submission that does not follow its form is
// refused with what and where, and nothing of it is stored. The new
// responses are stored in one transaction and recorded as held by the
// server, so a later push does not send them back.
func (c *Conn) Receive(ctx context.Context, surveyID string, opts ReceiveOptions) (Received, error) {
	var sum Received
	forms, err := c.linkedForms(ctx, surveyID, opts.PushOptions)
	if err != nil {
		return sum, err
	}
	byForm := map[string]map[string]linkedForm{} // xmlFormId → form version → form
	for _, f := range forms {
		if byForm[f.shape.FormID] == nil {
			byForm[f.shape.FormID] = map[string]linkedForm{}
		}
		byForm[f.shape.FormID][f.shape.Version] = f
	}
	leaveOut := leftOut(forms, opts.LeaveOutPersonal)
	states, err := c.st.SendStates(ctx, c.Server())
	if err != nil {
		return sum, err
	}
	var fresh []*survey.Response
	var sent []store.Sent
	for formID, versions := range byForm {
		subs, err := c.client.Submissions(ctx, formID)
		if p := (*openrosa.Problem)(nil); errors.As(err, &p) && p.Status == 403 {
			return sum, fmt.Errorf("%w (receiving needs a web user who may read the project's submissions; an app user may only send them): nothing was stored", err)
		}
		if err != nil {
			return sum, err
		}
		for _, s := range subs {
			id := responseID(formID, s.InstanceID)
			if _, err := c.st.Response(ctx, id); err == nil {
				sum.Here++
				continue
			} else if !errors.Is(err, store.ErrNotFound) {
				return sum, err
			}
			xml, err := c.client.SubmissionXML(ctx, formID, s.InstanceID)
			if err != nil {
				return sum, err
			}
			version := rootVersion(xml)
			f, ok := versions[version]
			if !ok {
				sum.Waiting = append(sum.Waiting, fmt.Sprintf("submission %s answers version %q of form %q, which is not linked here: pull that form version first", s.InstanceID, version, formID))
				continue
			}
			got, err := f.shape.ParseSubmission(f.def, xml)
			if err != nil {
				sum.Refused = append(sum.Refused, fmt.Sprintf("submission %s of form %q: %v", s.InstanceID, formID, err))
				continue
			}
			at := s.CreatedAt.UTC()
			r := &survey.Response{ID: id, SurveyID: f.def.ID, SurveyVersion: f.def.Version, DeviceID: "odk-central",
				Language: f.def.DefaultLanguage(), Started: at, Updated: at, Submitted: &at, Status: survey.StatusComplete, Answers: got.Answers}
			hash, err := f.bodyHash(r, openrosa.InstanceOptions{Location: opts.Location, LeaveOut: leaveOut[f.def.Version]})
			if err != nil {
				sum.Refused = append(sum.Refused, fmt.Sprintf("submission %s of form %q: %v", s.InstanceID, formID, err))
				continue
			}
			current := got.InstanceID
			if current == "" {
				current = s.InstanceID
			}
			fresh = append(fresh, r)
			if states[id].State != store.SendSent {
				sent = append(sent, store.Sent{ResponseID: id, InstanceID: current, Hash: hash})
			}
		}
	}
	if len(fresh) > 0 {
		n, err := c.st.ImportResponses(ctx, fresh)
		if err != nil {
			return sum, fmt.Errorf("store the submissions from %s: nothing was stored: %w", c.Server(), err)
		}
		sum.New = n
		sum.Here += len(fresh) - n
		if err := c.st.MarkSent(ctx, c.Server(), sent); err != nil {
			return sum, err
		}
		c.audit(ctx, "central-receive", surveyID, sum.String()+" from "+c.Server())
	}
	return sum, nil
}

// rootVersion is the version attribute of a submission's root element
// ("" when there is none or the XML does not start as XML should; the
// parser then says what is wrong).
func rootVersion(xml []byte) string {
	v, err := openrosa.RootVersion(xml)
	if err != nil {
		return ""
	}
	return v
}
