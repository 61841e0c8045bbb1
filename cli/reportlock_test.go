package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportLockCommand: "report commune --lock" saves the PDF and locks
// it once, "report locks" lists it with the file's SHA-256, and a lock
// asked for an Excel file is refused.
func TestReportLockCommand(t *testing.T) {
	dir := reportStore(t)
	out := filepath.Join(t.TempDir(), "q1.pdf")
	code, stdout, stderr := runCmd(t, (*Env).runReport, dir, "commune", "--period", "2026-Q1", "--out", out, "--lock")
	if code != 0 || !strings.Contains(stdout, "Đã chốt số liệu kỳ quý I/2026") {
		t.Fatalf("lock: %d %q %q", code, stdout, stderr)
	}
	pdf, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(pdf)
	code, stdout, stderr = runCmd(t, (*Env).runReport, dir, "locks")
	if code != 0 || !strings.Contains(stdout, "2026-Q1") || !strings.Contains(stdout, hex.EncodeToString(sum[:])) || !strings.Contains(stdout, "Y Sáng") {
		t.Errorf("locks: %d %q %q; want 2026-Q1 with the PDF's SHA-256", code, stdout, stderr)
	}
	code, _, stderr = runCmd(t, (*Env).runReport, dir, "commune", "--period", "2026-Q1", "--out", filepath.Join(t.TempDir(), "again.pdf"), "--lock")
	if code != 1 || !strings.Contains(stderr, "đã chốt số liệu") {
		t.Errorf("second lock: %d %q", code, stderr)
	}
	code, _, stderr = runCmd(t, (*Env).runReport, dir, "commune", "--period", "2026-Q2", "--format", "xlsx", "--out", filepath.Join(t.TempDir(), "q2.xlsx"), "--lock")
	if code != 2 || !strings.Contains(stderr, "--lock") {
		t.Errorf("lock of an Excel file: %d %q", code, stderr)
	}
}
