package guitest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"danvan/data"
)

// root is the repository root, from this package's directory.
const root = "../.."

// typed is what the test types: a name and a verb with every kind of
// Vietnamese mark (circumflex with tilde, hook above, horn, breve-less
// a with grave and acute, đ).
const typed = "Nguyễn Thị Hưởng đã phản ánh"

// inCI reports whether the tests run in CI, where a missing tool is a
// failure rather than a skip.
func inCI() bool { return os.Getenv("CI") != "" }

// skip skips t, or fails it in CI, saying why on standard error too, so
// that the reason shows without -v.
func skip(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if inCI() {
		t.Fatal(msg)
	}
	fmt.Fprintf(os.Stderr, "guitest: %s: skipped: %s\n", t.Name(), msg)
	t.Skip(msg)
}

// needTools skips t unless the tools to run the app headless are there.
func needTools(t *testing.T) {
	t.Helper()
	for tool, pkg := range map[string]string{"bash": "bash", "Xvfb": "xvfb", "xdotool": "xdotool", "xmodmap": "x11-xserver-utils"} {
		if _, err := exec.LookPath(tool); err != nil {
			skip(t, "%s is not installed (make deps installs the Debian package %s)", tool, pkg)
		}
	}
}

// appBinary returns the app to drive: $DANVAN_BIN (make test passes the
// ./danvan that "make build" just made), or one this test builds.
func appBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("DANVAN_BIN"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("DANVAN_BIN: %v", err)
		}
		return p
	}
	if os.Getenv("CGO_ENABLED") == "0" { // make test-nocgo: not a missing tool, even in CI
		msg := "CGO_ENABLED=0 and no DANVAN_BIN: the app needs the cgo build (Fyne's OpenGL driver)"
		fmt.Fprintf(os.Stderr, "guitest: %s: skipped: %s\n", t.Name(), msg)
		t.Skip(msg)
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		skip(t, "no go command to build the app with")
	}
	p := filepath.Join(t.TempDir(), "danvan")
	start := time.Now()
	cmd := exec.Command(goTool, "build", "-o", p, ".")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built the app in %s", time.Since(start).Round(time.Second))
	return p
}

// openStore opens the store in dir, closing it when the test ends.
func openStore(t *testing.T, dir string) *data.Store {
	t.Helper()
	st, err := data.Open(dir, data.Options{})
	if err != nil {
		t.Fatalf("open the store: %v", err)
	}
	return st
}

var savedLine = regexp.MustCompile(`(?m)^saved (\S+)$`)

// TestVietnameseTyping types Vietnamese with xdotool, key by key, into the
// summary of the real concern form, saves with Ctrl+S, quits the app, and
// checks the store holds exactly what was typed, in NFC.
func TestVietnameseTyping(t *testing.T) {
	needTools(t)
	script := filepath.Join(root, "scripts", "xdotool-typing.sh")
	// Stat ties a cached test result to the scripts as they are.
	for _, f := range []string{script, filepath.Join(root, "scripts", "xvfb.sh")} {
		if _, err := os.Stat(f); err != nil {
			t.Fatal(err)
		}
	}
	bin := appBinary(t)
	store := filepath.Join(t.TempDir(), "store")
	if out, err := exec.Command(bin, "demo", "--commune", "23368", "--store", store).CombinedOutput(); err != nil {
		t.Fatalf("danvan demo: %v\n%s", err, out)
	}
	st := openStore(t, store)
	before := st.Count(data.Filter{Kind: data.KindConcern})
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "bash", script, bin, store, typed)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s%s", script, err, stdout.String(), stderr.String())
	}
	t.Logf("typed, saved and quit in %s", time.Since(start).Round(100*time.Millisecond))
	m := savedLine.FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("the script did not say what it saved:\n%s%s", stdout.String(), stderr.String())
	}

	st = openStore(t, store)
	defer st.Close()
	if n := st.Count(data.Filter{Kind: data.KindConcern}); n != before+1 {
		t.Errorf("%d concerns after saving one, want %d", n, before+1)
	}
	c := new(data.Concern)
	if err := st.Load(m[1], c); err != nil {
		t.Fatalf("load the saved concern %s: %v", m[1], err)
	}
	if !norm.NFC.IsNormalString(typed) {
		t.Fatal("the text to type is not NFC")
	}
	if c.Summary != typed {
		t.Errorf("summary %q (% x)\nwant    %q (% x)", c.Summary, c.Summary, typed, typed)
	}
	if c.ConcernKind != data.ConcernReport || c.Village == "" {
		t.Errorf("kind %q, village %q: want the form's phản ánh and village", c.ConcernKind, c.Village)
	}
	// Found by the search a cadre types without diacritics.
	found := false
	for _, r := range st.Find(data.Filter{Kind: data.KindConcern, Query: "nguyen thi huong da phan anh"}, data.ByDateDesc) {
		found = found || r.ID == c.ID
	}
	if !found {
		t.Error("the search without diacritics does not find the concern")
	}
	// Saving dropped the form's draft.
	if d := st.Draft("concern/new"); d != nil {
		t.Errorf("the draft of the new concern is still kept after saving: %s", d)
	}
}

// TestDraftOfferedAfterAKill types into the real concern form, kills the
// app (SIGKILL, as a power cut would) before saving, starts it again, and
// checks that its start offered the draft, named by what was typed.
func TestDraftOfferedAfterAKill(t *testing.T) {
	needTools(t)
	script := filepath.Join(root, "scripts", "xdotool-typing.sh")
	bin := appBinary(t)
	store := filepath.Join(t.TempDir(), "store")
	if out, err := exec.Command(bin, "demo", "--commune", "23368", "--store", store).CombinedOutput(); err != nil {
		t.Fatalf("danvan demo: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "bash", script, bin, store, typed, "kill")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s%s", script, err, stdout.String(), stderr.String())
	}
	m := regexp.MustCompile(`(?m)^offered (\d+) (.*)$`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("the script did not say what was offered:\n%s%s", stdout.String(), stderr.String())
	}
	if m[1] != "1" || !strings.Contains(m[2], "“"+typed+"”") || !strings.HasPrefix(m[2], "Ý kiến, kiến nghị") {
		t.Errorf("after the kill the start offered %s draft(s): %q; want the concern draft %q", m[1], m[2], typed)
	}
	st := openStore(t, store)
	defer st.Close()
	if d := st.Draft("concern/new"); d == nil {
		t.Error("the draft is gone from the store after the kill")
	}
}

// TestWheelScrollsTheFormOverAField turns the mouse wheel over a field of
// the real visit form, in the GL window under Xvfb, and checks the page
// moved: Fyne's headless driver cannot tell, since it has no pointer and
// no wheel of its own (issue 15).
func TestWheelScrollsTheFormOverAField(t *testing.T) {
	needTools(t)
	script := filepath.Join(root, "scripts", "xdotool-wheel.sh")
	bin := appBinary(t)
	store := filepath.Join(t.TempDir(), "store")
	if out, err := exec.Command(bin, "demo", "--commune", "23368", "--store", store).CombinedOutput(); err != nil {
		t.Fatalf("danvan demo: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "bash", script, bin, store)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s%s", script, err, stdout.String(), stderr.String())
	}
	m := regexp.MustCompile(`(?m)^scrolled (\d+)$`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("the script did not say how far the page scrolled:\n%s%s", stdout.String(), stderr.String())
	}
	if m[1] == "0" {
		t.Error("the wheel over the cadres' entry did not scroll the visit form")
	}
}
