package localeenv_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"

	"canvass/app/localeenv"
)

func TestLanguage(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
		ok   bool
	}{
		{"unset", nil, "", false},
		{"LANG=C", map[string]string{"LANG": "C"}, "", false},
		{"LANG=POSIX", map[string]string{"LANG": "POSIX"}, "", false},
		{"LANG=C.UTF-8", map[string]string{"LANG": "C.UTF-8"}, "en", true},
		{"LC_ALL=C.utf8 wins over LANG", map[string]string{"LC_ALL": "C.utf8", "LANG": "en_GB.UTF-8"}, "en", true},
		{"LC_MESSAGES=POSIX.UTF-8", map[string]string{"LC_MESSAGES": "POSIX.UTF-8"}, "en", true},
		{"real locale untouched", map[string]string{"LANG": "en_GB.UTF-8"}, "", false},
		{"Welsh untouched", map[string]string{"LANG": "cy_GB.UTF-8", "LANGUAGE": "cy:en"}, "", false},
		{"LANGUAGE C entries dropped", map[string]string{"LANG": "en_GB.UTF-8", "LANGUAGE": "C.UTF-8:cy:C"}, "cy", true},
		{"LANGUAGE only C", map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "C"}, "en", true},
		{"LANGUAGE ignored under LANG=C", map[string]string{"LANG": "C", "LANGUAGE": "C.UTF-8"}, "", false},
		{"empty LANGUAGE entries dropped", map[string]string{"LANG": "en_GB.UTF-8", "LANGUAGE": "cy::en"}, "cy:en", true},
		{"modifier", map[string]string{"LANG": "C@euro"}, "en", true},
		{"not a C prefix", map[string]string{"LANG": "Ca_ES.UTF-8"}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := localeenv.Language(func(k string) string { return tt.env[k] })
			if got != tt.want || ok != tt.ok {
				t.Errorf("Language(%v) = %q, %v; want %q, %v", tt.env, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestChildNoop is the program the subprocesses of TestNoLocaleNoise run:
// Fyne's lang package has already read the locale by the time it starts.
func TestChildNoop(t *testing.T) {
	if os.Getenv("LOCALEENV_CHILD") == "" {
		t.Skip("only runs as a child of TestNoLocaleNoise")
	}
	if got := lang.SystemLocale(); got.LanguageString() != "en" {
		t.Errorf("SystemLocale() = %q, want English", got)
	}
}

// TestNoLocaleNoise starts this test binary under C locales and checks that
// Fyne, initialised after this package, writes nothing to stderr.
func TestNoLocaleNoise(t *testing.T) {
	for _, env := range [][]string{
		{"LANG=C"}, {"LANG=C.UTF-8"}, {"LC_ALL=C.UTF-8"}, {"LANG=POSIX"}, {},
		{"LANG=C.UTF-8", "LANGUAGE=C"},
	} {
		t.Run(strings.Join(append([]string{"env"}, env...), " "), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestChildNoop$", "-test.v")
			cmd.Env = append([]string{"LOCALEENV_CHILD=1", "PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, env...)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("child: %v\nstdout:\n%s\nstderr:\n%s", err, out, stderr.String())
			}
			if !strings.Contains(string(out), "--- PASS: TestChildNoop") {
				t.Fatalf("child did not run TestChildNoop:\n%s", out)
			}
			if stderr.Len() != 0 {
				t.Errorf("stderr under %v is not empty:\n%s", env, stderr.String())
			}
		})
	}
}
