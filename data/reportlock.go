package data

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// A report once sent upward is locked; later changes are adjustments
// (domain.md, "Reports that go upward"). "Chốt số liệu" keeps what was
// sent as a ReportLock in the store's settings, on this device.

// ReportLock is the snapshot of a report that was sent upward: its
// figures as they were printed, the SHA-256 of the PDF that was sent, who
// sent it and when.
type ReportLock struct {
	// Report names the report ("commune"); Period the period in the form
	// report.ParsePeriod reads ("2026-Q1"); From and To its days.
	Report   string `json:"report"`
	Period   string `json:"period"`
	From, To Date
	// Label is the period as the report's title names it.
	Label string `json:"label,omitempty"`
	// Figures are the report's figures as printed, in the report's own
	// form (JSON).
	Figures json.RawMessage `json:"figures"`
	// PDFSHA256 is the hex SHA-256 of the PDF that was sent.
	PDFSHA256 string `json:"pdf_sha256"`
	By        string `json:"by"`
	Unit      string `json:"unit,omitempty"`
	// Narrative is the report's text as sent, by section (see
	// report.NarrativeSections).
	Narrative map[string]string `json:"narrative,omitempty"`
	At        time.Time         `json:"at"`
	Device    string            `json:"device,omitempty"`
}

// ErrReportLocked: the period's report was already locked; it stays as it
// was sent.
var ErrReportLocked = errors.New("báo cáo của kỳ này đã được chốt số liệu")

// ErrNoSender: a report is locked in the name of who sent it; no name was
// given and the store has no cadre.
var ErrNoSender = errors.New("chưa có tên người gửi báo cáo")

const reportLockPrefix = "report_lock/"

func reportLockKey(report, period string) []byte {
	return append(append([]byte{}, pfxMeta...), reportLockPrefix+report+"/"+period...)
}

// LockReport saves l, once per report and period: a second lock of the
// same period fails with ErrReportLocked. At and Device are filled in
// when empty, and the lock is recorded in the audit trail.
func (s *Store) LockReport(l *ReportLock) error {
	if l.Report == "" || l.Period == "" || strings.Contains(l.Report+l.Period, "/") {
		return fmt.Errorf("lock report %q %q: report and period are required, without '/'", l.Report, l.Period)
	}
	if len(l.PDFSHA256) != 64 {
		return fmt.Errorf("lock report %s %s: SHA-256 %q is not 64 hex digits", l.Report, l.Period, l.PDFSHA256)
	}
	if l.At.IsZero() {
		l.At = time.Now().UTC().Truncate(time.Second)
	}
	if l.By == "" {
		l.By = s.Actor()
	}
	if l.By == "" {
		return fmt.Errorf("lock report %s %s: %w", l.Report, l.Period, ErrNoSender)
	}
	l.Device = s.device
	b, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("lock report %s %s: %w", l.Report, l.Period, err)
	}
	key := reportLockKey(l.Report, l.Period)
	err = s.db.Update(func(txn *badger.Txn) error {
		if _, err := txn.Get(key); err == nil {
			return ErrReportLocked
		} else if !errors.Is(err, badger.ErrKeyNotFound) {
			return err
		}
		if err := txn.Set(key, b); err != nil {
			return err
		}
		return s.appendAudit(txn, AuditEntry{Record: l.Report + "/" + l.Period, Action: AuditReportLock, Who: l.By})
	})
	if err != nil {
		return fmt.Errorf("lock report %s %s: %w", l.Report, l.Period, err)
	}
	return nil
}

// AuditReportLock is the audit action of a "Chốt số liệu".
const AuditReportLock = "report_lock"

// ReportLockOf returns the lock of report for period, or ErrNotFound.
func (s *Store) ReportLockOf(report, period string) (*ReportLock, error) {
	var l ReportLock
	err := s.db.View(func(txn *badger.Txn) error {
		v, err := getBytes(txn, reportLockKey(report, period))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		return json.Unmarshal(v, &l)
	})
	if err != nil {
		return nil, fmt.Errorf("report lock %s %s: %w", report, period, err)
	}
	return &l, nil
}

// ReportLocks returns the register of reports sent upward, the latest
// period first.
func (s *Store) ReportLocks() ([]ReportLock, error) {
	m, err := s.MetaPrefix(reportLockPrefix)
	if err != nil {
		return nil, fmt.Errorf("report locks: %w", err)
	}
	out := make([]ReportLock, 0, len(m))
	for k, v := range m {
		var l ReportLock
		if err := json.Unmarshal(v, &l); err != nil {
			return nil, fmt.Errorf("report lock %s: %w", k, err)
		}
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].To != out[j].To {
			return out[i].To > out[j].To
		}
		if out[i].From != out[j].From {
			return out[i].From < out[j].From
		}
		return out[i].Report < out[j].Report
	})
	return out, nil
}

// narrativeKey is the meta key of the report's text being written for a
// period, before it is locked.
func narrativeKey(report, period string) string { return "narrative/" + report + "/" + period }

// Narrative returns the text written so far for the report of period, by
// section, or nil when none was written.
func (s *Store) Narrative(report, period string) map[string]string {
	var n map[string]string
	if b := s.Meta(narrativeKey(report, period)); b != nil && json.Unmarshal(b, &n) == nil {
		return n
	}
	return nil
}

// SetNarrative keeps the text written for the report of period, by
// section (NFC, trimmed; empty sections dropped). It stays on this
// laptop until the report is locked with it.
func (s *Store) SetNarrative(report, period string, n map[string]string) error {
	clean := map[string]string{}
	for k, v := range n {
		if v = NFC(strings.TrimSpace(v)); v != "" {
			clean[k] = v
		}
	}
	b, err := json.Marshal(clean)
	if err != nil {
		return fmt.Errorf("keep the report text of %s %s: %w", report, period, err)
	}
	return s.SetMeta(narrativeKey(report, period), b)
}
