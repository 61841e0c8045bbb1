package localefix

import (
	"bytes"
	"os"
	"os/exec"
	"testing"
)

func TestFix(t *testing.T) {
	cases := []struct{ loc, language, want string }{
		{"C.UTF-8", "", "en"},
		{"C.utf8", "", "en"},
		{"POSIX.UTF-8", "", "en"},
		{"C.UTF-8", "C", "en"},
		{"C.UTF-8", "vi", "vi"},
		{"C", "", ""}, // Fyne reads plain C as "no locale": nothing to fix
		{"vi_VN.UTF-8", "", ""},
	}
	for _, c := range cases {
		t.Setenv("LC_ALL", c.loc)
		t.Setenv("LANGUAGE", c.language)
		Fix()
		if got := os.Getenv("LANGUAGE"); got != c.want && !(c.want == "" && got == c.language) {
			t.Errorf("LC_ALL=%s LANGUAGE=%q: LANGUAGE became %q, want %q", c.loc, c.language, got, c.want)
		}
		if got := os.Getenv("LC_ALL"); got != c.loc {
			t.Errorf("LC_ALL=%s was changed to %q", c.loc, got)
		}
	}
}

// TestAppQuietUnderCLocale runs the real app binary (make test sets
// DANVAN_BIN) under the C.UTF-8 locale of cron, ssh and systemd: it must
// print nothing on stderr.
func TestAppQuietUnderCLocale(t *testing.T) {
	bin := os.Getenv("DANVAN_BIN")
	if bin == "" {
		t.Skip("DANVAN_BIN not set (make test sets it)")
	}
	for _, loc := range []string{"C.UTF-8", "C", "POSIX"} {
		cmd := exec.Command(bin, "--version")
		cmd.Env = append(os.Environ(), "LANG="+loc, "LC_ALL="+loc, "LANGUAGE=")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s --version under %s: %v (%s)", bin, loc, err, stderr.String())
		}
		if stderr.Len() > 0 {
			t.Errorf("under %s the app printed on stderr: %q", loc, stderr.String())
		}
	}
}
