package ui

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"danvan/data"
)

// liveDelay is how long the open list waits after a store write before it
// reloads: the writes of a pull page or a bundle import come in bursts,
// and the list reloads once per burst, at most every liveDelay.
const liveDelay = 400 * time.Millisecond

// storeWatcher is a screen that shows store data which a pull or a bundle
// import may change while it is open: it is refreshed after such writes.
// Screens that hold a form being edited (settings) do not implement it.
type storeWatcher interface {
	Screen
	watchesStore()
}

func (*ConcernsScreen) watchesStore()  {}
func (*MeetingsScreen) watchesStore()  {}
func (*VisitsScreen) watchesStore()    {}
func (*VillagesScreen) watchesStore()  {}
func (*Dashboard) watchesStore()       {}
func (*ConflictsScreen) watchesStore() {}
func (*Trash) watchesStore()           {}

// liveRefresh coalesces store writes into one refresh of the open screen.
type liveRefresh struct {
	mu      sync.Mutex
	pending bool
}

// watchStore makes writes to st (saves, pulls, bundle imports) refresh
// the open screen, once per burst, on the UI goroutine.
func (sh *Shell) watchStore(st *data.Store) {
	st.OnWrite(func() {
		sh.live.mu.Lock()
		defer sh.live.mu.Unlock()
		if sh.live.pending {
			return
		}
		sh.live.pending = true
		sh.jobAdd() // a refresh on its way counts as work in progress (tests wait for it)
		time.AfterFunc(liveDelay, func() {
			sh.live.mu.Lock()
			sh.live.pending = false
			sh.live.mu.Unlock()
			fyne.Do(func() {
				defer sh.jobDone()
				if sh.Store() == st {
					sh.storeChanged()
				}
			})
		})
	})
}

// storeChanged refreshes the open screen if it shows store data.
func (sh *Shell) storeChanged() {
	if sh.Main == nil {
		return
	}
	if s, ok := sh.Main.cache[sh.Main.current].(storeWatcher); ok {
		s.Refresh()
	}
}

// seen clears the colleague mark of a record the user opened, and
// refreshes the open list so that its row loses the mark.
func (sh *Shell) seen(id string) {
	st := sh.Store()
	if st == nil || !st.FromColleague(id) {
		return
	}
	sh.Go(func() error { return st.MarkSeen(id) }, func(err error) {
		if err != nil {
			sh.ShowError(err)
			return
		}
		sh.storeChanged()
	})
}

// colleagueMark is put before the title of a record a colleague changed
// that has not been opened here since.
const colleagueMark = "● "

// markColleague marks a list row's title and detail line when the record
// came from a colleague and has not been opened yet.
func (sh *Shell) markColleague(id string, title, sub *string) {
	st := sh.Store()
	if st == nil || !st.FromColleague(id) {
		return
	}
	*title = colleagueMark + *title
	*sub = joinParts(sh.T("list.from_colleague"), *sub)
}

// markItem applies markColleague to a record list's row.
func (sh *Shell) markItem(id string, it *listItem) {
	title, meta := it.Title.Text, it.Meta.Text
	sh.markColleague(id, &title, &meta)
	if title != it.Title.Text {
		it.Title.SetText(title)
		it.Meta.SetText(meta)
	}
}
