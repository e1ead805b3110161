package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// PersonalQuestions names the questions flagged personal of one survey.
type PersonalQuestions struct {
	SurveyID  string
	Title     string
	Questions []string // question names, over every version
}

// PersonalData lists, for each survey with responses (only surveyID's when
// it is not ""), the questions flagged personal in any of its versions:
// what a file of its responses holds that must not travel unencrypted.
func (s *Store) PersonalData(ctx context.Context, surveyID string) ([]PersonalQuestions, error) {
	live, err := s.Surveys(ctx)
	if err != nil {
		return nil, err
	}
	archived, err := s.ArchivedSurveys(ctx)
	if err != nil {
		return nil, err
	}
	var out []PersonalQuestions
	for _, sum := range append(live, archived...) {
		if surveyID != "" && sum.ID != surveyID || sum.Complete+sum.Partial+sum.Abandoned == 0 {
			continue
		}
		versions, err := s.SurveyVersions(ctx, sum.ID)
		if err != nil {
			return nil, err
		}
		p := PersonalQuestions{SurveyID: sum.ID, Title: sum.Title.In("en", "")}
		for _, v := range versions {
			def, err := s.Survey(ctx, sum.ID, v)
			if err != nil {
				return nil, fmt.Errorf("personal questions: %w", err)
			}
			for _, q := range def.Fields() {
				if q.Personal && !slices.Contains(p.Questions, q.Name) {
					p.Questions = append(p.Questions, q.Name)
				}
			}
		}
		if len(p.Questions) > 0 {
			out = append(out, p)
		}
	}
	return out, nil
}

// DescribePersonal lists personal questions for a warning:
// `"Title" (email, phone); "Other" (name)`.
func DescribePersonal(list []PersonalQuestions) string {
	parts := make([]string, len(list))
	for i, p := range list {
		parts[i] = fmt.Sprintf("%q (%s)", p.Title, strings.Join(p.Questions, ", "))
	}
	return strings.Join(parts, "; ")
}
