package ui

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"danvan/data"
)

// testRunner runs the autopilot's steps on the test goroutine, with the
// background jobs' UI updates run by sh.wait.
type testRunner struct{ sh *Shell }

func (r testRunner) onUI(fn func()) { fn() }
func (r testRunner) idle()          { r.sh.wait() }
func (r testRunner) settle()        {}

// autopilotShell starts a shell on a demo store whose first run is not
// finished (no cadre profile yet), with an autopilot whose output goes to
// out.
func autopilotShell(t *testing.T, out *bytes.Buffer) (*Shell, *autopilot) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "store")
	st, err := data.Open(dir, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetCommune("23368"); err != nil {
		t.Fatal(err)
	}
	if _, err := data.GenerateDemo(st, data.DemoOptions{Scale: 1, Seed: 3, Today: demoDay}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	sh := newTestShell(t, dir)
	sh.opts.Today = demoDay
	sh.Start()
	return sh, &autopilot{sh: sh, out: out, run: testRunner{sh}}
}

func TestAutopilotShotsFillsProfileAndSavesEveryView(t *testing.T) {
	var out bytes.Buffer
	sh, ap := autopilotShell(t, &out)
	dir := filepath.Join(t.TempDir(), "shots")
	steps, err := ap.plan("shots:" + dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := ap.do(steps); err != nil {
		t.Fatalf("autopilot: %v\noutput:\n%s", err, out.String())
	}

	if p, ok := sh.Store().Profile(); !ok || p.Name != autopilotProfile.Name || p.Lang != "vi" {
		t.Errorf("profile %+v (set: %v), want %q in Vietnamese", p, ok, autopilotProfile.Name)
	}
	if got := sh.Win.Canvas().Size(); got != shotSize {
		t.Errorf("window %v, want %v", got, shotSize)
	}
	for _, name := range []string{"dashboard", "concerns", "concern-detail", "visit-form", "village-timeline"} {
		path := filepath.Join(dir, name+".png")
		f, err := os.Open(path)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if b := img.Bounds(); b.Dx() != int(shotSize.Width) || b.Dy() != int(shotSize.Height) || blank(img) {
			t.Errorf("%s: %v, blank %v; want a %v picture", name, b, blank(img), shotSize)
		}
		if !strings.Contains(out.String(), autopilotShot+path+"\n") {
			t.Errorf("no %q in the output:\n%s", autopilotShot+path, out.String())
		}
	}

	// What the views showed: the chosen concern, the visit form of a
	// village with three households ticked, the village's timeline.
	p := ap.chosen()
	if d := ap.concerns.Detail; d == nil || d.Concern.ID != p.concern || d.Concern.ConcernKind == data.ConcernDenunciation {
		t.Errorf("concern detail %+v, want the chosen concern %s", d, p.concern)
	}
	if got := ap.shown; got.visitVillage != p.visitVillage || got.ticked != visitTicks {
		t.Errorf("visit form: village %q with %d households ticked, want %q with %d", got.visitVillage, got.ticked, p.visitVillage, visitTicks)
	}
	if got := ap.shown; got.village != p.village || got.timelineRows == 0 {
		t.Errorf("the village timeline shown: village %q, %d rows; want %q's, not empty", got.village, got.timelineRows, p.village)
	}
}

func TestAutopilotNewConcernOpensFormAndSaysWhatWasSaved(t *testing.T) {
	var out bytes.Buffer
	sh, ap := autopilotShell(t, &out)
	steps, err := ap.plan("new-concern")
	if err != nil {
		t.Fatal(err)
	}
	if err := ap.do(steps); err != nil {
		t.Fatalf("autopilot: %v\noutput:\n%s", err, out.String())
	}
	if !strings.HasSuffix(out.String(), autopilotReady+"\n") {
		t.Fatalf("output %q, want it to end with %q", out.String(), autopilotReady)
	}
	f := ap.form
	if sh.Win.Canvas().Focused() != f.Summary {
		t.Fatal("the cursor is not in the summary")
	}

	const typed = "Nguyễn Thị Hưởng đã phản ánh"
	test.Type(f.Summary, typed)
	sh.wait()
	sh.SaveForm() // Ctrl+S
	sh.wait()
	id, ok := strings.CutPrefix(strings.TrimSpace(out.String()[strings.LastIndex(out.String(), autopilotSaved):]), autopilotSaved)
	if !ok {
		t.Fatalf("no %q in the output:\n%s", autopilotSaved, out.String())
	}
	c := new(data.Concern)
	if err := sh.Store().Load(id, c); err != nil {
		t.Fatal(err)
	}
	if c.Summary != typed || c.ConcernKind != data.ConcernReport || c.Village != ap.chosen().village {
		t.Errorf("saved %q (%s, village %s)", c.Summary, c.ConcernKind, c.Village)
	}
}

func TestAutopilotRefusesUnknownModes(t *testing.T) {
	ap := &autopilot{}
	for _, spec := range []string{"shots", "shots:", "fly", "new-concern-x"} {
		if _, err := ap.plan(spec); err == nil {
			t.Errorf("plan(%q) gave no error", spec)
		}
	}
}
