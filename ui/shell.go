// Package ui holds the Fyne screens of Sổ tay Dân vận.
//
// It receives a fyne.App from main and never creates one (only main imports
// fyne.io/fyne/v2/app), so its tests run on fyne.io/fyne/v2/test with
// CGO_ENABLED=0 and no display. Each screen is a small struct whose widgets
// are fields, built by a constructor and driven by methods.
package ui

import (
	"log"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"danvan/data"
	"danvan/i18n"
)

// Options configure the user interface.
type Options struct {
	// StoreDir is the directory of the local store.
	StoreDir string
	// Lang is the interface language; "" means i18n.Default.
	Lang i18n.Lang
}

var registerFyneStrings sync.Once

// Run shows the main window on a and runs the app until the user quits,
// then closes the store. It must be called from the main goroutine.
func Run(a fyne.App, o Options) error {
	registerFyneStrings.Do(func() {
		if err := lang.AddTranslationsFS(i18n.FyneTranslations, i18n.FyneTranslationsDir); err != nil {
			fyne.LogError("register Vietnamese Fyne strings", err)
		}
	})
	w := a.NewWindow("")
	w.SetMaster()
	w.Resize(fyne.NewSize(960, 640))
	sh := NewShell(a, w, o)
	sh.Start()
	w.ShowAndRun()
	return sh.Close()
}

// Shell owns the main window and leads the user from unlocking the store,
// through choosing the commune, to the overview.
type Shell struct {
	App  fyne.App
	Win  fyne.Window
	opts Options
	tx   texts

	mu      sync.Mutex
	store   *data.Store // set once the store is open
	closed  bool
	opening sync.WaitGroup // store opens in flight, for Close
	jobs    sync.WaitGroup // background jobs until their UI update ran, for tests

	// The screen shown last of each kind; nil until first shown.
	Unlock   *UnlockScreen
	Problem  *ProblemScreen
	Picker   *CommunePicker
	Overview *Overview
}

// NewShell returns the shell for window w of app a. Call Start to show
// the first screen.
func NewShell(a fyne.App, w fyne.Window, o Options) *Shell {
	if o.Lang == "" {
		o.Lang = i18n.Default
	}
	sh := &Shell{App: a, Win: w, opts: o, tx: texts{i18n.New(o.Lang)}}
	w.SetTitle(sh.tx.T("app.title"))
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

// Close closes the store, waiting for an open in flight. The shell must
// not be used afterwards.
func (sh *Shell) Close() error {
	sh.mu.Lock()
	sh.closed = true
	sh.mu.Unlock()
	sh.opening.Wait()
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
	sh.jobs.Add(1)
	go func() {
		st, err := data.Open(sh.opts.StoreDir, data.Options{Passphrase: passphrase, Logf: log.Printf})
		sh.mu.Lock()
		closed := sh.closed
		if err == nil && !closed {
			sh.store = st
		}
		sh.mu.Unlock()
		sh.opening.Done()
		if closed {
			if err == nil {
				_ = st.Close()
			}
			sh.jobs.Done()
			return
		}
		fyne.Do(func() {
			defer sh.jobs.Done()
			if err != nil {
				fail(err)
				return
			}
			sh.storeReady()
		})
	}()
}

// wait blocks until every background job has updated the UI (for tests).
func (sh *Shell) wait() { sh.jobs.Wait() }

// storeReady shows the commune picker or, once a commune is set, the overview.
func (sh *Shell) storeReady() {
	if sh.Store().Commune() == "" {
		sh.showPicker()
		return
	}
	sh.showOverview()
}

func (sh *Shell) show(content fyne.CanvasObject, focus fyne.Focusable) {
	sh.Win.SetContent(content)
	if focus != nil {
		sh.Win.Canvas().Focus(focus)
	}
}

func (sh *Shell) showUnlock(create bool) {
	sh.Unlock = newUnlockScreen(sh, create)
	sh.show(sh.Unlock.Content, sh.Unlock.Pass)
}

func (sh *Shell) showLoading() {
	sh.show(newLoading(sh.tx), nil)
}

func (sh *Shell) showProblem(err error) {
	sh.Problem = newProblemScreen(sh, err)
	sh.show(sh.Problem.Content, nil)
}

func (sh *Shell) showPicker() {
	sh.Picker = newCommunePicker(sh)
	sh.show(sh.Picker.Content, sh.Picker.Search)
}

func (sh *Shell) showOverview() {
	sh.Overview = newOverview(sh)
	sh.show(sh.Overview.Content, nil)
}
