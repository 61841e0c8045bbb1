package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"danvan/data"
	"danvan/i18n"
)

// CommuneReportName is the name a commune report's lock is kept under
// (data.ReportLock.Report).
const CommuneReportName = "commune"

// lockedFigures are what a lock keeps of a commune report: the figures
// it printed, for the whole commune and by village id.
type lockedFigures struct {
	Total    *data.Stats            `json:"total"`
	Villages map[string]*data.Stats `json:"villages"`
}

// Adjustment is a figure of a locked period that changed after the lock
// ("điều chỉnh"): records of the period entered or edited since.
type Adjustment struct {
	// Village is the village's name, or "" for the whole commune.
	Village string
	Label   string
	// Locked is the figure as sent; Now as the records give it today.
	Locked, Now float64
	decimal     bool
}

// LockCommuneReport records the commune report c as sent upward ("Chốt
// số liệu"): its figures, the SHA-256 of pdf (the PDF that was sent, as
// c.WritePDF wrote it), who sent it (by, or the report's cadre) and when.
// A period is locked once: a second lock fails with
// data.ErrReportLocked. Reports of a locked period then print the locked
// figures, with what changed since as adjustments.
func LockCommuneReport(s *data.Store, c *CommuneReport, pdf []byte, by string) (*data.ReportLock, error) {
	if len(pdf) == 0 {
		return nil, fmt.Errorf("lock commune report %s: no PDF to lock", c.Period)
	}
	if c.Locked != nil {
		return nil, fmt.Errorf("lock commune report %s: %w", c.Period, data.ErrReportLocked)
	}
	fig := lockedFigures{Total: c.Total, Villages: map[string]*data.Stats{}}
	for _, v := range c.Villages {
		fig.Villages[v.Village.ID] = v.Stats
	}
	b, err := json.Marshal(fig)
	if err != nil {
		return nil, fmt.Errorf("lock commune report %s: %w", c.Period, err)
	}
	sum := sha256.Sum256(pdf)
	if by == "" {
		by = c.Cadre
	}
	l := &data.ReportLock{Report: CommuneReportName, Period: c.Period.String(), From: c.Period.From, To: c.Period.To,
		Label: c.Period.Label(i18n.VI), Figures: b, PDFSHA256: hex.EncodeToString(sum[:]), By: by, Unit: c.Unit,
		Narrative: c.Narrative}
	if err := s.LockReport(l); err != nil {
		return nil, err
	}
	return l, nil
}

// lockOf returns the lock of period p and its figures, or nil when p is
// not locked.
func lockOf(s *data.Store, p Period) (*data.ReportLock, *lockedFigures, error) {
	l, err := s.ReportLockOf(CommuneReportName, p.String())
	if errors.Is(err, data.ErrNotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	var fig lockedFigures
	if err := json.Unmarshal(l.Figures, &fig); err != nil || fig.Total == nil {
		return nil, nil, fmt.Errorf("lock of %s: figures unreadable: %v", p, err)
	}
	return l, &fig, nil
}

// lockedStats returns a village's figures in fig, or empty figures for a
// village that did not exist when the period was locked.
func (fig *lockedFigures) village(id string, asOf data.Date) *data.Stats {
	if st := fig.Villages[id]; st != nil {
		return st
	}
	return &data.Stats{Village: id, From: fig.Total.From, To: fig.Total.To, AsOf: asOf}
}

// adjustments lists the figures that differ between the locked ones and
// the live ones: the commune's indicators, then each village's columns.
func adjustments(l i18n.Lang, locked, live *data.Stats, villages []VillageStats, liveVillages []*data.Stats) []Adjustment {
	var out []Adjustment
	a, b := indicatorsOf(l, locked, nil), indicatorsOf(l, live, nil)
	for i := range a {
		if a[i].cur != b[i].cur {
			out = append(out, Adjustment{Label: a[i].label, Locked: a[i].cur, Now: b[i].cur, decimal: a[i].decimal})
		}
	}
	for i, v := range villages {
		for _, vc := range villageColumns {
			if x, y := vc.f(v.Stats), vc.f(liveVillages[i]); x != y {
				out = append(out, Adjustment{Village: v.Village.Name, Label: tr(l, vc.id), Locked: float64(x), Now: float64(y)})
			}
		}
	}
	return out
}

func (a Adjustment) format(l i18n.Lang, x float64) string {
	return indicator{decimal: a.decimal}.format(l, x)
}

func (a Adjustment) change(l i18n.Lang) string {
	return indicator{cur: a.Now, prev: a.Locked, decimal: a.decimal}.change(l)
}

// lockLine says when and by whom the period was locked, and the PDF's
// fingerprint.
func lockLine(l i18n.Lang, lk *data.ReportLock) string {
	at := data.DateOf(lk.At)
	return tr(l, "lock.line", at.Display(), lk.By, lk.PDFSHA256)
}
