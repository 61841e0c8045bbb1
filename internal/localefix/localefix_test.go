package localefix

import (
	"bytes"
	"os"
	"os/exec"
	"testing"
)

func TestFix(t *testing.T) {
	cases := []struct{ in, want string }{
		{"C", "en_US.UTF-8"},
		{"C.UTF-8", "en_US.UTF-8"},
		{"C.utf8", "en_US.UTF-8"},
		{"POSIX", "en_US.UTF-8"},
		{"vi_VN.UTF-8", "vi_VN.UTF-8"},
		{"en_GB.UTF-8", "en_GB.UTF-8"},
	}
	for _, c := range cases {
		t.Setenv("LC_ALL", c.in)
		t.Setenv("LANG", c.in)
		Fix()
		if got := os.Getenv("LC_ALL"); got != c.want {
			t.Errorf("LC_ALL=%s: became %q, want %q", c.in, got, c.want)
		}
		if got := os.Getenv("LANG"); got != c.want {
			t.Errorf("LANG=%s: became %q, want %q", c.in, got, c.want)
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
		cmd.Env = append(os.Environ(), "LANG="+loc, "LC_ALL="+loc)
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
