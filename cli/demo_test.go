package cli

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"danvan/data"
	dsync "danvan/sync"
)

// demoCount opens the store at dir and counts its records.
func demoCount(t *testing.T, dir string) (demo, other int) {
	t.Helper()
	s, err := data.Open(dir, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	return s.DemoCount()
}

// TestDemoSecondRunRefused: a second "danvan demo" into a filled store is
// refused and writes nothing; with --force it adds a second commune's
// worth; a store holding a real record is refused the same way.
func TestDemoSecondRunRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	code, out, errs := run(t, nil, "demo", "--commune", "23368", "--store", dir)
	if code != 0 || !strings.Contains(out, "Đã tạo") {
		t.Fatalf("first demo run: code %d, %q %q", code, out, errs)
	}
	first, other := demoCount(t, dir)
	if first < 2000 || other != 0 {
		t.Fatalf("after the first run: %d demo, %d other records", first, other)
	}

	code, out, errs = run(t, nil, "demo", "--commune", "23368", "--store", dir)
	if code != 1 || !strings.Contains(errs, "Không tạo dữ liệu mẫu") || !strings.Contains(errs, "nhân đôi") ||
		!strings.Contains(errs, "--force") || !strings.Contains(errs, groupThousands(first)) || strings.Contains(out, "Đã tạo") {
		t.Errorf("second demo run: code %d, stdout %q, stderr %q", code, out, errs)
	}
	if d, _ := demoCount(t, dir); d != first {
		t.Errorf("the refused run changed the store: %d demo records, was %d", d, first)
	}

	code, _, errs = run(t, nil, "demo", "--commune", "23368", "--store", dir, "--force")
	if code != 0 {
		t.Fatalf("demo --force on a store of demo data: code %d, %q", code, errs)
	}
	if d, _ := demoCount(t, dir); d != 2*first {
		t.Errorf("after --force: %d demo records, want %d", d, 2*first)
	}

	// A store with only real records.
	real := filepath.Join(t.TempDir(), "real")
	s, err := data.Open(real, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetCommune("23368"); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(&data.Village{Name: "Làng Đăk Ga", VillageKind: data.VillageLang}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	code, _, errs = run(t, nil, "demo", "--commune", "23368", "--store", real)
	if code != 1 || !strings.Contains(errs, "đã có 1 bản ghi") {
		t.Errorf("demo into a store with a real record: code %d, %q", code, errs)
	}
	if d, o := demoCount(t, real); d != 0 || o != 1 {
		t.Errorf("the real store after the refusal: %d demo, %d other", d, o)
	}
}

// TestDemoEnrolledStoreRefusedEvenWithForce: a store enrolled with a real
// server on 127.0.0.1 never takes demo data, with or without --force,
// even while it holds no record yet.
func TestDemoEnrolledStoreRefusedEvenWithForce(t *testing.T) {
	st, err := dsync.OpenBadgerStorage(filepath.Join(t.TempDir(), "server"), nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := newSyncServer(dsync.NewServer(dsync.ServerConfig{Storage: st}))
	defer func() { srv.Close(); st.Close() }()
	enrolCode, _, err := (&dsync.Admin{Storage: st}).NewEnrolmentCode(context.Background(), "23368", "Cán bộ A", 0)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "store")
	if code, out, errs := run(t, nil, "enroll", "--server", srv.URL, "--code", enrolCode, "--store", dir); code != 0 {
		t.Fatalf("enroll: code %d, %q %q", code, out, errs)
	}
	for _, args := range [][]string{
		{"demo", "--commune", "23368", "--store", dir},
		{"demo", "--commune", "23368", "--store", dir, "--force"},
	} {
		code, out, errs := run(t, nil, args...)
		if code != 1 || !strings.Contains(errs, "đã đăng ký với máy chủ của tỉnh") || !strings.Contains(errs, "kể cả khi có --force") || strings.Contains(out, "Đã tạo") {
			t.Errorf("%v: code %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
	if d, o := demoCount(t, dir); d+o != 0 {
		t.Errorf("the enrolled store holds %d demo and %d other records after the refusals", d, o)
	}
	if n, _ := st.Stats(context.Background()); n["23368"] != 0 {
		t.Errorf("the server holds %d records", n["23368"])
	}
}

// TestRemoveDemoCommand: "danvan remove-demo" asks for --yes, then
// removes the demo records and keeps the real ones; "danvan enroll"
// refuses a store with demo records and names the command.
func TestRemoveDemoCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	if code, _, errs := run(t, nil, "remove-demo", "--store", dir); code != 1 || !strings.Contains(errs, "Không có kho dữ liệu") {
		t.Errorf("remove-demo without a store: code %d, %q", code, errs)
	}
	if code, _, errs := run(t, nil, "demo", "--commune", "23368", "--store", dir); code != 0 {
		t.Fatalf("demo: code %d, %q", code, errs)
	}
	s, err := data.Open(dir, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	real := &data.Village{Name: "Làng Đăk Ga", VillageKind: data.VillageLang}
	if err := s.Save(real); err != nil {
		t.Fatal(err)
	}
	s.Close()
	demo, _ := demoCount(t, dir)

	st, err := dsync.OpenBadgerStorage(filepath.Join(t.TempDir(), "server"), nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := newSyncServer(dsync.NewServer(dsync.ServerConfig{Storage: st}))
	defer func() { srv.Close(); st.Close() }()
	enrolCode, _, err := (&dsync.Admin{Storage: st}).NewEnrolmentCode(context.Background(), "23368", "Cán bộ A", 0)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, errs := run(t, nil, "enroll", "--server", srv.URL, "--code", enrolCode, "--store", dir); code != 1 || !strings.Contains(errs, "danvan remove-demo --yes") {
		t.Errorf("enrolling a store with demo data: code %d, %q", code, errs)
	}

	code, out, errs := run(t, nil, "remove-demo", "--store", dir)
	if code != 1 || !strings.Contains(errs, groupThousands(demo)+" bản ghi mẫu") || !strings.Contains(errs, "--yes") || !strings.Contains(errs, "1 bản ghi khác") {
		t.Errorf("remove-demo without --yes: code %d, %q %q", code, out, errs)
	}
	if d, _ := demoCount(t, dir); d != demo {
		t.Fatalf("remove-demo without --yes removed records: %d left of %d", d, demo)
	}
	code, out, errs = run(t, nil, "remove-demo", "--store", dir, "--yes")
	if code != 0 || !strings.Contains(out, "Đã xóa hẳn "+groupThousands(demo)+" bản ghi mẫu") {
		t.Errorf("remove-demo --yes: code %d, %q %q", code, out, errs)
	}
	if d, o := demoCount(t, dir); d != 0 || o != 1 {
		t.Errorf("after remove-demo: %d demo, %d other records; want 0, 1", d, o)
	}
	if code, out, _ := run(t, nil, "remove-demo", "--store", dir); code != 0 || !strings.Contains(out, "không có bản ghi mẫu") {
		t.Errorf("remove-demo again: code %d, %q", code, out)
	}
	// Now the same code enrolls the store, and only the real village goes.
	if code, _, errs := run(t, nil, "enroll", "--server", srv.URL, "--code", enrolCode, "--store", dir); code != 0 {
		t.Fatalf("enroll after remove-demo: code %d, %q", code, errs)
	}
	if code, out, errs := run(t, nil, "sync", "--once", "--store", dir); code != 0 || !strings.Contains(out, "Đã gửi 1,") {
		t.Errorf("sync: code %d, %q %q", code, out, errs)
	}
}

// TestDemoReportHasThePartyForm is issue 16's "danvan demo followed by a
// report shows the Party form": the demo's profile is a cadre of the
// commune Party committee's Ban Xây dựng Đảng, and a profile already set
// is kept.
func TestDemoReportHasThePartyForm(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	if code, out, errs := run(t, nil, "demo", "--commune", "23368", "--store", dir); code != 0 {
		t.Fatalf("demo: %d %q %q", code, out, errs)
	}
	s, err := data.Open(dir, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, ok := s.Profile()
	s.Close()
	if !ok || p.UnitKind != data.UnitParty || p.Name != demoCadre || p.Signer != demoSigner ||
		p.Unit != "Ban Xây dựng Đảng Đảng ủy xã Đăk Long" {
		t.Fatalf("demo profile %+v (set: %v)", p, ok)
	}
	pdf := filepath.Join(t.TempDir(), "bao-cao.pdf")
	if code, out, errs := run(t, nil, "report", "commune", "--store", dir, "--period", "2026", "--out", pdf); code != 0 {
		t.Fatalf("report: %d %q %q", code, out, errs)
	}
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("no pdftotext (apt-get install poppler-utils)")
	}
	b, err := exec.Command(tool, "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(b)), " ")
	for _, want := range []string{"ĐẢNG BỘ XÃ ĐĂK LONG", "BAN XÂY DỰNG ĐẢNG", "ĐẢNG CỘNG SẢN VIỆT NAM", "Số -BC/BXDĐ",
		"Nơi nhận:", "TRƯỞNG BAN", demoSigner, "Người lập báo cáo: " + demoCadre} {
		if !strings.Contains(text, want) {
			t.Errorf("the demo's report lacks %q", want)
		}
	}
	if strings.Contains(text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") {
		t.Error("the demo's report has the state heading")
	}
}
