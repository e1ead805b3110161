package store_test

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"canvass/survey"
	"canvass/survey/store"
)

// fuzzBundle is a real bundle (a survey, an event, 12 responses) and an
// empty central database, made once for the fuzz target; want is what
// merging the bundle unchanged brings.
var fuzzBundle struct {
	once    sync.Once
	bundle  []byte
	central []byte
	want    string
	err     error
}

func fuzzSetup(t testing.TB) {
	t.Helper()
	fuzzBundle.once.Do(func() {
		ctx := context.Background()
		dir, err := os.MkdirTemp("", "canvass-fuzz-setup-")
		if err != nil {
			fuzzBundle.err = err
			return
		}
		defer os.RemoveAll(dir)
		fuzzBundle.err = func() error {
			laptop, err := store.Open(ctx, filepath.Join(dir, "laptop.db"))
			if err != nil {
				return err
			}
			defer laptop.Close()
			if _, err := laptop.SaveSurvey(ctx, sampleSurvey("park", "Park")); err != nil {
				return err
			}
			ev := survey.Event{Name: "Fair", Venue: "Hall"}
			if err := laptop.SaveEvent(ctx, &ev); err != nil {
				return err
			}
			if err := laptop.SetActiveEvent(ctx, ev.ID); err != nil {
				return err
			}
			for i := range 12 {
				r, err := laptop.StartResponse(ctx, "park", 0, "en")
				if err != nil {
					return err
				}
				answers := survey.Answers{"visit": "yes", "name": fmt.Sprintf("role %d", i), "why": strings.Repeat("because ", i)}
				if i%3 == 0 {
					err = laptop.SaveAnswers(ctx, r.ID, answers, nil)
				} else {
					err = laptop.Submit(ctx, r.ID, answers, []byte(`{"score":1}`))
				}
				if err != nil {
					return err
				}
			}
			bundle := filepath.Join(dir, "b.canvass")
			if _, err := laptop.ExportBundle(ctx, bundle, ""); err != nil {
				return err
			}
			if fuzzBundle.bundle, err = os.ReadFile(bundle); err != nil {
				return err
			}
			central := filepath.Join(dir, "central.db")
			c, err := store.Open(ctx, central)
			if err != nil {
				return err
			}
			if err := c.Close(); err != nil {
				return err
			}
			if fuzzBundle.central, err = os.ReadFile(central); err != nil {
				return err
			}
			got, err := mergeInto(ctx, dir, fuzzBundle.bundle)
			if err != nil {
				return fmt.Errorf("merge the good bundle: %w", err)
			}
			fuzzBundle.want = got
			return nil
		}()
	})
	if fuzzBundle.err != nil {
		t.Fatal(fuzzBundle.err)
	}
}

// errRefused marks a merge that was refused.
type errRefused struct{ err error }

func (e errRefused) Error() string { return "refused: " + e.err.Error() }

// mergeInto merges the bundle bytes into a fresh copy of the empty central
// database in dir and returns the content it then holds; a refused merge
// gives errRefused, after checking that nothing was added.
func mergeInto(ctx context.Context, dir string, bundle []byte) (string, error) {
	db := filepath.Join(dir, "merge.db")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(db + suffix)
	}
	if err := os.WriteFile(db, fuzzBundle.central, 0o600); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "in.canvass")
	if err := os.WriteFile(path, bundle, 0o600); err != nil {
		return "", err
	}
	s, err := store.Open(ctx, db)
	if err != nil {
		return "", err
	}
	defer s.Close()
	_, mergeErr := s.MergeBundle(ctx, path, nil)
	content, err := contentOf(ctx, s.DB())
	if err != nil {
		return "", err
	}
	if mergeErr != nil {
		if content != "" {
			return "", fmt.Errorf("a refused merge (%v) left content:\n%s", mergeErr, content)
		}
		return "", errRefused{mergeErr}
	}
	return content, nil
}

// contentOf lists the surveys, events, responses and answers of a
// database as text; "" for none.
func contentOf(ctx context.Context, db *sql.DB) (string, error) {
	var b strings.Builder
	for _, q := range []string{
		"SELECT id, version, title, template, definition, created_at, updated_at, archived FROM surveys ORDER BY 1, 2",
		"SELECT id, name, venue, date, notes, active, closed, created_at FROM events ORDER BY 1",
		"SELECT id, survey_id, survey_version, event_id, device_id, language, started_at, updated_at, submitted_at, status, result, conflict_of FROM responses ORDER BY 1",
		"SELECT response_id, question, value, updated_at FROM answers ORDER BY 1, 2",
	} {
		if err := rowsText(ctx, db, q, "", &b); err != nil {
			return "", err
		}
	}
	return b.String(), nil
}

// rowsText writes each row q returns to b as one line, after prefix.
func rowsText(ctx context.Context, db *sql.DB, q, prefix string, b *strings.Builder) error {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		fmt.Fprintf(b, "%s%q\n", prefix, vals)
	}
	return rows.Err()
}

// mutate applies the operations encoded in ops to a copy of bundle. Each
// operation is 5 bytes: a kind, a 3-byte offset (scaled to the file) and
// an argument: 0 flips bit arg%8, 1 truncates, 2 writes a run of arg
// bytes of value arg^0x5a, 3 sets a byte to arg.
func mutate(bundle, ops []byte) []byte {
	b := append([]byte(nil), bundle...)
	for len(ops) >= 5 && len(b) > 0 {
		kind, arg := ops[0]%4, ops[4]
		off := int(binary.BigEndian.Uint32(append([]byte{0}, ops[1:4]...))) % len(b)
		ops = ops[5:]
		switch kind {
		case 0:
			b[off] ^= 1 << (arg % 8)
		case 1:
			b = b[:off]
		case 2:
			for i := off; i < len(b) && i < off+int(arg); i++ {
				b[i] = arg ^ 0x5a
			}
		case 3:
			b[off] = arg
		}
	}
	return b
}

// FuzzMergeBundle mutates a real bundle (bit flips, truncation, byte runs)
// and merges it: the merge must either be refused, adding nothing, or
// bring exactly the bundle's true content. It must never panic or hang.
func FuzzMergeBundle(f *testing.F) {
	fuzzSetup(f)
	n := len(fuzzBundle.bundle)
	op := func(kind byte, off int, arg byte) []byte {
		o := uint32(off) * (1 << 24 / uint32(n)) // scaled so that off lands near off
		return []byte{kind, byte(o >> 16), byte(o >> 8), byte(o), arg}
	}
	f.Add([]byte{})
	f.Add(op(0, n/2, 3))
	f.Add(op(1, n/2, 0))
	f.Add(op(1, 100, 0))
	f.Add(op(2, 0, 16))
	f.Add(op(3, 18, 2)) // the header says WAL
	f.Add(op(3, 68, 0)) // no application id
	f.Add(append(op(0, n/3, 1), op(0, 2*n/3, 5)...))
	f.Add(op(2, n-4096, 200))
	f.Add(op(3, 100+7, 0x0d)) // the schema page's first byte: another page type
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) > 200 {
			return
		}
		ctx := context.Background()
		got, err := mergeInto(ctx, t.TempDir(), mutate(fuzzBundle.bundle, ops))
		if errors.As(err, new(errRefused)) {
			return // refused, nothing added
		}
		if err != nil {
			t.Fatal(err)
		}
		if got != fuzzBundle.want {
			t.Fatalf("a damaged bundle merged with other content:\n%s\nwant\n%s", got, fuzzBundle.want)
		}
	})
}
