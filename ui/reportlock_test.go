package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"danvan/report"
)

// TestReportLockAndRegister: Chốt số liệu asks first, saves the commune
// report's PDF, locks it with the PDF's SHA-256 and the sender, and the
// register below the chart lists it; a second lock of the period is
// refused with the date it was locked.
func TestReportLockAndRegister(t *testing.T) {
	sh, _, x := reportPage(t)
	dir, names := fakeSaveDialog(t)
	if !strings.Contains(strings.Join(labelTexts(x.Register), "\n"), "Chưa có báo cáo nào được chốt số liệu.") {
		t.Errorf("the register should say nothing was locked; it reads %q", labelTexts(x.Register))
	}
	if x.Lock.Disabled() {
		t.Fatal("Chốt số liệu should be enabled for the commune report")
	}
	test.Tap(x.Lock)
	if !strings.Contains(topDialogText(sh), "Mỗi kỳ chỉ chốt một lần") {
		t.Fatalf("Chốt số liệu should ask first; on top: %q", topDialogText(sh))
	}
	tapTopButton(t, sh, "Chốt số liệu")
	sh.wait()
	if len(*names) != 1 {
		t.Fatalf("the save dialog was asked %v", *names)
	}
	path := filepath.Join(dir, (*names)[0])
	pdf, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(pdf)
	hexSum := hex.EncodeToString(sum[:])
	if msg := topDialogText(sh); !strings.Contains(msg, "Đã chốt số liệu") || !strings.Contains(msg, hexSum) {
		t.Errorf("the message should give the SHA-256 %s; it reads:\n%s", hexSum, msg)
	}
	closeAllDialogs(sh)
	locks, err := sh.Store().ReportLocks()
	if err != nil || len(locks) != 1 || locks[0].PDFSHA256 != hexSum || locks[0].By == "" {
		t.Fatalf("locks %+v, %v", locks, err)
	}
	reg := strings.Join(labelTexts(x.Register), "\n")
	if !strings.Contains(reg, locks[0].Label) || !strings.Contains(reg, hexSum) {
		t.Errorf("the register should list the locked report; it reads %q", reg)
	}
	if !strings.Contains(pdfTextOf(t, path), "BÁO CÁO") {
		t.Error("the locked file is not the report")
	}
	// The reprint names the lock.
	p, _ := report.ParsePeriod(locks[0].Period)
	c, err := report.NewCommuneReport(sh.Store(), p, nil, report.Options{})
	if err != nil || c.Locked == nil {
		t.Fatalf("a reprint of %s is not locked: %v", p, err)
	}
	test.Tap(x.Lock)
	if msg := topDialogText(sh); !strings.Contains(msg, "đã được chốt số liệu ngày") {
		t.Errorf("a second lock should be refused; on top: %q", msg)
	}
	closeAllDialogs(sh)
	if len(*names) != 1 {
		t.Errorf("a refused lock asked where to save: %v", *names)
	}
}
