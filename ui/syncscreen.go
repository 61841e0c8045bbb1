package ui

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
	"danvan/i18n"
	dsync "danvan/sync"
)

// This file runs the background sync worker of the open store and shows
// its state: the Đồng bộ screen (server, enrolment, last sync, pending
// changes, quarantined records, Sync now, the log of the last attempts)
// and the dashboard's sync line.

func init() {
	RegisterScreen(ScreenDef{ID: "sync", TitleID: "screen.sync", Order: 70, Icon: ThemeIcon(theme.IconNameViewRefresh),
		Make: func(sh *Shell) Screen { return newSyncScreen(sh) }})
}

// syncConfig tunes the sync worker the shell starts; tests shorten it.
var syncConfig = dsync.Config{}

// enrolTimeout bounds one enrolment attempt (a slow 2G link included).
const enrolTimeout = 2 * time.Minute

// syncService holds the sync worker of the open store and the status it
// reported last.
type syncService struct {
	mu     sync.Mutex
	worker *dsync.Worker
	store  *data.Store
	status dsync.Status
}

// startSync starts the sync worker on the open store, once its commune
// is set; it does nothing if the worker already runs on that store. Call
// it on the UI goroutine.
func (sh *Shell) startSync() {
	st := sh.Store()
	if st == nil || st.Commune() == "" {
		return
	}
	svc := &sh.syncSvc
	svc.mu.Lock()
	if svc.store == st {
		svc.mu.Unlock()
		return
	}
	old := svc.worker
	svc.worker, svc.store = nil, nil
	svc.mu.Unlock()
	if old != nil {
		old.Stop()
	}
	w := dsync.NewWorker(st, syncConfig)
	first := w.Status()
	svc.mu.Lock()
	svc.worker, svc.store, svc.status = w, st, first
	svc.mu.Unlock()
	w.OnChange(func(s dsync.Status) { fyne.Do(func() { sh.syncChanged(w, s) }) })
	w.Start(context.Background())
	sh.syncChanged(w, first)
}

// stopSync stops the sync worker and waits for it: a sync in progress is
// cancelled, and what it committed stays committed. Call it before the
// store closes; it may block briefly, so not on the UI goroutine when a
// sync may be running.
func (sh *Shell) stopSync() {
	svc := &sh.syncSvc
	svc.mu.Lock()
	w := svc.worker
	svc.worker, svc.store = nil, nil
	svc.mu.Unlock()
	if w != nil {
		w.Stop()
	}
}

// stopStoreServices stops what runs in the background on the open store
// (the sync worker, an automatic backup) before the store is closed.
func (sh *Shell) stopStoreServices() {
	sh.stopSync()
	sh.stopAutoBackup()
}

// SyncWorker returns the sync worker of the open store, or nil before the
// commune is chosen.
func (sh *Shell) SyncWorker() *dsync.Worker {
	sh.syncSvc.mu.Lock()
	defer sh.syncSvc.mu.Unlock()
	return sh.syncSvc.worker
}

// SyncStatus returns the sync state the worker reported last, and whether
// a worker runs.
func (sh *Shell) SyncStatus() (dsync.Status, bool) {
	sh.syncSvc.mu.Lock()
	defer sh.syncSvc.mu.Unlock()
	return sh.syncSvc.status, sh.syncSvc.worker != nil
}

// syncChanged shows a new status of worker w, on the UI goroutine; a
// status of a worker stopped since is dropped.
func (sh *Shell) syncChanged(w *dsync.Worker, s dsync.Status) {
	svc := &sh.syncSvc
	svc.mu.Lock()
	if svc.worker != w {
		svc.mu.Unlock()
		return
	}
	prevConflicts := svc.status.Conflicts
	svc.status = s
	svc.mu.Unlock()
	sh.SetSyncStatus(sh.syncLineText(s))
	sh.SetPendingCount(s.Pending)
	if scr, ok := sh.builtScreen("sync").(*SyncScreen); ok {
		scr.show(s)
	}
	if c, ok := sh.builtScreen("conflicts").(*ConflictsScreen); ok && s.Conflicts != prevConflicts {
		c.Refresh()
	}
}

// relabelSyncLine writes the dashboard's sync line again, in the current
// language.
func (sh *Shell) relabelSyncLine() {
	if st, ok := sh.SyncStatus(); ok {
		sh.SetSyncStatus(sh.syncLineText(st))
	}
}

// syncLineText is the footer's one-line sync state, in plain words: "Chưa
// đăng ký đồng bộ", "Đang đồng bộ…" (with its progress), "Đang chờ mạng"
// (offline, with the last sync), "Đồng bộ lần cuối: dd/MM/yyyy HH:mm".
func (sh *Shell) syncLineText(s dsync.Status) string {
	last := sh.T("status.never_synced")
	if !s.LastSuccess.IsZero() {
		last = sh.T("status.last_sync", "Time", formatDateTime(s.LastSuccess))
	}
	switch {
	case s.Enrolment == dsync.NotEnrolled:
		return sh.T("sync.line_not_enrolled")
	case s.Enrolment == dsync.NeedsEnrolment:
		return sh.T("sync.line_needs_enrolment")
	case s.Syncing && s.Progress.Total > 0:
		return sh.progressText(s.Progress)
	case s.Syncing:
		return sh.T("sync.syncing")
	case !s.Online && s.LastError != "":
		return sh.T("sync.line_waiting") + " · " + last
	}
	return last
}

// formatDateTime writes t in local time as dd/MM/yyyy HH:mm.
func formatDateTime(t time.Time) string { return t.Local().Format("02/01/2006 15:04") }

// tOr translates id, or returns fallback when the catalogue has no id.
func (sh *Shell) tOr(id, fallback string, args ...any) string {
	if s := sh.T(id, args...); s != id {
		return s
	}
	return fallback
}

// serverAnswer finds the status and code in a sync error's text
// ("push: server answered 403 other_commune: …").
var serverAnswer = regexp.MustCompile(`server answered (\d{3})(?: ([a-z_]+):)?`)

// syncErrorText is what the cadre reads for a sync or enrolment error, in
// their language, with the technical detail last when it helps.
func (sh *Shell) syncErrorText(err error) string {
	if err == nil {
		return ""
	}
	var se *dsync.StatusError
	var ne *dsync.NetError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return sh.T("sync.err.timeout")
	case errors.Is(err, context.Canceled):
		return sh.T("sync.err.cancelled")
	case errors.Is(err, dsync.ErrNeedsEnrolment):
		return sh.T("sync.err.revoked")
	case errors.Is(err, dsync.ErrUpdateApp):
		return sh.T("sync.err.update_app")
	case errors.Is(err, dsync.ErrServerOld):
		return sh.T("sync.err.server_old")
	case errors.Is(err, data.ErrHoldsDemo):
		return sh.T("demo.err.enrol")
	case errors.As(err, &se):
		return sh.serverErrorText(se.Status, se.Body.Code, err.Error())
	case errors.As(err, &ne) && ne.Offline:
		return sh.T("sync.err.offline")
	case errors.As(err, &ne):
		return sh.T("sync.err.connection")
	}
	return sh.syncErrorMessage(err.Error())
}

// syncErrorMessage is syncErrorText for an error known only by its text
// (the worker's Status.LastError).
// clockWarning says in plain words that this machine's clock is off from
// the server's by skew (server minus local), and what the machine and
// the server each read now.
func (sh *Shell) clockWarning(skew time.Duration) string {
	now := time.Now()
	return sh.T("sync.clock_wrong", "Local", now.Format("15:04 02/01/2006"), "Server", now.Add(skew).Format("15:04 02/01/2006"))
}

func (sh *Shell) syncErrorMessage(msg string) string {
	switch {
	case msg == "":
		return ""
	case strings.Contains(msg, dsync.ErrNeedsEnrolment.Error()):
		return sh.T("sync.err.revoked")
	case strings.Contains(msg, dsync.ErrUpdateApp.Error()):
		return sh.T("sync.err.update_app")
	case strings.Contains(msg, dsync.ErrServerOld.Error()):
		return sh.T("sync.err.server_old")
	case strings.Contains(msg, dsync.ErrNotEnrolled.Error()):
		return sh.T("sync.err.not_enrolled")
	case strings.Contains(msg, "cannot reach the server"):
		return sh.T("sync.err.offline")
	case strings.Contains(msg, "connection failed"):
		return sh.T("sync.err.connection")
	case strings.HasPrefix(msg, "server address"):
		return sh.T("sync.err.bad_url")
	case strings.Contains(msg, "server bound the token to commune"):
		return sh.T("sync.err.code.commune_mismatch")
	}
	if m := serverAnswer.FindStringSubmatch(msg); m != nil {
		status, _ := strconv.Atoi(m[1])
		return sh.serverErrorText(status, m[2], msg)
	}
	return sh.T("sync.err.other", "Detail", msg)
}

// progressText says how far a sync has come and about how long is left:
// "Đang nhận 3.200/10.000 bản ghi, còn khoảng 2 phút".
func (sh *Shell) progressText(p dsync.Progress) string {
	id := "sync.progress_push"
	if p.Phase == "pull" {
		id = "sync.progress_pull"
	}
	text := sh.T(id, "Done", formatCount(p.Done), "Total", formatCount(p.Total))
	if p.Left > 0 {
		text += sh.T("sync.progress_left", "Left", sh.leftText(p.Left))
	}
	return text
}

// leftText rounds a time left for a person: seconds under a minute,
// minutes after.
func (sh *Shell) leftText(d time.Duration) string {
	if d < time.Minute {
		return sh.T("time.seconds", "Count", max(1, int(d.Seconds()+0.5)))
	}
	return sh.T("time.minutes", "Count", int(d.Minutes()+0.5))
}

// serverErrorText explains an error answer of the server.
func (sh *Shell) serverErrorText(status int, code, detail string) string {
	switch {
	case status == 401:
		return sh.T("sync.err.revoked")
	case status == 429:
		return sh.T("sync.err.too_many")
	case status >= 500:
		return sh.T("sync.err.server_down")
	case code != "":
		if s := sh.tOr("sync.err.code."+code, ""); s != "" {
			return s
		}
	}
	return sh.T("sync.err.refused", "Detail", detail)
}

// quarantineReason explains why the server refused a record.
func (sh *Shell) quarantineReason(q dsync.Quarantined) string {
	return sh.tOr("sync.quar."+q.Code, sh.T("sync.quar.other"))
}

// SyncScreen is the Đồng bộ page: the server and the enrolment, the last
// sync, what waits to be sent, records the server refused, Sync now, the
// enrolment form and the log of the last attempts.
type SyncScreen struct {
	sh      *Shell
	content fyne.CanvasObject

	// Server, State, Online, Last, Pending, Conflicts, Next and Error show
	// the sync state.
	Server, State, Online, Last, Pending, Conflicts, Next *widget.Label
	// Error is why the last sync failed, in the cadre's language.
	Error *widget.Label
	// Clock warns that this machine's clock and the server's differ by
	// more than sync.ClockWarnSkew.
	Clock *widget.Label
	// SyncNow asks for a sync at once (Đồng bộ ngay).
	SyncNow *widget.Button
	// ShowConflicts opens the Xung đột view.
	ShowConflicts *widget.Button
	// Reenrol shows the enrolment form on an enrolled laptop.
	Reenrol *widget.Button

	// The enrolment form (Đăng ký máy): the server's address and the
	// one-time code from the province.
	EnrolBox  *fyne.Container
	URL, Code *widget.Entry
	Enrol     *widget.Button
	Cancel    *widget.Button
	Progress  *widget.ProgressBarInfinite
	// EnrolError and EnrolDone report the outcome.
	EnrolError, EnrolDone *widget.Label

	// Bundle is where the USB transfer adds "Xuất tệp đồng bộ" and "Nhập
	// tệp đồng bộ" (see RegisterSyncExtension).
	Bundle *fyne.Container

	// QuarTitle heads the list of records the server refused; Quarantine
	// lists them with their reasons and a Gửi lại button.
	QuarTitle  *widget.Label
	Quarantine *widget.List
	NoQuar     *widget.Label
	// Log lists the last sync attempts, newest first.
	Log   *widget.List
	NoLog *widget.Label
	Tabs  *container.AppTabs

	status    dsync.Status
	quar      []QuarantineItem
	reenrol   bool // the enrolment form was asked for on an enrolled laptop
	enrolling context.CancelFunc
}

// QuarantineItem is a refused record as the Đồng bộ page lists it.
type QuarantineItem struct {
	ID     string
	Title  string // the record's kind and title
	Reason string // why, in the cadre's language
	Detail string // the server's own words (English), shown on demand
	At     time.Time
}

var (
	syncExtMu sync.Mutex
	syncExts  []func(*SyncScreen)
)

// RegisterSyncExtension adds ext, called once on every Đồng bộ page when
// it is built: it may add widgets to s.Bundle (the USB transfer's "Xuất
// tệp đồng bộ" and "Nhập tệp đồng bộ"). Call it from init.
func RegisterSyncExtension(ext func(s *SyncScreen)) {
	syncExtMu.Lock()
	defer syncExtMu.Unlock()
	syncExts = append(syncExts, ext)
}

func newSyncScreen(sh *Shell) *SyncScreen {
	s := &SyncScreen{sh: sh}
	s.Server, s.State, s.Online = wrapLabel(""), wrapLabel(""), widget.NewLabel("")
	s.Last, s.Pending, s.Conflicts, s.Next = widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel("")
	s.State.TextStyle = fyne.TextStyle{Bold: true}
	s.Error = wrapLabel("")
	s.Error.Importance = widget.DangerImportance
	s.Clock = wrapLabel("")
	s.Clock.Importance = widget.WarningImportance
	s.Clock.Hide()
	s.SyncNow = widget.NewButtonWithIcon(sh.T("btn.sync_now"), theme.ViewRefreshIcon(), s.syncNow)
	s.SyncNow.Importance = widget.HighImportance
	s.ShowConflicts = widget.NewButtonWithIcon(sh.T("sync.show_conflicts"), theme.WarningIcon(), func() { sh.ShowScreen("conflicts") })
	s.Reenrol = widget.NewButtonWithIcon(sh.T("sync.reenrol"), theme.AccountIcon(), func() {
		s.reenrol = true
		s.show(s.status)
	})
	s.buildEnrolForm()
	s.Bundle = container.NewVBox()

	s.QuarTitle = sectionTitle("")
	s.NoQuar = hintLabel(sh.T("sync.no_quarantine"))
	s.Quarantine = widget.NewList(
		func() int { return len(s.quar) },
		func() fyne.CanvasObject {
			b := widget.NewButtonWithIcon(sh.T("sync.requeue"), theme.MailSendIcon(), nil)
			return container.NewBorder(nil, nil, nil, container.NewCenter(b), twoLines())
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(s.quar) {
				return
			}
			q := s.quar[i]
			row := o.(*fyne.Container)
			setTwoLines(row.Objects[0], q.Title, formatDateTime(q.At)+" · "+q.Reason)
			row.Objects[1].(*fyne.Container).Objects[0].(*widget.Button).OnTapped = func() { s.Requeue(q.ID) }
		})
	s.Quarantine.OnSelected = func(i widget.ListItemID) {
		s.Quarantine.UnselectAll()
		if i < len(s.quar) {
			q := s.quar[i]
			sh.ShowDialog(dialog.NewInformation(q.Title, formatDateTime(q.At)+"\n"+q.Reason+"\n"+sh.T("err.detail", "Detail", q.Detail), sh.Win))
		}
	}
	s.NoLog = hintLabel(sh.T("sync.no_log"))
	s.Log = widget.NewList(
		func() int { return len(s.status.Log) },
		twoLines,
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(s.status.Log) {
				title, sub := s.logLine(s.status.Log[i])
				setTwoLines(o, title, sub)
			}
		})

	form := widget.NewForm(
		widget.NewFormItem(sh.T("sync.server"), s.Server),
		widget.NewFormItem(sh.T("sync.state"), s.State),
		widget.NewFormItem(sh.T("sync.connection"), s.Online),
		widget.NewFormItem(sh.T("sync.last_success"), s.Last),
		widget.NewFormItem(sh.T("sync.pending"), s.Pending),
		widget.NewFormItem(sh.T("sync.conflicts"), container.NewHBox(s.Conflicts, s.ShowConflicts)),
	)
	left := container.NewVBox(form, s.Next, s.Clock, s.Error, s.EnrolDone,
		container.NewHBox(s.SyncNow, s.Reenrol), s.EnrolBox, s.Bundle)
	s.Tabs = container.NewAppTabs(
		container.NewTabItem(sh.T("sync.log"), container.NewBorder(s.NoLog, nil, nil, nil, s.Log)),
		container.NewTabItem(sh.T("sync.quarantine"), container.NewBorder(container.NewVBox(s.QuarTitle, s.NoQuar), nil, nil, nil, s.Quarantine)),
	)
	split := container.NewHSplit(formScroll(container.NewPadded(left)), s.Tabs)
	split.Offset = 0.5
	s.content = container.NewPadded(container.NewBorder(heading(sh.T("screen.sync")), nil, nil, nil, split))

	syncExtMu.Lock()
	exts := append([]func(*SyncScreen){}, syncExts...)
	syncExtMu.Unlock()
	for _, ext := range exts {
		ext(s)
	}
	st, _ := sh.SyncStatus()
	s.show(st)
	return s
}

// buildEnrolForm makes the Đăng ký máy form.
func (s *SyncScreen) buildEnrolForm() {
	sh := s.sh
	s.URL, s.Code = widget.NewEntry(), widget.NewEntry()
	s.URL.SetPlaceHolder(sh.T("sync.enrol_url_example"))
	s.Code.SetPlaceHolder("XXXX-XXXX-XXXX")
	check := func(string) {
		if strings.TrimSpace(s.URL.Text) == "" || strings.TrimSpace(s.Code.Text) == "" || s.enrolling != nil {
			s.Enrol.Disable()
		} else {
			s.Enrol.Enable()
		}
	}
	s.URL.OnSubmitted = func(string) { sh.Win.Canvas().Focus(s.Code) }
	s.Code.OnSubmitted = func(string) { s.Enroll() }
	s.Enrol = widget.NewButtonWithIcon(sh.T("sync.enrol"), theme.LoginIcon(), s.Enroll)
	s.Enrol.Importance = widget.HighImportance
	s.URL.OnChanged, s.Code.OnChanged = check, check
	s.Cancel = widget.NewButton(sh.T("btn.cancel"), func() {
		if s.enrolling != nil {
			s.enrolling()
			return
		}
		s.reenrol = false
		s.EnrolError.Hide()
		s.show(s.status)
	})
	s.Progress = widget.NewProgressBarInfinite()
	s.Progress.Stop()
	s.Progress.Hide()
	s.EnrolError = wrapLabel("")
	s.EnrolError.Importance = widget.DangerImportance
	s.EnrolError.Hide()
	s.EnrolDone = wrapLabel("")
	s.EnrolDone.Importance = widget.SuccessImportance
	s.EnrolDone.Hide()
	row := func(id string, e *widget.Entry) fyne.CanvasObject {
		return container.NewBorder(nil, nil, container.New(widthLayout{170}, widget.NewLabel(sh.T(id))), nil, e)
	}
	s.EnrolBox = container.NewVBox(widget.NewSeparator(), sectionTitle(sh.T("sync.enrol_title")),
		hintLabel(sh.T("sync.enrol_hint")), row("sync.enrol_url", s.URL), row("sync.enrol_code", s.Code),
		s.Progress, s.EnrolError, container.NewHBox(s.Enrol, s.Cancel))
	check("")
}

// Content returns the page's widget tree.
func (s *SyncScreen) Content() fyne.CanvasObject { return s.content }

// Refresh shows the worker's latest status.
func (s *SyncScreen) Refresh() {
	st, _ := s.sh.SyncStatus()
	s.show(st)
}

// Status returns the sync state shown now.
func (s *SyncScreen) Status() dsync.Status { return s.status }

// QuarantineItems returns the refused records listed now.
func (s *SyncScreen) QuarantineItems() []QuarantineItem {
	return append([]QuarantineItem(nil), s.quar...)
}

// LogLines returns the log as shown, one "title · detail" per attempt.
func (s *SyncScreen) LogLines() []string {
	out := make([]string, len(s.status.Log))
	for i, a := range s.status.Log {
		t, sub := s.logLine(a)
		out[i] = t + " · " + sub
	}
	return out
}

// show puts status st on the page.
func (s *SyncScreen) show(st dsync.Status) {
	sh := s.sh
	s.status = st
	if st.Server == "" {
		s.Server.SetText(sh.T("sync.no_server"))
	} else {
		s.Server.SetText(st.Server)
	}
	enrolled := st.Enrolment == dsync.Enrolled
	switch st.Enrolment {
	case dsync.Enrolled:
		label := st.Label
		if label == "" {
			label = "–"
		}
		s.State.SetText(sh.T("sync.state_enrolled", "Label", label))
		s.State.Importance = widget.SuccessImportance
	case dsync.NeedsEnrolment:
		s.State.SetText(sh.T("sync.state_revoked"))
		s.State.Importance = widget.DangerImportance
	default:
		s.State.SetText(sh.T("sync.state_not_enrolled"))
		s.State.Importance = widget.WarningImportance
	}
	s.State.Refresh()
	switch {
	case st.Syncing && st.Progress.Total > 0:
		s.Online.SetText(sh.progressText(st.Progress))
	case st.Syncing:
		s.Online.SetText(sh.T("sync.syncing"))
	case !enrolled:
		s.Online.SetText("–")
	case st.Online:
		s.Online.SetText(sh.T("sync.online"))
	default:
		s.Online.SetText(sh.T("sync.offline"))
	}
	if st.LastSuccess.IsZero() {
		s.Last.SetText(sh.T("status.never_synced"))
	} else {
		s.Last.SetText(formatDateTime(st.LastSuccess))
	}
	s.Pending.SetText(sh.T("sync.pending_count", "Count", st.Pending))
	s.Conflicts.SetText(formatCount(st.Conflicts))
	showIf(s.ShowConflicts, st.Conflicts > 0)
	if !st.NextAttempt.IsZero() && enrolled && !st.Syncing {
		s.Next.SetText(sh.T("sync.next_attempt", "Time", st.NextAttempt.Local().Format("15:04")))
		s.Next.Show()
	} else {
		s.Next.Hide()
	}
	s.Error.SetText(sh.syncErrorMessage(st.LastError))
	s.Clock.SetText(sh.clockWarning(st.ClockSkew))
	showIf(s.Clock, st.ClockWrong && enrolled)
	showIf(s.Error, st.LastError != "" && st.Enrolment != dsync.NotEnrolled)
	if enrolled && !st.Syncing {
		s.SyncNow.Enable()
	} else {
		s.SyncNow.Disable()
	}
	showIf(s.Reenrol, enrolled && !s.reenrol)
	showIf(s.EnrolBox, !enrolled || s.reenrol || s.enrolling != nil)
	showIf(s.Cancel, s.reenrol || s.enrolling != nil)
	if s.URL.Text == "" && st.Server != "" {
		s.URL.SetText(st.Server)
	}

	s.quar = s.quar[:0]
	store := sh.Store()
	for _, q := range st.Quarantined {
		title := sh.EnumText("kind", string(q.Kind))
		if store != nil {
			if r, ok := store.Row(q.ID); ok && r.Title != "" && r.Title != string(q.Kind) {
				title = strings.TrimPrefix(title+": "+r.Title, ": ")
			}
		}
		if title == "" {
			title = q.ID
		}
		s.quar = append(s.quar, QuarantineItem{ID: q.ID, Title: title, Reason: sh.quarantineReason(q), Detail: q.Reason, At: q.At})
	}
	s.QuarTitle.SetText(sh.T("sync.quarantine_count", "Count", len(s.quar)))
	showIf(s.NoQuar, len(s.quar) == 0)
	s.Quarantine.Refresh()
	s.Tabs.Items[1].Text = sh.T("sync.quarantine") + " (" + strconv.Itoa(len(s.quar)) + ")"
	s.Tabs.Refresh()
	showIf(s.NoLog, len(st.Log) == 0)
	s.Log.Refresh()
}

// logLine is the text of one sync attempt: when and why, then how it went.
func (s *SyncScreen) logLine(a dsync.Attempt) (title, sub string) {
	sh := s.sh
	title = formatDateTime(a.Start) + " · " + sh.tOr("sync.trigger."+a.Trigger, a.Trigger)
	if !a.OK {
		return title, sh.T("sync.log_failed", "Reason", sh.syncErrorMessage(a.Error))
	}
	sub = sh.T("sync.log_ok", "Pushed", a.Pushed, "Pulled", a.Pulled)
	if a.Quarantined > 0 {
		sub += " · " + sh.T("sync.log_quarantined", "Count", a.Quarantined)
	}
	d := a.Duration.Round(100 * time.Millisecond)
	if a.Duration < time.Second {
		d = a.Duration.Round(time.Millisecond)
	}
	return title, sub + " · " + formatBytes(a.Sent+a.Received, sh.Lang()) + " · " + d.String()
}

// formatBytes writes a byte count as B, KB or MB, with the decimal comma
// in Vietnamese.
func formatBytes(n int64, l i18n.Lang) string {
	var s string
	switch {
	case n >= 1<<20:
		s = fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		s = fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	default:
		return strconv.FormatInt(n, 10) + " B"
	}
	if l == i18n.VI {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// syncNow asks the worker for a sync at once.
func (s *SyncScreen) syncNow() {
	w := s.sh.SyncWorker()
	if w == nil {
		return
	}
	s.SyncNow.Disable()
	s.Online.SetText(s.sh.T("sync.syncing"))
	w.SyncNow()
}

// Enroll exchanges the typed one-time code for a device token with the
// typed server, off the UI goroutine, with a progress bar; the outcome
// shows under the form. A laptop whose token was revoked enrolls again
// the same way, and keeps every record and every change not yet sent.
func (s *SyncScreen) Enroll() {
	sh := s.sh
	url, code := strings.TrimSpace(s.URL.Text), strings.TrimSpace(s.Code.Text)
	s.EnrolDone.Hide()
	fail := func(msg string) {
		s.EnrolError.SetText(msg)
		s.EnrolError.Show()
	}
	switch {
	case s.enrolling != nil:
		return
	case url == "":
		fail(sh.T("validation.required", "Field", sh.T("sync.enrol_url")))
		return
	case code == "":
		fail(sh.T("validation.required", "Field", sh.T("sync.enrol_code")))
		return
	}
	w := sh.SyncWorker()
	if w == nil {
		fail(sh.tx.errorText(errNoStore))
		return
	}
	s.EnrolError.Hide()
	ctx, cancel := context.WithTimeout(context.Background(), enrolTimeout)
	s.enrolling = cancel
	s.Enrol.Disable()
	s.Progress.Show()
	s.Progress.Start()
	s.show(s.status)
	var res dsync.EnrollResult
	sh.Go(func() error {
		var err error
		res, err = w.Enroll(ctx, url, code)
		return err
	}, func(err error) {
		cancel()
		s.enrolling = nil
		s.Progress.Stop()
		s.Progress.Hide()
		s.Enrol.Enable()
		if err != nil {
			fail(sh.syncErrorText(err))
			s.show(s.status)
			return
		}
		s.reenrol = false
		s.Code.SetText("")
		s.EnrolDone.SetText(sh.T("sync.enrolled_ok", "Server", res.Server, "Label", res.Label))
		s.EnrolDone.Show()
		st, _ := sh.SyncStatus()
		s.show(st)
	})
}

// Requeue sends the refused record id again at the next sync, which it
// asks for at once.
func (s *SyncScreen) Requeue(id string) {
	sh := s.sh
	st, w := sh.Store(), sh.SyncWorker()
	if st == nil {
		return
	}
	sh.Go(func() error { return dsync.Requeue(st, id) }, func(err error) {
		if err != nil {
			sh.ShowError(err)
			return
		}
		for i, q := range s.quar {
			if q.ID == id {
				s.quar = append(s.quar[:i], s.quar[i+1:]...)
				break
			}
		}
		s.Quarantine.Refresh()
		if w != nil {
			w.SyncNow()
		}
	})
}
