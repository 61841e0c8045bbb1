package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"danvan/data"
)

// pickBackupFile makes the file dialogs of the backups answer path.
func pickBackupFile(t *testing.T, path string) {
	t.Helper()
	old := chooseBackupFile
	chooseBackupFile = func(_ *Shell, _ bool, _ string, chosen func(string)) { chosen(path) }
	t.Cleanup(func() { chooseBackupFile = old })
}

// settingsScreen shows Cài đặt with its data loaded.
func settingsScreen(t *testing.T, sh *Shell) *Settings {
	t.Helper()
	s, ok := sh.ShowScreen("settings").(*Settings)
	if !ok {
		t.Fatal("no settings screen")
	}
	sh.wait()
	return s
}

// topOverlayText returns what the topmost dialog shows.
func topOverlayText(sh *Shell) string {
	top := sh.Win.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	return allTexts(top)
}

// immediateAutoBackups makes the automatic backup start as soon as the
// store opens.
func immediateAutoBackups(t *testing.T) {
	old := autoBackupDelay
	autoBackupDelay = 0
	t.Cleanup(func() { autoBackupDelay = old })
}

func TestBackupThenRestoreBringsBackDeletedVillage(t *testing.T) {
	immediateAutoBackups(t)
	sh := newTestShell(t, "")
	firstRun(t, sh, "Y Sáng")
	sh.backups.jobs.Wait()
	st := sh.Store()
	v := &data.Village{Name: "Làng Kon Dồn", VillageKind: data.VillageLang}
	if err := st.Save(v); err != nil {
		t.Fatal(err)
	}

	s := settingsScreen(t, sh)
	if len(s.Backup.Items()) != 1 || len(s.Backup.AutoRestore) != 1 {
		t.Errorf("the automatic backup made at opening is not listed: %+v", s.Backup.Items())
	}
	if shown := allTexts(s.Backup.Content); !strings.Contains(shown, formatDateTime(s.Backup.Items()[0].Created)) {
		t.Errorf("the automatic backup's date is not shown:\n%s", shown)
	}

	// Sao lưu ngay
	path := filepath.Join(t.TempDir(), "sao-luu")
	pickBackupFile(t, path)
	test.Tap(s.Backup.BackupNow)
	sh.wait()
	path += data.BackupExt
	if _, err := os.Stat(path); err != nil || !s.Backup.Done.Visible() || !strings.Contains(s.Backup.Done.Text, path) {
		t.Fatalf("backup: %v; shown %q, error %q", err, s.Backup.Done.Text, s.Backup.Error.Text)
	}

	// the village goes to the trash after the backup
	if err := st.Delete(v.ID); err != nil {
		t.Fatal(err)
	}

	// a damaged file is refused and changes nothing
	bad := filepath.Join(t.TempDir(), "hong"+data.BackupExt)
	b, _ := os.ReadFile(path)
	b[len(b)-10] ^= 0xff
	if err := os.WriteFile(bad, b, 0o600); err != nil {
		t.Fatal(err)
	}
	pickBackupFile(t, bad)
	test.Tap(s.Backup.Restore)
	sh.wait()
	if want := sh.T("backup.restore_refused", "Reason", sh.T("backup.err.corrupt")); s.Backup.Error.Text != want {
		t.Fatalf("a damaged backup shows %q, want %q", s.Backup.Error.Text, want)
	}
	if sh.Store() != st {
		t.Fatal("a refused restore reopened the store")
	}

	// Khôi phục từ bản sao lưu: check, confirm, restore, reopen
	pickBackupFile(t, path)
	test.Tap(s.Backup.Restore)
	sh.wait()
	if shown := topOverlayText(sh); !strings.Contains(shown, filepath.Base(path)) {
		t.Fatalf("no confirmation before restoring; shown:\n%s", shown)
	}
	tapButton(t, sh, sh.Win.Canvas().Overlays().Top(), sh.T("btn.restore"))
	sh.wait()
	st2 := sh.Store()
	if st2 == nil || st2 == st {
		t.Fatal("the store was not reopened after the restore")
	}
	row, ok := st2.Row(v.ID)
	if !ok || row.Deleted {
		t.Fatalf("the village is not back: %+v (found %v)", row, ok)
	}
	s2, ok := sh.Current().(*Settings)
	if !ok || !s2.Backup.Done.Visible() {
		t.Fatalf("after the restore the window shows %T", sh.Current())
	}
	if shown := topOverlayText(sh); !strings.Contains(shown, strings.Split(s2.Backup.Done.Text, "\n")[0]) {
		t.Errorf("the restore is not reported; shown:\n%s", shown)
	}
	// the backup taken before the restore is kept beside the automatic ones
	before := strings.Split(s2.Backup.Done.Text, "\n")
	if _, err := os.Stat(before[len(before)-1]); err != nil {
		t.Errorf("the backup taken before restoring is missing: %v", err)
	}
	if sh.SyncWorker() == nil {
		t.Error("the sync worker did not start again on the restored store")
	}
}

func TestRestoreWithWrongPassphraseLeavesStoreUntouched(t *testing.T) {
	const pass = "Mật khẩu đúng 2025"
	sh := newTestShell(t, "")
	sh.Start()
	test.Type(sh.Unlock.Pass, pass)
	test.Type(sh.Unlock.Confirm, pass)
	test.Tap(sh.Unlock.Submit)
	sh.wait()
	chooseCommune(t, sh, "dak long", "23368")
	test.Type(sh.Profile.Name, "Y Sáng")
	test.Tap(sh.Profile.Continue)
	sh.wait()
	st := sh.Store()
	v := &data.Village{Name: "Làng Kon Dồn", VillageKind: data.VillageLang}
	if err := st.Save(v); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "a"+data.BackupExt)
	if _, err := st.BackupFile(path); err != nil {
		t.Fatal(err)
	}
	// the passphrase changes after the backup: the backup asks for the old one
	s := settingsScreen(t, sh)
	sh.ChangePassphrase(pass, "Mật khẩu mới 2026", func(err error) {
		if err != nil {
			t.Errorf("change passphrase: %v", err)
		}
	})
	sh.wait()
	st = sh.Store()
	if err := st.Delete(v.ID); err != nil {
		t.Fatal(err)
	}
	pickBackupFile(t, path)
	test.Tap(s.Backup.Restore)
	sh.wait()
	if shown := topOverlayText(sh); !strings.Contains(shown, sh.T("backup.other_passphrase")) {
		t.Fatalf("the old passphrase is not asked for; shown:\n%s", shown)
	}
	typeInDialog(t, sh, "sai rồi")
	tapButton(t, sh, sh.Win.Canvas().Overlays().Top(), sh.T("btn.ok"))
	if shown := topOverlayText(sh); !strings.Contains(shown, sh.T("err.wrong_passphrase")) {
		t.Fatalf("a wrong passphrase is not said; shown:\n%s", shown)
	}
	tapButton(t, sh, sh.Win.Canvas().Overlays().Top(), sh.T("btn.cancel"))
	if sh.Store() != st || !s.Backup.Error.Visible() {
		t.Fatal("cancelling changed the store or said nothing")
	}
	if row, _ := st.Row(v.ID); !row.Deleted {
		t.Fatal("the store changed")
	}

	// the right old passphrase restores, and the store then opens with it
	test.Tap(s.Backup.Restore)
	sh.wait()
	typeInDialog(t, sh, pass)
	tapButton(t, sh, sh.Win.Canvas().Overlays().Top(), sh.T("btn.ok"))
	tapButton(t, sh, sh.Win.Canvas().Overlays().Top(), sh.T("btn.restore"))
	sh.wait()
	if row, ok := sh.Store().Row(v.ID); !ok || row.Deleted {
		t.Fatal("the village is not back")
	}
	if sh.pass != pass {
		t.Error("the restored store is not open with the backup's passphrase")
	}
}

// typeInDialog types text into the focused entry of the topmost dialog.
func typeInDialog(t *testing.T, sh *Shell, text string) {
	t.Helper()
	f := sh.Win.Canvas().Focused()
	if f == nil {
		t.Fatal("nothing is focused in the dialog")
	}
	test.Type(f, text)
}
