package ui

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"danvan/data"
	"danvan/i18n"
)

// This file holds the autopilot: the real app driving itself, for the
// screenshots in docs/screenshots (make screenshots) and for the GUI test
// that types Vietnamese into the concern form with xdotool
// (internal/guitest). It only ever runs when EnvAutopilot is set.

// EnvAutopilot is the environment variable that starts the autopilot:
//
//	shots:DIR    show the dashboard, the concern list, a concern, the visit
//	             form and a village timeline in Vietnamese at 1280×800,
//	             save each as a PNG in DIR, then quit
//	new-concern  open the concern form (kind and village filled in) with
//	             the cursor in its summary, print "autopilot: ready", and
//	             print "autopilot: saved <id>" once it is saved
//	after-crash  wait for the dashboard, print "autopilot: offered N LABEL"
//	             (the drafts the start's notice after an unclean exit
//	             offered, and the first one's line), then quit
//	wheel        open the visit form, print "autopilot: ready X Y" (the
//	             screen point of its cadres' entry), wait for the page to
//	             scroll, print "autopilot: scrolled N" (pixels), then quit
//
// On a store whose cadre profile is not set yet, the autopilot first fills
// in the profile step. A store with a passphrase cannot be driven.
const EnvAutopilot = "DANVAN_AUTOPILOT"

// Lines the autopilot prints on standard output, for the scripts that
// drive the app.
const (
	autopilotReady = "autopilot: ready"
	autopilotSaved = "autopilot: saved "
	autopilotShot  = "autopilot: shot "
	// autopilotOffered reports the drafts offered at start (after-crash).
	autopilotOffered = "autopilot: offered "
	// autopilotScrolled reports how far the wheel scrolled the visit
	// form's page (wheel).
	autopilotScrolled = "autopilot: scrolled "
	// autopilotCapture asks the script running the app to save the
	// screen as the file named after it.
	autopilotCapture = "autopilot: capture "
)

// shotSize is the size of the window in screenshots.
var shotSize = fyne.NewSize(1280, 800)

// autopilotProfile is the cadre the autopilot enters on a first run.
var autopilotProfile = data.Profile{Name: "Nguyễn Văn An", Unit: "Ban Dân vận Đảng ủy xã"}

// startAutopilot starts the autopilot EnvAutopilot asks for, if any, in
// the background. Call it once the shell has started.
func startAutopilot(sh *Shell) {
	spec := os.Getenv(EnvAutopilot)
	if spec == "" {
		return
	}
	ap := &autopilot{sh: sh, out: os.Stdout, run: realRunner{sh}}
	steps, err := ap.plan(spec)
	if err != nil {
		fmt.Fprintln(os.Stderr, "autopilot:", err)
		return
	}
	go func() {
		if err := ap.do(steps); err != nil {
			fmt.Fprintln(os.Stderr, "autopilot:", err)
			fyne.Do(sh.App.Quit)
		}
	}()
}

// autopilot drives the shell through a plan of steps.
type autopilot struct {
	sh  *Shell
	out io.Writer
	run runner

	// Chosen from the store once it is open, off the UI goroutine.
	mu        sync.Mutex
	picks     picks
	chooseErr error

	concerns *ConcernsScreen
	visits   *VisitsScreen
	villages *VillagesScreen
	// shown is what the README's visit form and village timeline showed
	// when they were shot (the gallery opens those screens again).
	shown struct {
		visitVillage string
		ticked       int
		village      string
		timelineRows int
	}
	form *ConcernForm
}

// step is one move of the autopilot: act runs on the UI goroutine, then
// the autopilot waits (while background jobs finish) until ready, also
// run on the UI goroutine, says the view is complete; shot, if not "",
// is the PNG file the window is then saved to.
type step struct {
	what  string
	act   func() error
	ready func() (bool, error)
	shot  string
}

// runner is how steps reach the UI: the real driver's goroutine, or the
// test goroutine in tests.
type runner interface {
	// onUI runs fn on the UI goroutine and waits for it.
	onUI(fn func())
	// idle waits until no background job is running.
	idle()
	// settle waits until the window shows the latest changes.
	settle()
}

// stepTimeout bounds the wait for one step's view.
const stepTimeout = 60 * time.Second

// plan returns the steps of spec (see EnvAutopilot).
func (ap *autopilot) plan(spec string) ([]step, error) {
	mode, arg, _ := strings.Cut(spec, ":")
	start := []step{
		{what: "open the store", ready: ap.storeOpen},
		{what: "fill in the profile", act: ap.fillProfile, ready: ap.mainShown},
		{what: "choose records", act: ap.choose, ready: ap.chosenReady},
	}
	switch mode {
	case "shots":
		if arg == "" {
			return nil, errors.New("shots needs a directory: " + EnvAutopilot + "=shots:DIR")
		}
		return append(start, ap.shots(arg)...), nil
	case "new-concern":
		return append(start, ap.newConcern()...), nil
	case "after-crash":
		return append(start, ap.afterCrash()...), nil
	case "wheel":
		return append(start, ap.wheel()...), nil
	}
	return nil, fmt.Errorf("unknown mode %q (want shots:DIR, new-concern, after-crash or wheel)", spec)
}

// do runs steps in order.
func (ap *autopilot) do(steps []step) error {
	for _, s := range steps {
		if s.act != nil {
			var err error
			ap.run.onUI(func() { err = s.act() })
			if err != nil {
				return fmt.Errorf("%s: %w", s.what, err)
			}
		}
		if err := ap.await(s); err != nil {
			return err
		}
		if s.shot != "" {
			ap.run.settle()
			if err := ap.capture(s.shot); err != nil {
				return err
			}
		}
	}
	return nil
}

// await waits until step s is ready.
func (ap *autopilot) await(s step) error {
	deadline := time.Now().Add(stepTimeout)
	for {
		ap.run.idle()
		ok, err := true, error(nil)
		if s.ready != nil {
			ap.run.onUI(func() { ok, err = s.ready() })
		}
		switch {
		case err != nil:
			return fmt.Errorf("%s: %w", s.what, err)
		case ok:
			return nil
		case time.Now().After(deadline):
			return fmt.Errorf("%s: not done after %s", s.what, stepTimeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// capture saves the window's content as the PNG file path. Where the
// driver cannot read the window back (OpenGL under Xvfb gives a black
// image), it prints "autopilot: capture PATH" and waits for the script
// that runs the app to write PATH from the screen (scripts/screenshots.sh
// does it with ImageMagick's import).
func (ap *autopilot) capture(path string) error {
	var img image.Image
	ap.run.onUI(func() { img = ap.sh.Win.Canvas().Capture() })
	if blank(img) {
		return ap.captureOutside(path)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("capture %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintln(ap.out, autopilotShot+path)
	return nil
}

// captureOutside asks the script running the app to save the screen as
// path, and waits until it did.
func (ap *autopilot) captureOutside(path string) error {
	fmt.Fprintln(ap.out, autopilotCapture+path)
	deadline := time.Now().Add(stepTimeout)
	for {
		if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
			fmt.Fprintln(ap.out, autopilotShot+path)
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("capture %s: nobody saved the screen (run the app through scripts/screenshots.sh)", path)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// blank says whether img is missing or has no pixel that is not zero.
func blank(img image.Image) bool {
	if img == nil {
		return true
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			if r, g, bl, a := img.At(x, y).RGBA(); r|g|bl|a != 0 {
				return false
			}
		}
	}
	return true
}

// storeOpen says whether the store is open and the profile step or the
// main window shown.
func (ap *autopilot) storeOpen() (bool, error) {
	sh := ap.sh
	switch content := sh.Win.Content(); {
	case sh.Main != nil && content == sh.Main.Content,
		sh.Profile != nil && content == sh.Profile.Content:
		return true, nil
	case sh.Problem != nil && content == sh.Problem.Content:
		return false, errors.New("the store cannot be opened: " + sh.Problem.Message.Text)
	case sh.Unlock != nil && content == sh.Unlock.Content:
		return false, errors.New("the store needs a passphrase (or does not exist): make one with \"danvan demo\" without --passphrase")
	case sh.Picker != nil && content == sh.Picker.Content:
		return false, errors.New("the store has no commune: make one with \"danvan demo --commune 23368\"")
	}
	return false, nil
}

// fillProfile enters a cadre profile in Vietnamese on the profile step,
// as a cadre would, when it is shown.
func (ap *autopilot) fillProfile() error {
	sh := ap.sh
	if sh.Main != nil || sh.Profile == nil {
		return nil
	}
	sh.SetLang(i18n.VI)
	p := sh.Profile
	p.Name.SetText(autopilotProfile.Name)
	p.Unit.SetText(autopilotProfile.Unit)
	p.submit()
	return nil
}

// mainShown says whether the main window is shown.
func (ap *autopilot) mainShown() (bool, error) {
	return ap.sh.Main != nil && ap.sh.Win.Content() == ap.sh.Main.Content, nil
}

// choose picks, off the UI goroutine, the records to show (see
// pickRecords).
func (ap *autopilot) choose() error {
	st := ap.sh.Store()
	if st == nil {
		return errNoStore
	}
	ap.sh.Go(func() error {
		p, err := pickRecords(st)
		ap.mu.Lock()
		defer ap.mu.Unlock()
		ap.picks, ap.chooseErr = p, err
		return nil
	}, nil)
	return nil
}

// chosenReady says whether choose is done.
func (ap *autopilot) chosenReady() (bool, error) {
	ap.mu.Lock()
	defer ap.mu.Unlock()
	return ap.picks.village != "" || ap.chooseErr != nil, ap.chooseErr
}

// chosen returns the records choose picked.
func (ap *autopilot) chosen() picks {
	ap.mu.Lock()
	defer ap.mu.Unlock()
	return ap.picks
}

// picks are the records the autopilot shows.
type picks struct {
	// concern is among the newest: not a tố cáo, with content short
	// enough to leave its status history in view, and the longest history.
	concern string
	// village has the most records on its timeline.
	village string
	// visitVillage is the first village, in timeline order, whose first
	// households (in the visit form's order) have different heads, so
	// that the ones ticked in the picture are told apart.
	visitVillage string
}

// pickRecords chooses the records to show from the store.
func pickRecords(st *data.Store) (picks, error) {
	var p picks
	type village struct {
		id       string
		timeline int
	}
	var villages []village
	for _, r := range st.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle) {
		v := village{id: r.ID}
		for _, x := range st.Find(data.Filter{Village: r.ID}, data.ByDateDesc) {
			if timelineKinds[x.Kind] {
				v.timeline++
			}
		}
		villages = append(villages, v)
	}
	if len(villages) == 0 {
		return p, errors.New("the store has no village")
	}
	slices.SortStableFunc(villages, func(a, b village) int { return b.timeline - a.timeline })
	p.village, p.visitVillage = villages[0].id, villages[0].id
	for _, v := range villages {
		hh := st.Find(data.Filter{Kind: data.KindHousehold, Village: v.id}, data.ByTitle)
		if len(hh) >= visitTicks && distinctTitles(hh[:visitTicks]) {
			p.visitVillage = v.id
			break
		}
	}
	best := -1
	rows := st.Find(data.Filter{Kind: data.KindConcern}, data.ByDateDesc)
	for _, r := range rows[:min(len(rows), 60)] {
		c := new(data.Concern)
		if err := st.Load(r.ID, c); err != nil {
			return p, err
		}
		if c.ConcernKind == data.ConcernDenunciation {
			continue
		}
		score := len(c.History)
		if len([]rune(c.Content)) > 200 {
			score -= 100
		}
		if score > best {
			best, p.concern = score, c.ID
		}
	}
	if p.concern == "" {
		return p, errors.New("the store has no concern")
	}
	return p, nil
}

// visitTicks is how many households the visit form's picture ticks.
const visitTicks = 3

// distinctTitles says whether no two rows have the same title.
func distinctTitles(rows []data.Row) bool {
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r.Title] {
			return false
		}
		seen[r.Title] = true
	}
	return true
}

// screen shows the screen id and stores it in *dst, which must be of the
// screen's type.
func screen[S Screen](sh *Shell, id string, dst *S) error {
	s, ok := sh.ShowScreen(id).(S)
	if !ok {
		return fmt.Errorf("no screen %q of type %T", id, *dst)
	}
	*dst = s
	return nil
}

// shots returns the steps that save the screenshots into dir.
func (ap *autopilot) shots(dir string) []step {
	sh := ap.sh
	file := func(name string) string { return filepath.Join(dir, name+".png") }
	var dash *Dashboard
	return append(append([]step{
		{what: "size the window", act: func() error {
			sh.SetLang(i18n.VI)
			sh.Win.Resize(shotSize)
			return os.MkdirAll(dir, 0o755)
		}},
		{what: "dashboard", shot: file("dashboard"),
			act:   func() error { return screen(sh, "dashboard", &dash) },
			ready: func() (bool, error) { return dash.data.loaded, nil }},
		{what: "concern list", shot: file("concerns"),
			act: func() error {
				if err := screen(sh, "concerns", &ap.concerns); err != nil {
					return err
				}
				ap.concerns.back()
				return nil
			},
			ready: func() (bool, error) { return len(ap.concerns.Rows()) > 0, nil }},
		{what: "concern detail", shot: file("concern-detail"),
			act: func() error {
				sh.OpenRecord("concerns", ap.chosen().concern)
				return nil
			},
			ready: func() (bool, error) {
				d := ap.concerns.Detail
				return d != nil && ap.concerns.pages.showing(d.Content), nil
			}},
		{what: "visit form",
			act: func() error {
				if err := screen(sh, "visits", &ap.visits); err != nil {
					return err
				}
				ap.visits.showList()
				ap.visits.edit(&data.FieldVisit{Village: ap.chosen().visitVillage})
				return nil
			},
			ready: func() (bool, error) {
				f := ap.visits.Form
				return f != nil && ap.visits.pages.showing(f.Content) && len(f.hhRows) > 0, nil
			}},
		{what: "tick households", shot: file("visit-form"),
			act: func() error {
				f := ap.visits.Form
				for _, r := range f.hhRows[:min(visitTicks, len(f.hhRows))] {
					f.pick(r, true)
				}
				f.Households.Refresh()
				return nil
			}},
		{what: "drop the visit's draft", act: func() error {
			ap.shown.visitVillage, ap.shown.ticked = ap.visits.Form.Village.Value(), len(ap.visits.Form.picked)
			ap.visits.Form.draft.drop()
			ap.visits.showList()
			return nil
		}},
		{what: "village",
			act: func() error {
				if err := screen(sh, "villages", &ap.villages); err != nil {
					return err
				}
				ap.villages.Open(ap.chosen().village)
				return nil
			},
			ready: func() (bool, error) {
				d := ap.villages.Detail
				return d != nil && ap.villages.pages.showing(d.Content), nil
			}},
		{what: "village timeline", shot: file("village-timeline"),
			act: func() error {
				d := ap.villages.Detail
				d.Tabs.Select(d.tabTimeline)
				return nil
			},
			ready: func() (bool, error) { return len(ap.villages.Detail.Timeline.Rows()) > 0, nil }},
		{what: "note the timeline shown", act: func() error {
			d := ap.villages.Detail
			if d.Tabs.Selected() == d.tabTimeline {
				ap.shown.village, ap.shown.timelineRows = d.V.ID, len(d.Timeline.Rows())
			}
			return nil
		}},
	}, ap.gallery(filepath.Join(dir, "all"))...), step{what: "quit", act: func() error {
		sh.App.Quit()
		return nil
	}})
}

// gallerySizes, galleryLangs and galleryThemes are the variants every
// screen is shot in: the two commonest commune laptop screens, both
// languages, both themes.
var (
	gallerySizes  = []fyne.Size{fyne.NewSize(1366, 768), fyne.NewSize(1280, 800)}
	galleryLangs  = []i18n.Lang{i18n.VI, i18n.EN}
	galleryThemes = []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark}
)

// variantTheme is the default theme forced to one variant.
type variantTheme struct {
	fyne.Theme
	v fyne.ThemeVariant
}

// Color returns the default theme's colour in the forced variant.
func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.v)
}

// gallery returns the steps that shoot every screen of the navigation in
// every variant, into dir as WxH-LANG-THEME-SCREEN.png, then put the
// window back as it was (1280×800, Vietnamese, light).
func (ap *autopilot) gallery(dir string) []step {
	sh := ap.sh
	steps := []step{{what: "gallery folder", act: func() error { return os.MkdirAll(dir, 0o755) }}}
	for _, size := range gallerySizes {
		for _, l := range galleryLangs {
			for _, v := range galleryThemes {
				size, l, v := size, l, v
				name := "light"
				if v == theme.VariantDark {
					name = "dark"
				}
				prefix := fmt.Sprintf("%dx%d-%s-%s-", int(size.Width), int(size.Height), l, name)
				steps = append(steps, step{what: "variant " + prefix, act: func() error {
					sh.App.Settings().SetTheme(variantTheme{theme.DefaultTheme(), v})
					sh.SetLang(l)
					sh.Win.Resize(size)
					return nil
				}})
				for _, def := range Screens() {
					id := def.ID
					steps = append(steps, step{what: prefix + id, shot: filepath.Join(dir, prefix+id+".png"),
						act: func() error {
							s := sh.ShowScreen(id)
							if li, ok := s.(Lister); ok {
								li.ShowList()
							}
							return nil
						}})
				}
				for _, p := range ap.galleryPages() {
					steps = append(steps, step{what: prefix + p.name, shot: filepath.Join(dir, prefix+p.name+".png"),
						act: p.open, ready: p.ready})
					if p.close != nil {
						steps = append(steps, step{what: "close " + prefix + p.name, act: p.close})
					}
				}
			}
		}
	}
	return append(steps, step{what: "back to the README's window", act: func() error {
		sh.App.Settings().SetTheme(variantTheme{theme.DefaultTheme(), theme.VariantLight})
		sh.SetLang(i18n.VI)
		sh.Win.Resize(shotSize)
		return nil
	}})
}

// galleryPage is a page or dialog of the gallery beyond the navigation's
// screens: how to open it, when it is ready to shoot, and how to close it.
type galleryPage struct {
	name        string
	open, close func() error
	ready       func() (bool, error)
}

// galleryPages are the forms and detail pages a cadre works in, shot in
// every variant after the screens: a tố cáo's form (the longest dialog,
// the denouncer's part shown), a meeting's form, the visit form, a
// concern's page and a village's page.
func (ap *autopilot) galleryPages() []galleryPage {
	sh := ap.sh
	// Their own screens' handles: the README's views stay as the test
	// of shots checks them.
	var (
		meeting  *MeetingForm
		concern  *ConcernForm
		visits   *VisitsScreen
		concerns *ConcernsScreen
		villages *VillagesScreen
	)
	return []galleryPage{
		{name: "concern-form",
			open: func() error {
				c := &data.Concern{ConcernKind: data.ConcernDenunciation, Village: ap.chosen().village}
				concern = openConcernForm(sh, c, nil)
				return nil
			},
			ready: func() (bool, error) { return concern.Dialog != nil && concern.Village.Value() != "", nil },
			close: func() error {
				concern.draft.drop()
				concern.Dialog.Hide()
				return nil
			}},
		{name: "meeting-form",
			open: func() error {
				meeting = openMeetingForm(sh, &data.Meeting{MeetingKind: data.MeetingElders, Village: ap.chosen().village}, nil)
				return nil
			},
			ready: func() (bool, error) { return meeting.Dialog != nil, nil },
			close: func() error {
				meeting.draft.drop()
				meeting.Dialog.Hide()
				return nil
			}},
		{name: "visit-form",
			open: func() error {
				if err := screen(sh, "visits", &visits); err != nil {
					return err
				}
				visits.showList()
				visits.edit(&data.FieldVisit{Village: ap.chosen().visitVillage})
				return nil
			},
			ready: func() (bool, error) {
				f := visits.Form
				return f != nil && visits.pages.showing(f.Content) && len(f.hhRows) > 0, nil
			},
			close: func() error {
				visits.Form.draft.drop()
				visits.showList()
				return nil
			}},
		{name: "concern-detail",
			open: func() error {
				if err := screen(sh, "concerns", &concerns); err != nil {
					return err
				}
				sh.OpenRecord("concerns", ap.chosen().concern)
				return nil
			},
			ready: func() (bool, error) {
				d := concerns.Detail
				return d != nil && concerns.pages.showing(d.Content), nil
			}},
		{name: "village-detail",
			open: func() error {
				if err := screen(sh, "villages", &villages); err != nil {
					return err
				}
				villages.Open(ap.chosen().village)
				return nil
			},
			ready: func() (bool, error) {
				d := villages.Detail
				return d != nil && villages.pages.showing(d.Content), nil
			}},
	}
}

// newConcern returns the steps that open the concern form for the
// typing test.
func (ap *autopilot) newConcern() []step {
	sh := ap.sh
	return []step{
		{what: "open the concern form",
			act: func() error {
				c := &data.Concern{ConcernKind: data.ConcernReport, Village: ap.chosen().village}
				ap.form = openConcernForm(sh, c, func(c *data.Concern) {
					fmt.Fprintln(ap.out, autopilotSaved+c.ID)
				})
				return nil
			},
			ready: func() (bool, error) {
				f := ap.form
				return f.Dialog != nil && f.Village.Value() != "" && sh.Win.Canvas().Focused() == f.Summary, nil
			}},
		{what: "say ready", act: func() error {
			fmt.Fprintln(ap.out, autopilotReady)
			return nil
		}},
	}
}

// wheel returns the steps of the wheel test: open the visit form, say
// where its cadres' entry is on the screen ("autopilot: ready X Y"), wait
// until the page has scrolled, and report how far ("autopilot: scrolled
// N"; 0 if the wheel did nothing in 20 s).
func (ap *autopilot) wheel() []step {
	sh := ap.sh
	var start time.Time
	return []step{
		{what: "open the visit form",
			act: func() error {
				if err := screen(sh, "visits", &ap.visits); err != nil {
					return err
				}
				ap.visits.showList()
				ap.visits.edit(&data.FieldVisit{Village: ap.chosen().visitVillage})
				return nil
			},
			ready: func() (bool, error) {
				f := ap.visits.Form
				return f != nil && ap.visits.pages.showing(f.Content) && len(f.hhRows) > 0, nil
			}},
		{what: "say where the cadres' entry is", act: func() error {
			e := ap.visits.Form.Cadres
			p := fyne.CurrentApp().Driver().AbsolutePositionForObject(e).Add(fyne.NewPos(e.Size().Width/2, e.Size().Height/2))
			scale := sh.Win.Canvas().Scale()
			fmt.Fprintf(ap.out, "%s %d %d\n", autopilotReady, int(p.X*scale), int(p.Y*scale))
			start = time.Now()
			return nil
		}},
		{what: "wait for the wheel",
			ready: func() (bool, error) {
				return ap.visits.Form.Scroll.Offset.Y > 0 || time.Since(start) > 20*time.Second, nil
			}},
		{what: "report the scroll", act: func() error {
			fmt.Fprintf(ap.out, "%s%d\n", autopilotScrolled, int(ap.visits.Form.Scroll.Offset.Y))
			sh.App.Quit()
			return nil
		}},
	}
}

// afterCrash returns the steps that report what the start offered.
func (ap *autopilot) afterCrash() []step {
	sh := ap.sh
	return []step{
		{what: "show the dashboard",
			ready: func() (bool, error) {
				d, ok := sh.builtScreen("dashboard").(*Dashboard)
				return ok && d.data.loaded, nil
			}},
		{what: "report the drafts offered", act: func() error {
			line := fmt.Sprint(len(sh.crashOffered))
			if len(sh.crashOffered) > 0 {
				line += " " + sh.crashOffered[0].label(sh)
			}
			fmt.Fprintln(ap.out, autopilotOffered+line)
			sh.App.Quit()
			return nil
		}},
	}
}

// realRunner runs the autopilot on the real driver, from its own goroutine.
type realRunner struct{ sh *Shell }

func (r realRunner) onUI(fn func()) { fyne.DoAndWait(fn) }

// idle waits for the background jobs, up to stepTimeout: a job that
// never ends fails the step instead.
func (r realRunner) idle() {
	done := make(chan struct{})
	go func() {
		// Wait panics if a job starts just as the last one ends; the
		// caller polls its step's readiness after idle anyway.
		defer func() {
			_ = recover()
			close(done)
		}()
		r.sh.jobs.Wait()
	}()
	select {
	case <-done:
	case <-time.After(stepTimeout):
	}
}

// settle gives the driver time to lay out and paint a few frames.
func (r realRunner) settle() {
	r.onUI(func() {})
	time.Sleep(800 * time.Millisecond)
	r.onUI(func() {})
}
