package app_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestEditorSetsRepeatLimits types At least / At most for a repeat the
// respondent fills: bad numbers are named at the field, good ones write
// the constraint XLSForm uses, which is stored, read back into the fields
// when reopened and previewed (Next refused with nobody, Add off at the
// most); a hand-written limit stays editable as an expression and turns
// the number fields off; a set count hides the limits.
func TestEditorSetsRepeatLimits(t *testing.T) {
	r, ed, rep := editPeopleRepeat(t)
	q, _ := ed.Draft.Question("people")
	if !rep.LimitsBox.Visible() || rep.AtLeast.Disabled() || q.Constraint != "" {
		t.Fatalf("a new repeat: limits shown %v, off %v, constraint %q", rep.LimitsBox.Visible(), rep.AtLeast.Disabled(), q.Constraint)
	}
	for _, tt := range []struct {
		least, most string
		want        string // the error, or with "=" the constraint written
	}{
		{"x", "", "At least: x is not a whole number from 0 to 9999."},
		{"-1", "", "At least: -1 is not a whole number"},
		{"1.5", "", "At least: 1.5 is not a whole number"},
		{"1", "0", "At most: 0 is not a whole number from 1 to 9999."},
		{"1", "10000", "At most: 10000 is not a whole number"},
		{"3", "2", "At most: 2 is less than At least (3)."},
		{"1", "", "=count(${people}) >= 1"},
		{"", "4", "=count(${people}) <= 4"},
		{"", "", "="},
		{"1", "2", "=count(${people}) >= 1 and count(${people}) <= 2"},
	} {
		t.Run(tt.least+".."+tt.most, func(t *testing.T) {
			rep.AtLeast.SetText("")
			rep.AtMost.SetText("")
			test.Type(rep.AtLeast, tt.least)
			test.Type(rep.AtMost, tt.most)
			if want, ok := strings.CutPrefix(tt.want, "="); ok {
				if rep.LimitError.Visible() || q.Constraint != want || rep.Limit.Text != want {
					t.Errorf("constraint %q (expression field %q, error %q), want %q", q.Constraint, rep.Limit.Text, rep.LimitError.Text, want)
				}
				return
			}
			if !rep.LimitError.Visible() || !strings.HasPrefix(rep.LimitError.Text, tt.want) {
				t.Errorf("error %q (shown %v), want %q", rep.LimitError.Text, rep.LimitError.Visible(), tt.want)
			}
		})
	}
	test.Type(rep.LimitMessages["en"], "Tell us about one or two people.")
	if _, err := ed.Save(); err != nil {
		t.Fatalf("Save: %v (%s)", err, ed.Problems.Text)
	}

	ed, _ = r.home.EditSurvey("people")
	ed.Select("people")
	rep = ed.Panel.Repeat
	if rep.AtLeast.Text != "1" || rep.AtMost.Text != "2" || rep.AtLeast.Disabled() || rep.LimitMessages["en"].Text != "Tell us about one or two people." {
		t.Fatalf("reopened: at least %q, at most %q, message %q", rep.AtLeast.Text, rep.AtMost.Text, rep.LimitMessages["en"].Text)
	}
	f := previewToRepeat(t, ed)
	if f.Next() || len(f.ErrorSummary()) != 1 || !strings.Contains(f.ErrorSummary()[0], "Tell us about one or two people.") {
		t.Fatalf("preview: Next with nobody added gives %q", f.ErrorSummary())
	}
	for i := 0; i < 2; i++ {
		test.Tap(f.AddButton())
		f.Session().Answer(f.Session().Page().Fields[0].Key, "Ann")
		for f.Session().Page().Prompt == nil {
			if !f.Next() {
				t.Fatalf("Next in person %d: %v", i+1, f.Errors())
			}
		}
	}
	if !f.AddButton().Disabled() {
		t.Error("preview: Add is offered at the most (2)")
	}
	test.Tap(f.LeaveButton())

	// A hand-written limit: the numbers go off, the expression stays editable.
	ed.Select("people")
	rep = ed.Panel.Repeat
	q, _ = ed.Draft.Question("people")
	rep.Limit.SetText("")
	test.Type(rep.Limit, "count(${people}) <= ${size}")
	if q.Constraint != "count(${people}) <= ${size}" || !rep.AtLeast.Disabled() || !rep.AtMost.Disabled() || rep.AtLeast.Text != "" || rep.LimitError.Visible() {
		t.Errorf("hand-written: constraint %q, numbers off %v/%v, error %q", q.Constraint, rep.AtLeast.Disabled(), rep.AtMost.Disabled(), rep.LimitError.Text)
	}
	test.Type(rep.Limit, " +")
	if !rep.LimitError.Visible() || !strings.HasPrefix(rep.LimitError.Text, "Limit: ") {
		t.Errorf("a broken expression: error %q", rep.LimitError.Text)
	}
	rep.Limit.SetText("count(${people}) >= 2")
	if rep.AtLeast.Disabled() || rep.AtLeast.Text != "2" || rep.AtMost.Text != "" {
		t.Errorf("an expression of the usual form: at least %q (off %v), at most %q", rep.AtLeast.Text, rep.AtLeast.Disabled(), rep.AtMost.Text)
	}

	// Renaming the repeat rewrites its limit, on screen too.
	ed.Panel.Name.SetText("carers")
	if q.Constraint != "count(${carers}) >= 2" || rep.Limit.Text != q.Constraint || rep.AtLeast.Text != "2" {
		t.Errorf("renamed: constraint %q, shown %q, at least %q", q.Constraint, rep.Limit.Text, rep.AtLeast.Text)
	}
	ed.Panel.Name.SetText("people")

	// A set count decides alone: the limits are hidden; untick drops them.
	rep.Mode.SetSelected("A set number of times, or as many as an earlier answer says")
	if rep.LimitsBox.Visible() {
		t.Error("limits shown for a set count")
	}
	rep.Mode.SetSelected("The respondent adds as many as they need")
	test.Tap(rep.Repeats)
	if q.Constraint != "" || q.ConstraintMessage != nil {
		t.Errorf("a plain group kept the limit %q %v", q.Constraint, q.ConstraintMessage)
	}
	test.Tap(rep.Repeats)
	if q.Constraint != "count(${people}) >= 2" || rep.AtLeast.Text != "2" {
		t.Errorf("tick again: constraint %q, at least %q", q.Constraint, rep.AtLeast.Text)
	}
}
