package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

// This file holds the backups: the automatic daily backup taken in the
// background when the store opens, and the "Sao lưu / Khôi phục" part of
// Cài đặt (Sao lưu ngay, Khôi phục từ bản sao lưu, the automatic backups).

// backupState tracks the automatic backups in flight, so that the store
// is not closed under one, and how the last one went.
type backupState struct {
	jobs sync.WaitGroup
	mu   sync.Mutex
	stop chan struct{} // closed to cancel a backup still waiting to start
	err  error         // of the last automatic backup
}

// autoBackupDelay is how long after opening the automatic backup starts,
// so that it does not slow down the first screens of a large store.
// Tests set it to 0.
var autoBackupDelay = 30 * time.Second

// startAutoBackup makes the day's automatic backup of st in the
// background, autoBackupDelay after it opened (data.AutoBackup: one a
// day, the last 7 kept). Call it on the UI goroutine once the store is
// open; stopStoreServices cancels a backup that has not started yet and
// waits for one that has.
func (sh *Shell) startAutoBackup(st *data.Store) {
	b := &sh.backups
	b.mu.Lock()
	if b.stop == nil {
		b.stop = make(chan struct{})
	}
	stop := b.stop
	b.mu.Unlock()
	b.jobs.Add(1)
	go func() {
		defer b.jobs.Done()
		select {
		case <-time.After(autoBackupDelay):
		case <-stop:
			return
		}
		_, _, err := data.AutoBackup(st, data.BackupDir(st.Dir()), time.Now())
		b.mu.Lock()
		b.err = err
		b.mu.Unlock()
		if err != nil {
			fyne.LogError("automatic backup", err)
		}
		fyne.Do(func() {
			if s, ok := sh.builtScreen("settings").(*Settings); ok {
				s.Backup.Refresh()
			}
		})
	}()
}

// stopAutoBackup cancels an automatic backup still waiting to start and
// waits for one that has started.
func (sh *Shell) stopAutoBackup() {
	b := &sh.backups
	b.mu.Lock()
	if b.stop != nil {
		close(b.stop)
		b.stop = nil
	}
	b.mu.Unlock()
	b.jobs.Wait()
}

// chooseBackupFile asks for a backup file to write (save, suggested as
// name) or to read, and calls chosen with its path on the UI goroutine;
// nothing happens if the user cancels. Tests replace it: a file dialog
// cannot be driven without a display.
var chooseBackupFile = func(sh *Shell, save bool, name string, chosen func(path string)) {
	fc := FileChoice{Save: save, Name: name, Ext: data.BackupExt, Pref: prefBackupDir, NotFileID: "backup.not_file"}
	if st := sh.Store(); st != nil && !save {
		fc.Dir = data.BackupDir(st.Dir())
	}
	sh.ChooseFile(fc, chosen)
}

// prefBackupDir keeps the folder a backup was last saved to or read from.
const prefBackupDir = "backup.dir"

// BackupItem is an automatic backup as Cài đặt lists it.
type BackupItem struct {
	Path    string
	Created time.Time
	Size    int64
}

// BackupPanel is the "Sao lưu / Khôi phục" part of Cài đặt.
type BackupPanel struct {
	sh *Shell

	// BackupNow saves a backup where the cadre chooses (Sao lưu ngay).
	BackupNow *widget.Button
	// Restore restores the store from a chosen backup file.
	Restore *widget.Button
	// Done and Error report the last action.
	Done, Error *widget.Label
	// Autos lists the automatic backups, newest first, each with a
	// Khôi phục button (AutoRestore, in the same order).
	Autos       *fyne.Container
	AutoRestore []*widget.Button
	NoAutos     *widget.Label
	AutoError   *widget.Label
	Content     fyne.CanvasObject

	items    []BackupItem
	progress dialog.Dialog
	resized  func() // called after parts were shown or hidden; may be nil
}

func newBackupPanel(sh *Shell) *BackupPanel {
	b := &BackupPanel{sh: sh}
	b.BackupNow = widget.NewButtonWithIcon(sh.T("backup.now"), theme.DocumentSaveIcon(), func() {
		name := "danvan-sao-luu-" + time.Now().Format("2006-01-02") + data.BackupExt
		chooseBackupFile(sh, true, name, b.BackupTo)
	})
	b.BackupNow.Importance = widget.HighImportance
	b.Restore = widget.NewButtonWithIcon(sh.T("backup.restore"), theme.HistoryIcon(), func() {
		chooseBackupFile(sh, false, "", b.RestoreFrom)
	})
	b.Done = wrapLabel("")
	b.Done.Importance = widget.SuccessImportance
	b.Done.Hide()
	b.Error = wrapLabel("")
	b.Error.Importance = widget.DangerImportance
	b.Error.Hide()
	b.Autos = container.NewVBox()
	b.NoAutos = hintLabel(sh.T("backup.no_autos"))
	b.AutoError = wrapLabel("")
	b.AutoError.Importance = widget.WarningImportance
	b.AutoError.Hide()
	b.Content = container.NewVBox(hintLabel(sh.T("backup.intro")),
		container.NewHBox(b.BackupNow, b.Restore), b.Done, b.Error,
		sectionTitle(sh.T("backup.autos", "Keep", data.KeepBackups)), b.NoAutos, b.Autos, b.AutoError)
	return b
}

// Items returns the automatic backups listed now, newest first.
func (b *BackupPanel) Items() []BackupItem { return append([]BackupItem(nil), b.items...) }

// Refresh lists the automatic backups again, off the UI goroutine.
func (b *BackupPanel) Refresh() {
	st := b.sh.Store()
	if st == nil {
		return
	}
	var items []BackupItem
	b.sh.Go(func() error {
		paths, err := data.AutoBackups(st, data.BackupDir(st.Dir()))
		for _, p := range paths {
			it := BackupItem{Path: p}
			if info, err := data.ReadBackupInfo(p); err == nil {
				it.Created = info.Created
			}
			if fi, err := os.Stat(p); err == nil {
				it.Size = fi.Size()
				if it.Created.IsZero() {
					it.Created = fi.ModTime()
				}
			}
			items = append(items, it)
		}
		return err
	}, func(err error) {
		b.items = items
		b.Autos.RemoveAll()
		b.AutoRestore = nil
		for _, it := range items {
			path := it.Path
			btn := widget.NewButtonWithIcon(b.sh.T("btn.restore"), theme.HistoryIcon(), func() { b.RestoreFrom(path) })
			btn.Importance = widget.LowImportance
			b.AutoRestore = append(b.AutoRestore, btn)
			text := formatDateTime(it.Created) + " · " + formatMB(it.Size, b.sh.Lang())
			b.Autos.Add(container.NewBorder(nil, nil, nil, btn, widget.NewLabel(text)))
		}
		b.Autos.Refresh()
		showIf(b.NoAutos, len(items) == 0)
		b.sh.backups.mu.Lock()
		autoErr := b.sh.backups.err
		b.sh.backups.mu.Unlock()
		if err == nil {
			err = autoErr
		}
		if err != nil {
			b.AutoError.SetText(b.sh.T("backup.auto_failed", "Detail", err.Error()))
		}
		showIf(b.AutoError, err != nil)
		b.relayout()
	})
}

func (b *BackupPanel) relayout() {
	if b.resized != nil {
		b.resized()
	}
}

// report shows the outcome of an action: done, or failed with msg.
func (b *BackupPanel) report(done, failed string) {
	b.Done.SetText(done)
	b.Error.SetText(failed)
	showIf(b.Done, done != "")
	showIf(b.Error, failed != "")
	b.relayout()
}

// working shows a progress dialog saying what runs; idle hides it.
func (b *BackupPanel) working(what string) {
	b.idle()
	bar := widget.NewProgressBarInfinite()
	b.progress = dialog.NewCustomWithoutButtons(b.sh.T("backup.title"), container.NewVBox(widget.NewLabel(what), bar), b.sh.Win)
	b.progress.Show()
	b.BackupNow.Disable()
	b.Restore.Disable()
}

func (b *BackupPanel) idle() {
	if b.progress != nil {
		b.progress.Hide()
		b.progress = nil
	}
	b.BackupNow.Enable()
	b.Restore.Enable()
}

// BackupTo writes an encrypted backup of the store to path (".dvbak" is
// added when missing), off the UI goroutine.
func (b *BackupPanel) BackupTo(path string) {
	sh := b.sh
	st := sh.Store()
	if st == nil {
		return
	}
	if !strings.EqualFold(filepath.Ext(path), data.BackupExt) {
		path += data.BackupExt
	}
	b.report("", "")
	b.working(sh.T("backup.saving"))
	var info data.BackupInfo
	sh.Go(func() error {
		var err error
		info, err = st.BackupFile(path)
		return err
	}, func(err error) {
		b.idle()
		if err != nil {
			b.report("", sh.T("backup.save_failed", "Detail", backupDetail(err)))
			return
		}
		b.report(sh.T("backup.saved", "Path", path, "Time", formatDateTime(info.Created)), "")
	})
}

// RestoreFrom restores the store from the backup file at path: it is
// decrypted and checked first (with the passphrase in force, else the one
// the cadre types), then, once the cadre confirms, the store is backed up,
// closed, replaced and reopened. A file that cannot be decrypted or
// verified leaves the store untouched.
func (b *BackupPanel) RestoreFrom(path string) {
	b.report("", "")
	b.verify(path, b.sh.passphrase(), false)
}

// verify checks the backup with pass; retried says pass was typed.
func (b *BackupPanel) verify(path, pass string, retried bool) {
	sh := b.sh
	st := sh.Store()
	if st == nil {
		return
	}
	dir := st.Dir()
	b.working(sh.T("backup.verifying"))
	var info data.BackupInfo
	sh.Go(func() error {
		var err error
		info, err = data.VerifyBackup(dir, path, pass)
		return err
	}, func(err error) {
		b.idle()
		switch {
		case errors.Is(err, data.ErrWrongPassphrase):
			b.askPassphrase(path, retried)
		case err != nil:
			b.report("", sh.T("backup.restore_refused", "Reason", b.restoreErrorText(err)))
		default:
			b.confirm(path, pass, info)
		}
	})
}

// askPassphrase asks for the passphrase of a backup locked by another
// passphrase than the store's; retried says the last one typed was wrong.
func (b *BackupPanel) askPassphrase(path string, retried bool) {
	sh := b.sh
	entry := widget.NewPasswordEntry()
	msg := sh.T("backup.other_passphrase")
	if retried {
		msg = sh.T("err.wrong_passphrase") + "\n" + msg
	}
	d := dialog.NewForm(sh.T("backup.restore"), sh.T("btn.ok"), sh.T("btn.cancel"),
		[]*widget.FormItem{widget.NewFormItem("", wrapLabel(msg)), widget.NewFormItem(sh.T("auth.passphrase"), entry)},
		func(ok bool) {
			if !ok {
				b.report("", sh.T("backup.restore_cancelled"))
				return
			}
			b.verify(path, entry.Text, true)
		}, sh.Win)
	d.Resize(fyne.NewSize(480, 0))
	sh.ShowDialog(d)
	sh.Win.Canvas().Focus(entry)
}

// confirm asks before replacing the store with the verified backup.
func (b *BackupPanel) confirm(path, pass string, info data.BackupInfo) {
	sh := b.sh
	msg := sh.T("backup.restore_confirm", "Time", formatDateTime(info.Created), "File", filepath.Base(path))
	if st := sh.Store(); st != nil && info.Commune != "" && info.Commune != st.Commune() {
		name := info.Commune
		if c, ok := data.CommuneByCode(info.Commune); ok {
			name = c.Label()
		}
		msg += "\n\n" + sh.T("backup.other_commune", "Commune", name)
	}
	d := dialog.NewConfirm(sh.T("backup.restore_title"), msg, func(ok bool) {
		if ok {
			b.restore(path, pass, info)
		} else {
			b.report("", sh.T("backup.restore_cancelled"))
		}
	}, sh.Win)
	d.SetConfirmText(sh.T("btn.restore"))
	d.SetDismissText(sh.T("btn.cancel"))
	sh.ShowDialog(d)
}

// restore backs the store up, then closes it, replaces it with the
// backup and reopens it.
func (b *BackupPanel) restore(path, pass string, info data.BackupInfo) {
	sh := b.sh
	st := sh.Store()
	if st == nil {
		return
	}
	old := sh.passphrase()
	b.working(sh.T("backup.restoring"))
	var before string
	sh.Go(func() error {
		var err error
		before, err = st.BackupBeforeRestore(time.Now())
		return err
	}, func(err error) {
		if err != nil {
			b.idle()
			b.report("", sh.T("backup.restore_refused", "Reason", b.restoreErrorText(err)))
			return
		}
		dir := st.Dir()
		sh.reopen(st, old, func() (string, error) {
			_, err := data.RestoreBackup(dir, path, pass)
			return pass, err
		}, func(changeErr, openErr error) {
			b.idle()
			switch {
			case openErr != nil: // the problem screen says why
			case changeErr != nil:
				if sh.Main != nil {
					sh.Main.reset(false)
				}
				b.report("", sh.T("backup.restore_refused", "Reason", b.restoreErrorText(changeErr)))
			default:
				sh.restored(info, before)
			}
		})
	})
}

// restored shows the main window again on the restored store, on Cài
// đặt, and says what happened.
func (sh *Shell) restored(info data.BackupInfo, before string) {
	// The restored store may lack the commune or the profile: the first
	// run's steps then come back, without the main window's menus.
	sh.Main = nil
	sh.Win.SetMainMenu(nil)
	sh.storeReady()
	msg := sh.T("backup.restored", "Time", formatDateTime(info.Created), "Before", before)
	if sh.Main != nil {
		if s, ok := sh.ShowScreen("settings").(*Settings); ok {
			s.Backup.report(msg, "")
		}
	}
	sh.ShowDialog(dialog.NewInformation(sh.T("backup.restore_title"), msg, sh.Win))
}

// passphrase returns the passphrase the store is open with.
func (sh *Shell) passphrase() string {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.pass
}

// restoreErrorText explains why a backup cannot be restored; the store
// is untouched in every case.
func (b *BackupPanel) restoreErrorText(err error) string {
	sh := b.sh
	switch {
	case errors.Is(err, data.ErrWrongPassphrase):
		return sh.T("backup.err.passphrase")
	case errors.Is(err, data.ErrBackupCorrupt):
		return sh.T("backup.err.corrupt")
	case errors.Is(err, data.ErrBackupKey):
		return sh.T("backup.err.key")
	case errors.Is(err, os.ErrNotExist):
		return sh.T("backup.err.missing")
	case errors.Is(err, data.ErrNewerSchema), errors.Is(err, data.ErrAlreadyOpen):
		return sh.tx.errorText(err)
	}
	return sh.T("err.detail", "Detail", backupDetail(err))
}

// backupDetail is an error's text without the long paths Go adds.
func backupDetail(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Op + " " + filepath.Base(pe.Path) + ": " + pe.Err.Error()
	}
	return err.Error()
}
