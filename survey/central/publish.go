package central

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"canvass/survey"
	"canvass/survey/openrosa"
	"canvass/survey/store"
	"canvass/survey/xlsform"
)

// PublishOptions say how to publish.
type PublishOptions struct {
	// IgnoreWarnings uploads a form that pyxform warned about (400.16) anyway.
	IgnoreWarnings bool
	// NewVersion uploads to a form id the server already holds (409.3) as
	// a new version of that form.
	NewVersion bool
}

// Refusals of Central, to test with errors.Is; the error's text is Central's message in full.
var (
	// ErrFormInvalid: pyxform could not convert the form (400.15).
	ErrFormInvalid = errors.New("the server could not convert the form")
	// ErrFormWarnings: pyxform warned (400.16); publish with IgnoreWarnings to upload anyway.
	ErrFormWarnings = errors.New("the server warned about the form")
	// ErrFormExists: the project already has a form with this id (409.3); publish with NewVersion.
	ErrFormExists = errors.New("the project already has a form with this id")
	// ErrVersionExists: the form already had this version (409.6).
	ErrVersionExists = errors.New("the form already has a version with this name")
)

// Published is the outcome of a publish.
type Published struct {
	Link store.CentralLink
	Name string // the form's title on the server
}

// Publish uploads a survey version as the XLSForm `export-form` writes and
// records the link between the version and the server's form.
func (c *Conn) Publish(ctx context.Context, def *survey.Survey, opts PublishOptions) (Published, error) {
	var buf bytes.Buffer
	if err := xlsform.Export(def, &buf); err != nil {
		return Published{}, err
	}
	// A draft first, checked, then published: a workbook the server
	// misread never becomes a published form.
	form, err := c.client.CreateDraft(ctx, def.ID, buf.Bytes(), opts.IgnoreWarnings, opts.NewVersion)
	if err != nil {
		return Published{}, classifyPublish(err, def)
	}
	want := strconv.Itoa(def.Version)
	if form.XMLFormID != def.ID || form.Version != want {
		derr := c.client.DiscardDraft(context.WithoutCancel(ctx), form.XMLFormID, opts.NewVersion)
		err := fmt.Errorf("publish %s version %d: the server read the workbook as form %q version %q, not %q version %q, "+
			"so it was not published: the server did not read the workbook's settings sheet", def.ID, def.Version, form.XMLFormID, form.Version, def.ID, want)
		if derr != nil {
			err = fmt.Errorf("%w; removing the draft failed too: %w", err, derr)
		}
		return Published{}, err
	}
	if err := c.client.PublishDraft(ctx, def.ID); err != nil {
		return Published{}, classifyPublish(err, def)
	}
	hash, err := definitionHash(def)
	if err != nil {
		return Published{}, err
	}
	link := store.CentralLink{SurveyID: def.ID, SurveyVersion: def.Version, Server: c.Server(),
		XMLFormID: form.XMLFormID, FormVersion: form.Version, DefinitionHash: hash}
	if err := c.st.SaveCentralLink(ctx, link); err != nil {
		return Published{}, err
	}
	c.audit(ctx, "central-publish", fmt.Sprintf("%s version %d", def.ID, def.Version),
		fmt.Sprintf("form %q version %q on %s", form.XMLFormID, form.Version, c.Server()))
	return Published{Link: link, Name: form.Name}, nil
}

// classifyPublish marks Central's refusals with the errors above, keeping its message.
func classifyPublish(err error, def *survey.Survey) error {
	var p *openrosa.Problem
	if !errors.As(err, &p) {
		return err
	}
	switch p.Code {
	case "400.15":
		return fmt.Errorf("%w: %w", ErrFormInvalid, err)
	case "400.16":
		return fmt.Errorf("%w (publish anyway to ignore the warnings): %w", ErrFormWarnings, err)
	case "409.3":
		return fmt.Errorf("%w %q (publish it as a new version of that form): %w", ErrFormExists, def.ID, err)
	case "409.6":
		return fmt.Errorf("%w %q: %w", ErrVersionExists, strconv.Itoa(def.Version), err)
	}
	if p.Status == 403 {
		return fmt.Errorf("%w (publishing needs a web user who manages the project; an app user may only send responses)", err)
	}
	return err
}

// Pulled is the outcome of a pull.
type Pulled struct {
	Survey   *survey.Survey
	Link     store.CentralLink
	New      bool     // a new survey or survey version was stored
	Warnings []string // what the importer left out or changed
}

// Pull imports a form of the project from its XLSForm through the XLSForm
// importer and links it. A form already pulled at the same version is not
// stored again; a newer version of a linked form becomes a new survey version.
func (c *Conn) Pull(ctx context.Context, formID string) (Pulled, error) {
	forms, err := c.client.FormList(ctx)
	if err != nil {
		return Pulled{}, err
	}
	i := slices.IndexFunc(forms, func(f openrosa.FormInfo) bool { return f.ID == formID })
	if i < 0 {
		ids := make([]string, len(forms))
		for j, f := range forms {
			ids[j] = f.ID
		}
		list := "it lists no forms"
		if len(ids) > 0 {
			list = "it lists " + strings.Join(ids, ", ")
		}
		return Pulled{}, fmt.Errorf("pull %q: %s has no such form for these credentials (%s)", formID, c.target, list)
	}
	info := forms[i]
	xlsx, err := c.client.FormXLSX(ctx, formID)
	if err != nil {
		return Pulled{}, err
	}
	def, rep, err := xlsform.ImportWith(bytes.NewReader(xlsx), xlsform.Options{Repeats: true})
	var warnings []string
	if rep != nil {
		for _, w := range rep.Warnings() {
			warnings = append(warnings, w.String())
		}
	}
	if err != nil {
		return Pulled{Warnings: warnings}, fmt.Errorf("pull %q from %s: %w", formID, c.target, err)
	}
	def.ID = formID // the server's id is the one submissions name

	links, err := c.st.CentralLinks(ctx, formID)
	if err != nil {
		return Pulled{}, err
	}
	for _, l := range links {
		if l.Server == c.Server() && l.XMLFormID == formID && l.FormVersion == info.Version {
			stored, err := c.st.Survey(ctx, l.SurveyID, l.SurveyVersion)
			if err != nil {
				return Pulled{}, err
			}
			return Pulled{Survey: stored, Link: l, Warnings: warnings}, nil
		}
	}
	versions, err := c.st.SurveyVersions(ctx, formID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return Pulled{}, err
	}
	def.Version = 1
	if len(versions) > 0 {
		def.Version = slices.Max(versions) + 1
	}
	if _, err := c.st.ImportSurvey(ctx, def); err != nil {
		var ve *survey.ValidationError
		if errors.As(err, &ve) {
			return Pulled{Warnings: warnings}, fmt.Errorf("pull %q: Canvass cannot run this form: %w", formID, err)
		}
		return Pulled{}, err
	}
	stored, err := c.st.Survey(ctx, def.ID, def.Version)
	if err != nil {
		return Pulled{}, err
	}
	hash, err := definitionHash(stored)
	if err != nil {
		return Pulled{}, err
	}
	link := store.CentralLink{SurveyID: stored.ID, SurveyVersion: stored.Version, Server: c.Server(),
		XMLFormID: formID, FormVersion: info.Version, DefinitionHash: hash}
	if err := c.st.SaveCentralLink(ctx, link); err != nil {
		return Pulled{}, err
	}
	c.audit(ctx, "central-pull", fmt.Sprintf("%s version %d", stored.ID, stored.Version),
		fmt.Sprintf("form %q version %q on %s", formID, info.Version, c.Server()))
	return Pulled{Survey: stored, Link: link, New: true, Warnings: warnings}, nil
}
