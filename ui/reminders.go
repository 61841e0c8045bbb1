package ui

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

// ReminderDays is how many working days ahead a deadline is a reminder.
const ReminderDays = 3

// prefReminders turns the reminders (desktop notifications) on or off.
const prefReminders = "reminders"

// RemindersOn reports whether desktop reminders are on (the default).
func (sh *Shell) RemindersOn() bool {
	return sh.App.Preferences().BoolWithFallback(prefReminders, true)
}

// SetReminders turns desktop reminders on or off.
func (sh *Shell) SetReminders(on bool) { sh.App.Preferences().SetBool(prefReminders, on) }

// loadReminders lists the concerns whose deadline (intake or resolution)
// has passed or falls within ReminderDays working days of today, the
// commune's clock still running: the most urgent (earliest deadline) first.
func loadReminders(st *data.Store, today data.Date, villages map[string]string) []OverdueItem {
	limit := st.Calendar().AddWorkingDays(today, ReminderDays)
	var out []OverdueItem
	for _, r := range st.Find(data.Filter{Kind: data.KindConcern}, data.ByDateDesc) {
		if r.Deadline == "" || r.Deadline > limit || !data.ConcernStatus(r.Status).Clocked() {
			continue
		}
		it := OverdueItem{ID: r.ID, Title: r.Title, Village: villages[r.Village], Deadline: r.Deadline}
		if r.Deadline < today {
			it.Days = data.DaysBetween(r.Deadline, today)
		} else {
			it.Left = data.DaysBetween(today, r.Deadline)
		}
		out = append(out, it)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Deadline != out[j].Deadline {
			return out[i].Deadline < out[j].Deadline
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// dueText is how a reminder row says its urgency.
func (it OverdueItem) dueText(sh *Shell) string {
	switch {
	case it.Days > 0:
		return sh.T("dashboard.overdue_days", "Count", it.Days)
	case it.Left == 0:
		return sh.T("dashboard.due_today")
	}
	return sh.T("dashboard.due_in", "Count", it.Left)
}

// reminderNotice is the desktop notification for what the dashboard
// lists, or nil when nothing is due.
func reminderNotice(sh *Shell, got dashData) *fyne.Notification {
	overdue, soon := 0, 0
	for _, it := range got.overdue {
		if it.Days > 0 {
			overdue++
		} else {
			soon++
		}
	}
	actions := 0
	for _, a := range got.actions {
		if a.Due <= sh.Today() {
			actions++
		}
	}
	if overdue+soon+actions+got.breaches == 0 {
		return nil
	}
	var parts []string
	if got.breaches > 0 {
		// First: the 72-hour notice of a breach runs in hours, not days.
		parts = append(parts, sh.T("remind.breaches", "Count", got.breaches))
	}
	if overdue > 0 {
		parts = append(parts, sh.T("remind.overdue", "Count", overdue))
	}
	if soon > 0 {
		parts = append(parts, sh.T("remind.soon", "Count", soon, "Days", ReminderDays))
	}
	if actions > 0 {
		parts = append(parts, sh.T("remind.actions", "Count", actions))
	}
	body := strings.Join(parts, "; ") + "."
	if len(got.overdue) > 0 {
		body += " " + sh.T("remind.first", "Title", clipWords(got.overdue[0].Title, 60))
	}
	return fyne.NewNotification(sh.T("remind.title"), body)
}

// remind sends the day's reminder once per day, if reminders are on.
func (sh *Shell) remind(got dashData) {
	if !sh.RemindersOn() || !got.loaded {
		return
	}
	day := sh.Today()
	if sh.remindedOn == day {
		return
	}
	sh.remindedOn = day
	if n := reminderNotice(sh, got); n != nil {
		sh.App.SendNotification(n)
	}
}

// scheduleDailyReminder refreshes the dashboard (and so reminds) at 7:30
// the next morning: one wake-up a day, none in between.
func (sh *Shell) scheduleDailyReminder() {
	if sh.reminderTimer != nil {
		sh.reminderTimer.Stop()
	}
	now := time.Now()
	next := time.Date(now.Year(), now.Month(), now.Day(), 7, 30, 0, 0, now.Location())
	if !next.After(now) {
		next = next.AddDate(0, 0, 1)
	}
	sh.reminderTimer = time.AfterFunc(next.Sub(now), func() {
		fyne.Do(func() {
			if d, ok := sh.builtScreen("dashboard").(*Dashboard); ok {
				d.Refresh()
			}
			sh.scheduleDailyReminder()
		})
	})
}

// clipWords cuts s to about n characters at a word boundary, with "…".
func clipWords(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndex(cut, " "); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

// DraftItem is a kept draft as the dashboard lists it.
type DraftItem struct {
	Key   string
	Kind  string // the record kind's label
	Words string // its first words
	Saved time.Time
}

// draftFields are, by kind, the fields of a draft whose words name it.
var draftFields = []string{"Summary", "Name", "Head", "Title", "Chair", "Activities", "Topics", "Content"}

// draftItems names the kept drafts for the dashboard.
func draftItems(sh *Shell, ds []data.DraftInfo) []DraftItem {
	var out []DraftItem
	for _, d := range ds {
		kind, _, _ := strings.Cut(d.Key, "/")
		it := DraftItem{Key: d.Key, Kind: sh.EnumText("kind", kind), Saved: d.Saved}
		var m map[string]any
		if json.Unmarshal(d.Form, &m) == nil {
			for _, f := range draftFields {
				if s, ok := m[f].(string); ok && strings.TrimSpace(s) != "" {
					it.Words = clipWords(s, 60)
					break
				}
			}
			// Nothing typed yet but a village chosen (a visit, a meeting):
			// the village and the date name it.
			if v, ok := m["Village"].(string); ok && it.Words == "" && v != "" && sh.Store() != nil {
				if r, ok := sh.Store().Row(v); ok && r.Kind == data.KindVillage {
					it.Words = r.Title
					for _, f := range []string{"From", "Date", "Received"} {
						if dt, ok := m[f].(string); ok && dt != "" {
							it.Words += ", " + dt
							break
						}
					}
				}
			}
		}
		out = append(out, it)
	}
	return out
}

// draftLabel is the dashboard's line for the kept draft key, or "" when
// there is none.
func (sh *Shell) draftLabel(key string) string {
	st := sh.Store()
	if st == nil {
		return ""
	}
	ds, err := st.Drafts()
	if err != nil {
		return ""
	}
	for _, it := range draftItems(sh, ds) {
		if it.Key == key {
			return it.label(sh)
		}
	}
	return ""
}

// label is a draft's line on the dashboard: kind, “first words”, when.
func (it DraftItem) label(sh *Shell) string {
	words := it.Words
	if words == "" {
		words = sh.T("drafts.untitled")
	}
	s := fmt.Sprintf("%s · “%s”", it.Kind, words)
	if !it.Saved.IsZero() {
		s += " · " + sh.T("drafts.saved_at", "Time", it.Saved.Local().Format("15:04 02/01/2006"))
	}
	return s
}

// DraftsBlock is the dashboard's "Bản nháp chưa lưu": every kept draft,
// with Mở (open it, restored) and Bỏ (discard it, after asking).
type DraftsBlock struct {
	sh      *Shell
	Title   *widget.Label
	Rows    *fyne.Container
	Content *fyne.Container
	Items   []DraftItem
	// refresh reloads the dashboard after a discard.
	refresh func()
}

func newDraftsBlock(sh *Shell, refresh func()) *DraftsBlock {
	b := &DraftsBlock{sh: sh, Title: sectionTitle(""), Rows: container.NewVBox(), refresh: refresh}
	b.Content = container.NewVBox(b.Title, b.Rows, widget.NewSeparator())
	b.Content.Hide()
	return b
}

// set shows items (hidden when there is none).
func (b *DraftsBlock) set(items []DraftItem) {
	b.Items = items
	b.Title.SetText(b.sh.T("drafts.title", "N", len(items)))
	b.Rows.RemoveAll()
	for _, it := range items {
		it := it
		open := widget.NewButtonWithIcon(b.sh.T("drafts.open"), theme.DocumentIcon(), func() { b.sh.OpenDraft(it.Key) })
		open.Importance = widget.HighImportance
		discard := widget.NewButtonWithIcon(b.sh.T("drafts.discard"), theme.DeleteIcon(), func() { b.Discard(it) })
		l := widget.NewLabel(it.label(b.sh))
		l.Truncation = fyne.TextTruncateEllipsis
		b.Rows.Add(container.NewBorder(nil, nil, nil, container.NewHBox(open, discard), l))
	}
	showIf(b.Content, len(items) > 0)
}

// Discard asks, then drops the draft and refreshes.
func (b *DraftsBlock) Discard(it DraftItem) {
	d := dialog.NewConfirm(b.sh.T("drafts.discard_title"), b.sh.T("drafts.discard_question", "Draft", it.label(b.sh)), func(ok bool) {
		if !ok {
			return
		}
		st := b.sh.Store()
		if st == nil {
			return
		}
		b.sh.Go(func() error { return st.DeleteDraft(it.Key) }, func(err error) {
			if err != nil {
				b.sh.ShowError(err)
			}
			b.refresh()
		})
	}, b.sh.Win)
	d.SetConfirmText(b.sh.T("drafts.discard"))
	d.SetDismissText(b.sh.T("btn.cancel"))
	b.sh.ShowDialog(d)
}

// takeRestore reports whether key is the draft the user chose to open,
// and forgets it.
func (sh *Shell) takeRestore(key string) bool {
	if sh.restoreKey != "" && sh.restoreKey == key {
		sh.restoreKey = ""
		return true
	}
	return false
}

// OpenDraft opens the form a kept draft belongs to, with the draft
// restored: a new record's form, or the record's own.
func (sh *Shell) OpenDraft(key string) {
	kind, rest, _ := strings.Cut(key, "/")
	sh.restoreKey = key
	refresh := func() {
		if d, ok := sh.builtScreen("dashboard").(*Dashboard); ok {
			d.Refresh()
		}
	}
	isNew := rest == "new" || strings.HasPrefix(rest, "new/")
	switch kind {
	case "concern":
		switch {
		case rest == "new":
			OpenConcernForm(sh, nil, func(*data.Concern) { refresh() })
		case strings.HasPrefix(rest, "new/meeting/"):
			OpenConcernForm(sh, &data.Concern{MeetingID: strings.TrimPrefix(rest, "new/meeting/")}, func(*data.Concern) { refresh() })
		case strings.HasPrefix(rest, "new/visit/"):
			OpenConcernForm(sh, &data.Concern{VisitID: strings.TrimPrefix(rest, "new/visit/")}, func(*data.Concern) { refresh() })
		default:
			var c data.Concern
			loadThen(sh, rest, &c, func() { OpenConcernForm(sh, &c, func(*data.Concern) { refresh() }) })
		}
	case "meeting":
		if isNew {
			openMeetingForm(sh, &data.Meeting{}, func(*data.Meeting) { refresh() })
			return
		}
		var m data.Meeting
		loadThen(sh, rest, &m, func() { openMeetingForm(sh, &m, func(*data.Meeting) { refresh() }) })
	case "visit":
		s, ok := sh.ShowScreen("visits").(*VisitsScreen)
		if !ok {
			return
		}
		if isNew {
			s.New()
			return
		}
		var v data.FieldVisit
		loadThen(sh, rest, &v, func() { s.edit(&v) })
	case "model":
		s, ok := sh.ShowScreen("models").(*ModelsScreen)
		if !ok {
			return
		}
		if isNew {
			s.New()
			return
		}
		var m data.Model
		loadThen(sh, rest, &m, func() { s.edit(&m) })
	case "village":
		s, ok := sh.ShowScreen("villages").(*VillagesScreen)
		if !ok {
			return
		}
		if isNew {
			s.New()
			return
		}
		var v data.Village
		loadThen(sh, rest, &v, func() { s.edit(&v) })
	default:
		// Households and persons are edited from their village's page:
		// show it; the form offers the draft when it opens.
		sh.restoreKey = ""
		s, ok := sh.ShowScreen("villages").(*VillagesScreen)
		if !ok || isNew {
			return
		}
		var h data.Household
		var p data.Person
		obj := data.Object(&h)
		if kind == "person" {
			obj = &p
		}
		loadThen(sh, rest, obj, func() {
			if kind == "person" {
				s.Open(p.Village)
			} else {
				s.Open(h.Village)
			}
		})
	}
}

// offerDraftsAfterCrash tells the user, at start after an unclean exit,
// that drafts were kept, and opens the newest on request.
func (sh *Shell) offerDraftsAfterCrash(items []DraftItem) {
	if len(items) == 0 {
		return
	}
	sh.crashOffered = items
	var lines []string
	for _, it := range items {
		lines = append(lines, "• "+it.label(sh))
	}
	d := dialog.NewConfirm(sh.T("drafts.crash_title"), sh.T("drafts.crash_question", "N", len(items))+"\n\n"+strings.Join(lines, "\n"), func(ok bool) {
		if ok {
			sh.OpenDraft(items[0].Key)
		}
	}, sh.Win)
	d.SetConfirmText(sh.T("drafts.crash_open"))
	d.SetDismissText(sh.T("drafts.crash_later"))
	sh.ShowDialog(d)
}

// FirstDay is the empty notebook's "where to start": three steps, each a
// button.
type FirstDay struct {
	Villages, Visit, Concern, Enrol *widget.Button
	Content                         *fyne.Container
}

func newFirstDay(sh *Shell) *FirstDay {
	f := &FirstDay{}
	creator := func(screen string) func() {
		return func() {
			if c, ok := sh.ShowScreen(screen).(Creator); ok {
				c.New()
			}
		}
	}
	f.Villages = widget.NewButtonWithIcon(sh.T("firstday.villages_button"), theme.HomeIcon(), creator("villages"))
	f.Villages.Importance = widget.HighImportance
	f.Visit = widget.NewButtonWithIcon(sh.T("firstday.visit_button"), theme.AccountIcon(), creator("visits"))
	f.Concern = widget.NewButtonWithIcon(sh.T("firstday.concern_button"), theme.MailComposeIcon(), creator("concerns"))
	f.Enrol = widget.NewButtonWithIcon(sh.T("firstday.enrol_button"), theme.ViewRefreshIcon(), func() { sh.ShowScreen("sync") })
	step := func(n int, textID string, buttons ...fyne.CanvasObject) fyne.CanvasObject {
		l := widget.NewLabel(sh.T("firstday.step", "N", n, "Text", sh.T(textID)))
		l.Wrapping = fyne.TextWrapWord
		return container.NewBorder(nil, nil, nil, container.NewHBox(buttons...), l)
	}
	f.Content = container.NewVBox(sectionTitle(sh.T("firstday.title")),
		step(1, "firstday.villages", f.Villages),
		step(2, "firstday.record", f.Visit, f.Concern),
		step(3, "firstday.enrol", f.Enrol),
		widget.NewSeparator())
	f.Content.Hide()
	return f
}
