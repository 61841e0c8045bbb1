package ui

import (
	"bytes"
	"errors"
	"io"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
	"danvan/report"
)

// "Chốt số liệu" on the Báo cáo page: the commune report sent upward is
// saved as a PDF and locked (report.LockCommuneReport); the register
// below the chart lists what was sent.

// newLockParts builds the Chốt số liệu button and the register.
func (x *ReportExport) newLockParts() {
	x.Lock = widget.NewButtonWithIcon(x.sh.T("reportlock.button"), theme.ConfirmIcon(), x.lockReport)
	x.Register = container.NewVBox()
}

// lockReport asks to confirm, then where to save the PDF that is sent,
// then saves and locks it.
func (x *ReportExport) lockReport() {
	q, err := x.request(false)
	if err != nil {
		x.showFailure(err)
		return
	}
	if q.kind != ReportCommune {
		return
	}
	st := x.sh.Store()
	if l, err := st.ReportLockOf(report.CommuneReportName, q.period.String()); err == nil {
		x.showMessage(x.sh.T("reportlock.title"), x.sh.T("reportlock.already", "Period", q.period.Label(q.lang),
			"Date", data.DateOf(l.At).Display(), "By", l.By))
		return
	}
	d := dialog.NewConfirm(x.sh.T("reportlock.title"), x.sh.T("reportlock.confirm", "Period", q.period.Label(q.lang)), func(yes bool) {
		if yes {
			chooseSavePath(x.sh, q.fileName("pdf"), func(path string) { x.lockTo(q, path) })
		}
	}, x.sh.Win)
	d.SetConfirmText(x.sh.T("reportlock.button"))
	d.SetDismissText(x.sh.T("btn.cancel"))
	x.sh.ShowDialog(d)
}

// errNoSender: the report is locked in the sender's name, and there is
// none.
var errNoSender = errors.New("no sender")

// lockTo writes the commune report of q to path as PDF and locks it.
func (x *ReportExport) lockTo(q *reportRequest, path string) {
	st := x.sh.Store()
	var lock *data.ReportLock
	x.generate(func(progress func(float64, string)) error {
		c, err := report.NewCommuneReport(st, q.period, q.compare, q.options(st, progress))
		if err != nil {
			return err
		}
		if c.Cadre == "" {
			return errNoSender
		}
		var pdf bytes.Buffer
		if err := writeAtomic(path, false, func(w io.Writer) error { return c.WritePDF(io.MultiWriter(w, &pdf)) }); err != nil {
			return err
		}
		lock, err = report.LockCommuneReport(st, c, pdf.Bytes(), "")
		return err
	}, func(err error) {
		switch {
		case errors.Is(err, errNoSender):
			dropEmpty(path)
			x.showMessage(x.sh.T("reportlock.title"), x.sh.T("reportlock.need_sender"))
			return
		case err != nil:
			dropEmpty(path)
			x.showFailure(err)
			return
		}
		x.refreshRegister()
		x.showSaved(x.sh.T("reportlock.done", "Period", q.period.Label(q.lang), "Path", path, "SHA", lock.PDFSHA256), path)
	})
}

// refreshRegister lists the reports whose figures were locked, the
// latest period first.
func (x *ReportExport) refreshRegister() {
	x.Register.RemoveAll()
	x.Register.Add(heading(x.sh.T("reportlock.register")))
	st := x.sh.Store()
	if st == nil {
		return
	}
	locks, err := st.ReportLocks()
	if err != nil {
		x.Register.Add(wrapLabel(err.Error()))
		return
	}
	if len(locks) == 0 {
		x.Register.Add(hintLabel(x.sh.T("reportlock.none")))
		return
	}
	for _, l := range locks {
		x.Register.Add(wrapLabel(x.sh.T("reportlock.entry", "Period", l.Label, "Date", data.DateOf(l.At).Display(),
			"By", l.By, "SHA", l.PDFSHA256)))
	}
	x.Register.Refresh()
}
