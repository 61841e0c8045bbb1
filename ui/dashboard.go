package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

func init() {
	RegisterScreen(ScreenDef{ID: "dashboard", TitleID: "screen.dashboard", Order: 0, Icon: ThemeIcon(theme.IconNameInfo),
		Make: func(sh *Shell) Screen { return newDashboard(sh) }})
}

// Opener is a screen that can show one record, e.g. the concerns screen
// opening a concern tapped on the dashboard.
type Opener interface{ Open(id string) }

// OpenRecord shows the screen screenID and, if it is an Opener, the
// record id in it.
func (sh *Shell) OpenRecord(screenID, id string) {
	if o, ok := sh.ShowScreen(screenID).(Opener); ok {
		o.Open(id)
	}
}

// Dashboard is Tổng quan: this month's figures for the commune, the
// overdue concerns, the agreed actions due this week, and the sync state.
type Dashboard struct {
	sh *Shell

	Commune *widget.Label
	Month   *widget.Label
	// The month's figures, as shown.
	Visits, Meetings, Received, Resolved *widget.Label

	// Drafts is "Bản nháp chưa lưu"; FirstDay the three steps of an
	// empty notebook.
	Drafts   *DraftsBlock
	FirstDay *FirstDay

	OverdueTitle *widget.Label
	Overdue      *widget.List
	NoOverdue    *widget.Label
	ActionsTitle *widget.Label
	Actions      *widget.List
	NoActions    *widget.Label
	Sync         *SyncLine

	content fyne.CanvasObject
	data    dashData
	gen     int // the latest refresh; older results are dropped
}

// OverdueItem is a concern the dashboard reminds of: overdue, or due
// within ReminderDays working days.
type OverdueItem struct {
	ID, Title, Village string
	Deadline           data.Date
	Days               int // days past the deadline (0: not overdue)
	Left               int // days left to the deadline, when not overdue
}

// dashData is what the quick part of a refresh loads from the index.
type dashData struct {
	loaded   bool
	overdue  []OverdueItem
	actions  []data.ActionDue
	villages map[string]string // village id → name, for the actions
	pending  int
	month    string
	drafts   []data.DraftInfo
	// empty: no village, concern or visit yet (the first day).
	empty bool
	// breaches are the personal-data breaches not notified yet.
	breaches int
	// The month's visits, meetings and concerns received, counted from
	// the index as data.Stats counts them.
	visits, meetings, received int
}

func newDashboard(sh *Shell) *Dashboard {
	d := &Dashboard{sh: sh}
	d.Commune = heading("")
	if c, ok := data.CommuneByCode(sh.Store().Commune()); ok {
		d.Commune.SetText(c.Label())
	}
	d.Month = widget.NewLabel("")
	d.Month.TextStyle = fyne.TextStyle{Bold: true}
	var tiles []fyne.CanvasObject
	for _, f := range []struct {
		label **widget.Label
		id    string
	}{{&d.Visits, "dashboard.visits"}, {&d.Meetings, "dashboard.meetings"}, {&d.Received, "dashboard.received"}, {&d.Resolved, "dashboard.resolved"}} {
		n := widget.NewLabel("–")
		n.SizeName = theme.SizeNameHeadingText
		n.TextStyle = fyne.TextStyle{Bold: true}
		n.Alignment = fyne.TextAlignCenter
		caption := widget.NewLabel(sh.T(f.id))
		caption.Alignment = fyne.TextAlignCenter
		*f.label = n
		tiles = append(tiles, widget.NewCard("", "", container.NewVBox(n, caption)))
	}

	d.OverdueTitle = sectionTitle("")
	d.NoOverdue = hintLabel(sh.T("dashboard.no_reminders", "Days", ReminderDays))
	d.Overdue = widget.NewList(
		func() int { return len(d.data.overdue) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil, clearOfScrollbar(redText("Quá hạn 000 ngày")), twoLines())
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(d.data.overdue) {
				return
			}
			it := d.data.overdue[i]
			row := o.(*fyne.Container)
			setTwoLines(row.Objects[0], it.Title, it.Village)
			days := row.Objects[1].(*fyne.Container).Objects[0].(*canvas.Text)
			days.Text = it.dueText(sh)
			days.Color = theme.Color(theme.ColorNameError)
			if it.Days == 0 {
				days.Color = theme.Color(theme.ColorNameWarning)
			}
			row.Refresh()
		})
	d.Overdue.OnSelected = func(i widget.ListItemID) {
		d.Overdue.UnselectAll()
		if i < len(d.data.overdue) {
			sh.OpenRecord("concerns", d.data.overdue[i].ID)
		}
	}

	d.ActionsTitle = sectionTitle("")
	d.NoActions = hintLabel(sh.T("dashboard.no_actions"))
	d.Actions = widget.NewList(
		func() int { return len(d.data.actions) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil, clearOfScrollbar(canvas.NewText("Hạn 00/00/0000", theme.Color(theme.ColorNameForeground))), twoLines())
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(d.data.actions) {
				return
			}
			a := d.data.actions[i]
			row := o.(*fyne.Container)
			var sub []string
			if a.Owner != "" {
				sub = append(sub, a.Owner)
			}
			if v := d.data.villages[a.Village]; v != "" {
				sub = append(sub, v)
			}
			setTwoLines(row.Objects[0], a.Text, strings.Join(sub, " · "))
			due := row.Objects[1].(*fyne.Container).Objects[0].(*canvas.Text)
			due.Text = sh.T("dashboard.action_due", "Date", a.Due.Display())
			due.TextStyle.Bold = a.Due < sh.Today()
			due.Color = theme.Color(theme.ColorNameForeground)
			if a.Due < sh.Today() {
				due.Color = theme.Color(theme.ColorNameError)
			}
			row.Refresh()
		})
	d.Actions.OnSelected = func(i widget.ListItemID) {
		d.Actions.UnselectAll()
		if i < len(d.data.actions) {
			sh.OpenRecord("meetings", d.data.actions[i].Meeting)
		}
	}

	d.Sync = newSyncLine(sh)
	d.Drafts = newDraftsBlock(sh, d.Refresh)
	d.FirstDay = newFirstDay(sh)
	lists := container.NewGridWithColumns(2,
		container.NewBorder(container.NewVBox(d.OverdueTitle, d.NoOverdue), nil, nil, nil, d.Overdue),
		container.NewBorder(container.NewVBox(d.ActionsTitle, d.NoActions), nil, nil, nil, d.Actions))
	top := container.NewVBox(d.Commune, d.Month, container.NewGridWithColumns(4, tiles...), widget.NewSeparator(),
		d.FirstDay.Content, d.Drafts.Content)
	d.content = container.NewPadded(container.NewBorder(top, container.NewVBox(widget.NewSeparator(), d.Sync.Content), nil, nil, lists))
	d.show(dashData{})
	return d
}

// clearOfScrollbar keeps o, at the right end of a list row, clear of the
// list's scroll bar, which Fyne draws over the rows.
func clearOfScrollbar(o fyne.CanvasObject) *fyne.Container {
	gap := canvas.NewRectangle(color.Transparent)
	gap.SetMinSize(fyne.NewSize(theme.ScrollBarSize()+theme.Padding(), 1))
	return container.NewHBox(o, gap)
}

// sectionTitle is the bold title of a dashboard list.
func sectionTitle(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle = fyne.TextStyle{Bold: true}
	return l
}

// twoLines is a list row's text: a title and a grey line under it.
func twoLines() fyne.CanvasObject {
	title := widget.NewLabel("")
	title.Truncation = fyne.TextTruncateEllipsis
	sub := canvas.NewText("", theme.Color(theme.ColorNamePlaceHolder))
	sub.TextSize = theme.CaptionTextSize()
	return container.NewVBox(title, container.NewPadded(sub))
}

func setTwoLines(o fyne.CanvasObject, title, sub string) {
	box := o.(*fyne.Container)
	box.Objects[0].(*widget.Label).SetText(title)
	t := box.Objects[1].(*fyne.Container).Objects[0].(*canvas.Text)
	t.Text = sub
	t.Refresh()
}

// Content returns the dashboard's widget tree.
func (d *Dashboard) Content() fyne.CanvasObject { return d.content }

// Refresh reloads the figures and lists off the UI goroutine, in two
// steps: the lists and first figures, then the month's figures from
// data.IndexStats (the index alone: no record is read).
func (d *Dashboard) Refresh() {
	st := d.sh.Store()
	if st == nil {
		return
	}
	d.gen++
	gen := d.gen
	today := d.sh.Today()
	var got dashData
	var stats *data.Stats
	d.sh.Go(func() error {
		got = loadDashboard(st, today)
		return nil
	}, func(error) {
		if gen == d.gen {
			d.show(got)
		}
	})
	d.sh.Go(func() error {
		from, to := MonthRange(today)
		stats = st.IndexStats("", from, to, today)
		return nil
	}, func(err error) {
		switch {
		case gen != d.gen:
		case err != nil:
			d.sh.ShowError(err)
		default:
			d.showStats(stats)
			d.sh.settleMemory()
		}
	})
}

// MonthRange returns the first and last day of today's month.
func MonthRange(today data.Date) (from, to data.Date) {
	t := today.Time()
	first := data.DateOf(t.AddDate(0, 0, 1-t.Day()))
	return first, data.DateOf(first.Time().AddDate(0, 1, -1))
}

// WeekEnd returns the Sunday that ends today's week (weeks start on Monday).
func WeekEnd(today data.Date) data.Date {
	wd := int(today.Time().Weekday()) // Sunday = 0
	return today.AddDays((7 - wd) % 7)
}

// loadDashboard reads what the index gives for the whole commune as of
// today: everything the dashboard shows but the concerns resolved.
func loadDashboard(st *data.Store, today data.Date) dashData {
	from, to := MonthRange(today)
	got := dashData{loaded: true, month: from.Time().Format("01/2006"), villages: map[string]string{}}
	for _, v := range st.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle) {
		got.villages[v.ID] = v.Title
	}
	got.meetings = st.Count(data.Filter{Kind: data.KindMeeting, From: from, To: to})
	got.received = st.Count(data.Filter{Kind: data.KindConcern, From: from, To: to})
	for _, r := range st.Find(data.Filter{Kind: data.KindVisit, To: to}, data.ByDateDesc) {
		if r.End >= from { // as data.Stats: the visit overlaps the month
			got.visits++
		}
	}
	got.overdue = loadReminders(st, today, got.villages)
	got.actions = st.Actions("", WeekEnd(today))
	got.pending = st.Pending()
	got.drafts, _ = st.Drafts()
	if log, err := st.Breaches(); err == nil {
		for _, b := range log {
			if b.Notified.IsZero() {
				got.breaches++
			}
		}
	}
	got.empty = len(got.villages) == 0 && st.Count(data.Filter{Kind: data.KindConcern}) == 0 && st.Count(data.Filter{Kind: data.KindVisit}) == 0
	return got
}

// show puts the quick part of a refresh on screen.
func (d *Dashboard) show(got dashData) {
	d.data = got
	sh := d.sh
	d.Month.SetText(sh.T("dashboard.month", "Month", got.month))
	if got.loaded {
		d.Visits.SetText(formatCount(got.visits))
		d.Meetings.SetText(formatCount(got.meetings))
		d.Received.SetText(formatCount(got.received))
	}
	d.OverdueTitle.SetText(sh.T("dashboard.reminders", "N", formatCount(len(got.overdue)), "Days", ReminderDays))
	d.ActionsTitle.SetText(sh.T("dashboard.actions", "N", formatCount(len(got.actions))))
	showIf(d.NoOverdue, got.loaded && len(got.overdue) == 0)
	showIf(d.NoActions, got.loaded && len(got.actions) == 0)
	d.Overdue.Refresh()
	d.Actions.Refresh()
	d.Sync.SetPending(got.pending)
	if got.loaded {
		items := draftItems(sh, got.drafts)
		d.Drafts.set(items)
		showIf(d.FirstDay.Content, got.empty)
		sh.remind(got)
		if sh.unclean {
			sh.unclean = false
			sh.offerDraftsAfterCrash(items)
		}
	}
}

// showStats shows the month's figures as data.Stats counts them.
func (d *Dashboard) showStats(s *data.Stats) {
	d.Visits.SetText(formatCount(s.Visits))
	d.Meetings.SetText(formatCount(s.Meetings))
	d.Received.SetText(formatCount(s.Concerns.Received))
	d.Resolved.SetText(formatCount(s.Concerns.Resolved))
}

// OverdueItems returns the concerns the dashboard reminds of now, overdue
// or due within ReminderDays working days, the earliest deadline first.
func (d *Dashboard) OverdueItems() []OverdueItem {
	return append([]OverdueItem(nil), d.data.overdue...)
}

// ActionItems returns the agreed actions listed now, soonest first.
func (d *Dashboard) ActionItems() []data.ActionDue {
	return append([]data.ActionDue(nil), d.data.actions...)
}

func showIf(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}

// SyncLine is the dashboard's sync state: a status text ("not connected
// to a server" until the sync worker feeds it) and the changes waiting to
// be sent.
type SyncLine struct {
	sh      *Shell
	Status  *widget.Label
	Pending *widget.Label
	Content fyne.CanvasObject
}

func newSyncLine(sh *Shell) *SyncLine {
	l := &SyncLine{sh: sh, Status: widget.NewLabel(""), Pending: widget.NewLabel("")}
	l.Pending.SizeName = theme.SizeNameCaptionText
	l.SetSyncStatus(sh.syncText)
	l.Content = container.NewHBox(widget.NewIcon(theme.ViewRefreshIcon()), l.Status, l.Pending)
	return l
}

// SetSyncStatus shows text (already translated, e.g. "Đồng bộ lần cuối:
// 10:42") as the sync state; "" (before the worker has said anything)
// shows "not enrolled for sync".
func (l *SyncLine) SetSyncStatus(text string) {
	if text == "" {
		text = l.sh.T("sync.line_not_enrolled")
	}
	l.Status.SetText(text)
}

// SetPending shows how many changes wait in the outbox.
func (l *SyncLine) SetPending(n int) {
	l.Pending.SetText("· " + l.sh.T("dashboard.pending", "Count", n))
}

// SetSyncStatus feeds the dashboard's sync line (see SyncLine.SetSyncStatus);
// the text is kept for a dashboard built later. Call it on the UI goroutine.
func (sh *Shell) SetSyncStatus(text string) {
	sh.syncText = text
	if d, ok := sh.builtScreen("dashboard").(*Dashboard); ok {
		d.Sync.SetSyncStatus(text)
	}
}

// SetPendingCount feeds the dashboard's count of changes waiting to be
// sent. Call it on the UI goroutine.
func (sh *Shell) SetPendingCount(n int) {
	if d, ok := sh.builtScreen("dashboard").(*Dashboard); ok {
		d.Sync.SetPending(n)
	}
}

// builtScreen returns the screen id if it was built already, else nil.
func (sh *Shell) builtScreen(id string) Screen {
	if sh.Main == nil {
		return nil
	}
	return sh.Main.cache[id]
}
