package app

import (
	"context"

	"canvass/survey"
	"canvass/survey/store"
)

// screenEnv is what a staff screen over the surveys' data (results,
// responses, the editor) is built from: the store, the shell it is shown
// in, and the way back to the home screen.
type screenEnv struct {
	ctx   context.Context
	store *store.Store
	shell *Shell
	home  func()
}

// surveyAndEvents loads the latest version of a survey and every event,
// what a screen filtering that survey's responses by event starts from.
func surveyAndEvents(ctx context.Context, st *store.Store, id string) (*survey.Survey, []survey.Event, error) {
	def, err := st.Survey(ctx, id, 0)
	if err != nil {
		return nil, nil, err
	}
	events, err := st.Events(ctx)
	if err != nil {
		return nil, nil, err
	}
	return def, events, nil
}
