package cli

import (
	"context"
	"fmt"

	"canvass/assets"
	"canvass/survey/store"
)

// installTemplates loads the built-in surveys into a database that lacks them.
func installTemplates(ctx context.Context, st *store.Store) error {
	defs, err := assets.Templates()
	if err != nil {
		return fmt.Errorf("load built-in templates: %w", err)
	}
	if _, err := st.InstallTemplates(ctx, defs); err != nil {
		return fmt.Errorf("install built-in templates: %w", err)
	}
	return nil
}
