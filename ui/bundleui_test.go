package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"danvan/data"
	dsync "danvan/sync"
)

// TestBundleButtons exports the changes not yet sent from the Đồng bộ
// page, imports the server's reply, and shows clear errors for a damaged
// file and for the wrong kind of file.
func TestBundleButtons(t *testing.T) {
	old := syncConfig
	syncConfig = dsync.Config{Debounce: time.Hour, PollInterval: time.Hour, ProbeInterval: time.Hour}
	t.Cleanup(func() { syncConfig = old })
	ts := startSyncServer(t)
	sh := newTestShell(t, "")
	firstRun(t, sh, "Y Sáng")
	s := enrollFromScreen(t, sh, ts)
	if len(s.Bundle.Objects) != 1 {
		t.Fatalf("the Đồng bộ page has %d bundle panels", len(s.Bundle.Objects))
	}
	p, ok := s.Bundle.Objects[0].(*BundlePanel)
	if !ok || p.Export.Text != "Xuất tệp đồng bộ" || p.Import.Text != "Nhập tệp đồng bộ" {
		t.Fatalf("bundle panel: %T %+v", s.Bundle.Objects[0], p)
	}

	// another laptop of the commune, with signal, has a record
	other, err := data.Open(t.TempDir(), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := dsync.Enroll(context.Background(), other, ts.URL, ts.code(t, "Cán bộ B")); err != nil {
		t.Fatal(err)
	}
	if err := other.Save(&data.Village{Name: "Làng Kon Khác", VillageKind: data.VillageLang}); err != nil {
		t.Fatal(err)
	}
	if _, err := dsync.RunOnce(context.Background(), other, nil); err != nil {
		t.Fatal(err)
	}

	st := sh.Store()
	if err := st.Save(&data.Village{Name: "Làng Kon Dồn", VillageKind: data.VillageLang}); err != nil {
		t.Fatal(err)
	}
	if st.Pending() != 1 {
		t.Fatalf("pending %d", st.Pending())
	}

	usb := t.TempDir()
	var next string
	var asked []bool
	orig := chooseBundleFile
	chooseBundleFile = func(_ *Shell, save bool, name string, chosen func(string)) {
		asked = append(asked, save)
		if save && !strings.HasSuffix(name, dsync.BundleExt) {
			t.Errorf("suggested name %q", name)
		}
		chosen(next)
	}
	t.Cleanup(func() { chooseBundleFile = orig })

	export := filepath.Join(usb, "dongbo.dvb")
	next = export
	test.Tap(p.Export)
	sh.wait()
	if !p.Done.Visible() || !strings.Contains(p.Done.Text, "Đã ghi 1 bản ghi") || p.Error.Visible() || p.Busy() {
		t.Fatalf("export: done %q (%v), error %q", p.Done.Text, p.Done.Visible(), p.Error.Text)
	}
	if p.Export.Disabled() || p.Import.Disabled() {
		t.Fatal("buttons stay disabled after the export")
	}
	raw, err := os.ReadFile(export)
	if err != nil {
		t.Fatal(err)
	}
	_, reply, err := dsync.ImportBundle(context.Background(), ts.st, raw, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	replyPath := dsync.ReplyPath(export)
	if err := os.WriteFile(replyPath, reply, 0o600); err != nil {
		t.Fatal(err)
	}

	// a damaged reply and the export itself are refused
	bad := append([]byte(nil), reply...)
	bad[len(bad)-9] ^= 4
	next = filepath.Join(usb, "hong.dvb")
	if err := os.WriteFile(next, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	test.Tap(p.Import)
	sh.wait()
	if !p.Error.Visible() || !strings.Contains(p.Error.Text, "bị hỏng") || !strings.Contains(p.Error.Text, "không thay đổi") || p.Done.Visible() {
		t.Fatalf("damaged reply: %q", p.Error.Text)
	}
	next = export
	test.Tap(p.Import)
	sh.wait()
	if !p.Error.Visible() || !strings.Contains(p.Error.Text, "tệp xuất") {
		t.Fatalf("export imported as a reply: %q", p.Error.Text)
	}
	if st.Pending() != 1 {
		t.Fatal("refused files changed the outbox")
	}

	next = replyPath
	test.Tap(p.Import)
	sh.wait()
	if !p.Done.Visible() || p.Error.Visible() || !strings.Contains(p.Done.Text, "máy chủ đã nhận 1 bản ghi, máy này nhận về 1 bản ghi") {
		t.Fatalf("import: done %q, error %q", p.Done.Text, p.Error.Text)
	}
	if st.Pending() != 0 || len(st.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle)) != 2 {
		t.Fatalf("after the round trip: pending %d", st.Pending())
	}
	syncUntil(t, sh, "the bundle import in the log", func() bool {
		l := s.Status().Log
		return len(l) > 0 && l[0].Trigger == "bundle-import" && s.Status().Pending == 0
	})
	test.Tap(p.Import)
	sh.wait()
	if !strings.Contains(p.Done.Text, "đã được nhập trước đây") {
		t.Fatalf("second import: %q", p.Done.Text)
	}
	if len(asked) != 5 || !asked[0] || asked[1] {
		t.Fatalf("dialogs asked: %v", asked)
	}
}
