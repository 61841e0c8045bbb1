// Package ui holds the Fyne screens of Sổ tay Dân vận.
//
// It receives a fyne.App from main and never creates one (only main imports
// fyne.io/fyne/v2/app), so its tests run on fyne.io/fyne/v2/test with
// CGO_ENABLED=0 and no display. Each screen is a small struct whose widgets
// are fields, built by a constructor and driven by methods.
package ui

import (
	"encoding/json"
	"fmt"
	"log"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"

	"danvan/data"
	"danvan/i18n"
)

// Options configure the user interface.
type Options struct {
	// StoreDir is the directory of the local store.
	StoreDir string
	// Lang is the interface language; "" means the one chosen last (kept
	// in the app's preferences), else i18n.Default.
	Lang i18n.Lang
	// Today fixes the day deadlines and "this month" are judged on, for
	// tests and demos; "" means the real today.
	Today data.Date
	// About is what the About dialog shows: version, build, licences.
	About AboutInfo
}

// prefLang is the app preference that keeps the chosen language, so that
// the passphrase screen of the next start is already in it.
const prefLang = "lang"

var (
	registerFyneStrings sync.Once
	fyneLangMu          sync.Mutex
	fyneLang            i18n.Lang // the language last given to Fyne's strings
)

// Run shows the main window on a and runs the app until the user quits,
// then closes the store. It must be called from the main goroutine.
func Run(a fyne.App, o Options) error {
	w := a.NewWindow("")
	w.SetMaster()
	w.Resize(fyne.NewSize(1100, 720))
	sh := NewShell(a, w, o)
	sh.Start()
	startAutopilot(sh)
	w.ShowAndRun()
	return sh.Close()
}

// Shell owns the main window and leads the user from unlocking the store,
// through choosing the commune and entering their profile, to the main
// window with its screens.
type Shell struct {
	App  fyne.App
	Win  fyne.Window
	opts Options
	tx   texts

	mu      sync.Mutex
	store   *data.Store // set once the store is open
	pass    string      // the passphrase the store was opened with
	closed  bool
	settled bool           // settleMemory ran for the open store
	opening sync.WaitGroup // store opens and re-keys in flight, for Close
	jobs    sync.WaitGroup // background jobs until their UI update ran, for Close
	busy    atomic.Int64   // the same count, which tests poll (see wait)

	relabel  func()        // rebuilds the shown view in a new language
	forms    []Saver       // forms that want Ctrl+S, topmost last
	dialogs  []shownDialog // dialogs shown with ShowDialog, topmost last
	syncText string        // the sync state fed by SetSyncStatus; "" = not connected
	// unclean is set when the store was not closed by the app last time
	// (a crash, a kill, a power cut): the dashboard then offers the drafts.
	unclean bool
	// crashOffered are the drafts offered at start after an unclean exit.
	crashOffered []DraftItem
	// restoreKey is the draft the user chose to open from the dashboard.
	restoreKey string
	// remindedOn is the day the last reminder went out; reminderTimer
	// wakes the app once a day for the next.
	remindedOn    data.Date
	reminderTimer *time.Timer
	syncSvc       syncService // the sync worker of the open store
	backups       backupState // automatic backups in flight
	queue         *uiQueue    // tests only: UI updates waiting for wait()
	live          liveRefresh // store writes waiting to refresh the open screen

	// The screen shown last of each kind; nil until first shown.
	Unlock  *UnlockScreen
	Problem *ProblemScreen
	Picker  *CommunePicker
	Profile *ProfileStep
	Main    *MainWindow
}

// NewShell returns the shell for window w of app a. Call Start to show
// the first screen.
func NewShell(a fyne.App, w fyne.Window, o Options) *Shell {
	if o.Lang == "" {
		o.Lang = i18n.Lang(a.Preferences().StringWithFallback(prefLang, string(i18n.Default)))
	}
	sh := &Shell{App: a, Win: w, opts: o}
	sh.useLang(i18n.ParseLang(string(o.Lang)))
	w.SetTitle(sh.T("app.title"))
	return sh
}

// Start shows the first screen: create a store, unlock it, or (for a
// store without a passphrase) open it straight away.
func (sh *Shell) Start() {
	dir := sh.opts.StoreDir
	switch {
	case !data.StoreExists(dir):
		sh.showUnlock(true)
	case data.HasPassphrase(dir):
		sh.showUnlock(false)
	default:
		sh.showLoading()
		sh.open("", func(err error) { sh.showProblem(err) })
	}
}

// Store returns the open store, or nil.
func (sh *Shell) Store() *data.Store {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.store
}

// Today returns the day deadlines and periods are judged on: the fixed
// Options.Today, or the real today.
func (sh *Shell) Today() data.Date {
	if sh.opts.Today != "" {
		return sh.opts.Today
	}
	return data.Today()
}

// Lang returns the interface language.
func (sh *Shell) Lang() i18n.Lang { return sh.tx.lang() }

// SetLang switches the interface to l at once: it keeps the choice (in
// the app's preferences and, once there is one, the cadre's profile) and
// rebuilds the shown screens in the new language. Call it on the UI
// goroutine.
func (sh *Shell) SetLang(l i18n.Lang) {
	l = i18n.ParseLang(string(l))
	if l == sh.Lang() {
		return
	}
	sh.useLang(l)
	if st := sh.Store(); st != nil {
		if p, ok := st.Profile(); ok {
			p.Lang = string(l)
			sh.Go(func() error { return st.SetProfile(p) }, sh.ShowError)
		}
	}
	if sh.relabel != nil {
		sh.relabel()
	}
}

// useLang makes l the language of new texts, of Fyne's own dialog strings,
// and of the next start, without rebuilding anything.
func (sh *Shell) useLang(l i18n.Lang) {
	sh.tx = texts{i18n.New(l)}
	sh.App.Preferences().SetString(prefLang, string(l))
	useFyneLang(l)
}

// useFyneLang makes Fyne's own strings (dialog buttons, the calendar's
// weekdays) follow the app's language rather than the system's: Fyne
// picks its translation from the system locale and offers no override,
// so the chosen language's strings are registered under that locale and
// under English, Fyne's fallback.
func useFyneLang(l i18n.Lang) {
	fyneLangMu.Lock()
	defer fyneLangMu.Unlock()
	if fyneLang == l {
		return
	}
	fyneLang = l
	var b []byte
	if l == i18n.VI {
		var err error
		if b, err = i18n.FyneTranslations.ReadFile(i18n.FyneTranslationsDir + "/base.vi.json"); err != nil {
			fyne.LogError("read Vietnamese Fyne strings", err)
			return
		}
	} else {
		b, _ = json.Marshal(fyneEnglish)
	}
	registerFyneStrings.Do(func() {
		if err := lang.AddTranslationsFS(i18n.FyneTranslations, i18n.FyneTranslationsDir); err != nil {
			fyne.LogError("register Vietnamese Fyne strings", err)
		}
	})
	// The system locale, and English: Fyne's fallback when the system
	// locale is unknown (e.g. "C").
	for _, loc := range []fyne.Locale{lang.SystemLocale(), "en"} {
		if err := lang.AddTranslationsForLocale(b, loc); err != nil {
			fyne.LogError("use Fyne strings in "+string(l), err)
		}
	}
}

// fyneEnglish restores Fyne's English strings after Vietnamese was
// registered under the system locale: the keys are their own English
// text except these.
var fyneEnglish = func() map[string]any {
	m := map[string]any{
		"file.name": map[string]string{"other": "Name"}, "file.parent": map[string]string{"other": "Parent"},
	}
	for _, k := range []string{"Advanced", "Cancel", "Confirm", "Copy", "Create Folder", "Cut", "Enter filename",
		"Error", "Favourites", "File", "Folder", "New Folder", "No", "OK", "Open", "Paste", "Quit", "Redo", "Save",
		"Select all", "Show Hidden Files", "Undo", "Yes"} {
		m[k] = k
	}
	for _, d := range []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"} {
		key := strings.ToLower(d)
		m[key], m[key+".short"] = d, d[:3]
	}
	return m
}()

// Close closes the store, waiting for an open in flight. The shell must
// not be used afterwards.
func (sh *Shell) Close() error {
	sh.mu.Lock()
	sh.closed = true
	sh.mu.Unlock()
	sh.opening.Wait()
	if sh.reminderTimer != nil {
		sh.reminderTimer.Stop()
	}
	sh.stopStoreServices()
	sh.mu.Lock()
	st := sh.store
	sh.store = nil
	sh.mu.Unlock()
	if st == nil {
		return nil
	}
	return st.Close()
}

// open opens the store with passphrase off the UI goroutine, then shows
// the next screen, or calls fail with the error, on the UI goroutine.
func (sh *Shell) open(passphrase string, fail func(error)) {
	sh.opening.Add(1)
	sh.jobAdd()
	go func() {
		st, err := data.Open(sh.opts.StoreDir, data.Options{Passphrase: passphrase, Logf: log.Printf})
		var unclean bool
		if err == nil {
			unclean, _ = st.MarkRunning()
		}
		sh.mu.Lock()
		sh.unclean = unclean
		closed := sh.closed
		if err == nil && !closed {
			sh.store, sh.pass = st, passphrase
		}
		sh.mu.Unlock()
		sh.opening.Done()
		if closed {
			if err == nil {
				_ = st.Close()
			}
			sh.jobDone()
			return
		}
		fyne.Do(func() {
			defer sh.jobDone()
			if err != nil {
				fail(err)
				return
			}
			sh.storeReady()
		})
	}()
}

// ChangePassphrase re-locks the open store under newPass (oldPass is ""
// for a store without a passphrase). A wrong oldPass gives
// data.ErrWrongPassphrase at once and changes nothing. Otherwise the store
// is closed, re-keyed and reopened off the UI goroutine; done then gets
// the outcome on the UI goroutine. If the store cannot be reopened, the
// problem screen replaces the main window.
func (sh *Shell) ChangePassphrase(oldPass, newPass string, done func(error)) {
	sh.mu.Lock()
	st, cur := sh.store, sh.pass
	sh.mu.Unlock()
	switch {
	case st == nil:
		done(errNoStore)
		return
	case oldPass != cur:
		done(fmt.Errorf("change passphrase: %w", data.ErrWrongPassphrase))
		return
	}
	dir := sh.opts.StoreDir
	sh.reopen(st, oldPass, func() (string, error) { return newPass, data.ChangePassphrase(dir, oldPass, newPass) },
		func(changeErr, openErr error) {
			if openErr != nil {
				done(openErr)
				return
			}
			if sh.Main != nil {
				sh.Main.reset(false)
			}
			done(changeErr)
		})
}

// reopen closes the open store st, after stopping its background services,
// runs change on the closed store's directory, and opens the store again,
// all off the UI goroutine: with the passphrase change returns, or with
// oldPass if change failed (the store is then as it was). done then gets
// change's error and the reopening's on the UI goroutine; if the store
// cannot be reopened, the problem screen is already shown.
func (sh *Shell) reopen(st *data.Store, oldPass string, change func() (newPass string, err error), done func(changeErr, openErr error)) {
	dir := sh.opts.StoreDir
	var changeErr, openErr error
	sh.opening.Add(1)
	sh.Go(func() error {
		defer sh.opening.Done()
		sh.stopStoreServices()
		var pass string
		if changeErr = st.Close(); changeErr == nil {
			pass, changeErr = change()
		}
		if changeErr != nil {
			pass = oldPass
		}
		st2, err := data.Open(dir, data.Options{Passphrase: pass, Logf: log.Printf})
		openErr = err
		sh.mu.Lock()
		defer sh.mu.Unlock()
		switch {
		case err != nil:
			sh.store = nil
		case sh.closed:
			sh.store = nil
			_ = st2.Close()
		default:
			if p, ok := st2.Profile(); ok {
				st2.SetActor(p.Name)
			}
			sh.store, sh.pass = st2, pass
		}
		return nil
	}, func(error) {
		if openErr != nil {
			sh.showProblem(openErr)
		} else {
			sh.startSync()
		}
		done(changeErr, openErr)
	})
}

// wait blocks until every background job has updated the UI (for
// tests). With a uiQueue (see newTestShell), it runs the queued UI
// updates on the calling goroutine meanwhile.
func (sh *Shell) wait() {
	if sh.queue == nil {
		sh.jobs.Wait()
		return
	}
	// The count is polled rather than waited for: UI updates run here may
	// start new jobs, and a WaitGroup must not gain jobs from zero while
	// another goroutine waits on it.
	for {
		sh.queue.run()
		if sh.busy.Load() == 0 {
			sh.queue.run()
			if sh.busy.Load() == 0 {
				return
			}
		}
		select {
		case <-sh.queue.ready:
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// uiQueue holds UI updates that background goroutines handed to fyne.Do,
// for Shell.wait to run on the test goroutine. The real driver runs them
// on the UI goroutine, one at a time; the test driver would run them at
// once on the background goroutine, racing with the test's own use of the
// widgets.
type uiQueue struct {
	mu    sync.Mutex
	fns   []func()
	ready chan struct{} // signalled when fns is not empty
}

func newUIQueue() *uiQueue { return &uiQueue{ready: make(chan struct{}, 1)} }

// push queues fn.
func (q *uiQueue) push(fn func()) {
	q.mu.Lock()
	q.fns = append(q.fns, fn)
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// run runs the queued functions, and those they queue, in order.
func (q *uiQueue) run() {
	for {
		q.mu.Lock()
		fns := q.fns
		q.fns = nil
		q.mu.Unlock()
		if len(fns) == 0 {
			return
		}
		for _, fn := range fns {
			fn()
		}
	}
}

// storeReady applies the cadre's profile and shows the commune picker,
// the profile step or the main window, whichever comes next.
func (sh *Shell) storeReady() {
	st := sh.Store()
	sh.startAutoBackup(st)
	sh.watchStore(st)
	p, hasProfile := st.Profile()
	if hasProfile {
		st.SetActor(p.Name)
		if p.Lang != "" {
			sh.useLang(i18n.ParseLang(p.Lang))
		}
	}
	switch {
	case st.Commune() == "":
		sh.showPicker()
	case !hasProfile:
		sh.showProfile()
	default:
		sh.showMain()
	}
}

// show puts content in the window, focuses focus, and remembers how to
// rebuild the view after a language change (relabel may be nil).
func (sh *Shell) show(content fyne.CanvasObject, focus fyne.Focusable, relabel func()) {
	sh.relabel = relabel
	sh.Win.SetContent(content)
	if focus != nil {
		sh.Win.Canvas().Focus(focus)
	}
}

func (sh *Shell) showUnlock(create bool) {
	sh.Unlock = newUnlockScreen(sh, create)
	sh.show(sh.Unlock.Content, sh.Unlock.Pass, nil)
}

func (sh *Shell) showLoading() {
	sh.show(newLoading(sh.tx), nil, nil)
}

func (sh *Shell) showProblem(err error) {
	sh.Main = nil
	sh.Win.SetMainMenu(nil)
	sh.Problem = newProblemScreen(sh, err)
	sh.show(sh.Problem.Content, nil, nil)
}

func (sh *Shell) showPicker() {
	sh.Picker = newCommunePicker(sh)
	sh.show(sh.Picker.Content, sh.Picker.Search, nil)
}

func (sh *Shell) showProfile() {
	var keep *ProfileStep
	if sh.Profile != nil && sh.Win.Content() == sh.Profile.Content {
		keep = sh.Profile
	}
	sh.Profile = newProfileStep(sh, keep)
	sh.show(sh.Profile.Content, sh.Profile.Name, sh.showProfile)
}

// showMain shows the main window on its first screen.
func (sh *Shell) showMain() {
	sh.Main = newMainWindow(sh)
	sh.Win.SetTitle(sh.windowTitle())
	sh.installMenus()
	sh.show(sh.Main.Content, nil, sh.Main.rebuild)
	if defs := sh.Main.defs; len(defs) > 0 {
		sh.Main.show(defs[0].ID)
	}
	sh.startSync()
	sh.scheduleDailyReminder()
}

// windowTitle is "Sổ tay Dân vận — <commune>".
func (sh *Shell) windowTitle() string {
	title := sh.T("app.title")
	if c, ok := data.CommuneByCode(sh.Store().Commune()); ok {
		title += " — " + c.Name
	}
	return title
}

// ShowDialog shows d and lets Esc close it through d.Hide, so that its
// callbacks run as if the user pressed its dismiss button. Screens should
// show their dialogs with it.
func (sh *Shell) ShowDialog(d dialog.Dialog) {
	d.Show()
	sh.dialogs = append(sh.dialogs, shownDialog{d: d, overlay: sh.Win.Canvas().Overlays().Top()})
}

// settleMemory hands the garbage of opening a store (decoding its index,
// the first screens) back to the operating system, once per store, off the
// UI goroutine: otherwise an idle app keeps it resident until the next GC.
func (sh *Shell) settleMemory() {
	sh.mu.Lock()
	done := sh.settled
	sh.settled = true
	sh.mu.Unlock()
	if !done {
		sh.Go(func() error { debug.FreeOSMemory(); return nil }, nil)
	}
}

// jobAdd counts a background job in until its UI update has run.
func (sh *Shell) jobAdd() {
	sh.jobs.Add(1)
	sh.busy.Add(1)
}

// jobDone counts a background job out.
func (sh *Shell) jobDone() {
	sh.busy.Add(-1)
	sh.jobs.Done()
}
