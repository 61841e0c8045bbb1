package ui

import (
	"errors"
	"io/fs"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
	dsync "danvan/sync"
)

// This file adds the USB transfer for villages without any signal to the
// Đồng bộ page: "Xuất tệp đồng bộ" writes every change not yet sent into a
// sealed file (dsync.ExportBundleFile), to be carried to the server;
// "Nhập tệp đồng bộ" imports the server's reply (dsync.ImportReplyFile).
//
// The texts have i18n ids (bundle.*) with Vietnamese fallbacks until the
// catalogue has them.

func init() {
	RegisterSyncExtension(func(s *SyncScreen) { s.Bundle.Add(newBundlePanel(s.sh)) })
}

// prefBundleDir keeps the folder a bundle was last written to or read
// from (usually the USB stick).
const prefBundleDir = "bundle.dir"

// chooseBundleFile asks for a bundle file to write (save, suggested as
// name) or to read, and calls chosen with its path on the UI goroutine;
// nothing happens if the user cancels. Tests replace it: a file dialog
// cannot be driven without a display.
var chooseBundleFile = func(sh *Shell, save bool, name string, chosen func(path string)) {
	sh.ChooseFile(FileChoice{Save: save, Name: name, Ext: dsync.BundleExt, Pref: prefBundleDir, NotFileID: "bundle.not_file"}, chosen)
}

// BundlePanel is the USB transfer part of the Đồng bộ page.
type BundlePanel struct {
	widget.BaseWidget
	sh *Shell

	// Export writes the changes not yet sent into a file (Xuất tệp đồng
	// bộ); Import reads the server's reply (Nhập tệp đồng bộ).
	Export, Import *widget.Button
	// Progress runs while a file is written or read.
	Progress *widget.ProgressBarInfinite
	// Done and Error report the last action, in Vietnamese.
	Done, Error *widget.Label

	content fyne.CanvasObject
	busy    bool
}

func newBundlePanel(sh *Shell) *BundlePanel {
	p := &BundlePanel{sh: sh}
	p.Export = widget.NewButtonWithIcon(sh.T("bundle.export"), theme.DocumentSaveIcon(), func() {
		name := "dongbo-" + time.Now().Format("2006-01-02") + dsync.BundleExt
		chooseBundleFile(sh, true, name, p.ExportTo)
	})
	p.Import = widget.NewButtonWithIcon(sh.T("bundle.import"), theme.FolderOpenIcon(), func() {
		chooseBundleFile(sh, false, "", p.ImportFrom)
	})
	p.Progress = widget.NewProgressBarInfinite()
	p.Progress.Stop()
	p.Progress.Hide()
	p.Done = wrapLabel("")
	p.Done.Importance = widget.SuccessImportance
	p.Done.Hide()
	p.Error = wrapLabel("")
	p.Error.Importance = widget.DangerImportance
	p.Error.Hide()
	p.content = container.NewVBox(widget.NewSeparator(),
		sectionTitle(sh.T("bundle.title")),
		hintLabel(sh.T("bundle.hint")),
		container.NewHBox(p.Export, p.Import), p.Progress, p.Done, p.Error)
	p.ExtendBaseWidget(p)
	return p
}

// CreateRenderer draws the panel.
func (p *BundlePanel) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(p.content)
}

// Busy reports whether a file is being written or read.
func (p *BundlePanel) Busy() bool { return p.busy }

// start shows the progress and disables both buttons; it reports false
// when another action runs or no store is open.
func (p *BundlePanel) start() (*data.Store, bool) {
	st := p.sh.Store()
	if p.busy || st == nil {
		return nil, false
	}
	p.busy = true
	p.Export.Disable()
	p.Import.Disable()
	p.Done.Hide()
	p.Error.Hide()
	p.Progress.Show()
	p.Progress.Start()
	return st, true
}

// finish reports the outcome: msg on success, err's text on failure.
func (p *BundlePanel) finish(msg string, err error) {
	p.busy = false
	p.Progress.Stop()
	p.Progress.Hide()
	p.Export.Enable()
	p.Import.Enable()
	if err != nil {
		p.Error.SetText(p.sh.bundleErrorText(err))
		p.Error.Show()
	} else {
		p.Done.SetText(msg)
		p.Done.Show()
	}
	p.Refresh()
}

// refreshSync has the sync worker re-read the state a bundle changed
// (pending changes, quarantine, log), off the UI goroutine.
func (p *BundlePanel) refreshSync() {
	if w := p.sh.SyncWorker(); w != nil {
		w.Refresh()
	}
}

// ExportTo writes the export bundle to path, off the UI goroutine.
func (p *BundlePanel) ExportTo(path string) {
	st, ok := p.start()
	if !ok {
		return
	}
	var h dsync.BundleHeader
	p.sh.Go(func() error {
		var err error
		h, err = dsync.ExportBundleFile(st, path)
		p.refreshSync()
		return err
	}, func(err error) {
		sh := p.sh
		msg := ""
		if err == nil {
			if h.Records == 0 {
				msg = sh.T("bundle.exported_none", "Path", path)
			} else {
				msg = sh.T("bundle.exported", "Count", h.Records, "Path", path)
			}
		}
		p.finish(msg, err)
	})
}

// ImportFrom imports the reply bundle at path, off the UI goroutine.
func (p *BundlePanel) ImportFrom(path string) {
	st, ok := p.start()
	if !ok {
		return
	}
	var res dsync.ReplyResult
	p.sh.Go(func() error {
		var err error
		res, err = dsync.ImportReplyFile(st, path)
		p.refreshSync()
		return err
	}, func(err error) {
		sh := p.sh
		msg := ""
		if err == nil {
			msg = sh.T("bundle.imported", "Pushed", res.Pushed, "Pulled", res.Pulled)
			if res.AlreadyImported {
				msg = sh.T("bundle.imported_again")
			}
			if n := len(res.Quarantined); n > 0 {
				msg += " " + sh.T("bundle.quarantined", "Count", n)
			}
			if res.Trashed > 0 {
				msg += " " + sh.T("bundle.trashed", "Count", res.Trashed)
			}
			if res.Requeued > 0 {
				msg += " " + sh.T("bundle.requeued", "Count", res.Requeued)
			}
		}
		p.finish(msg, err)
	})
}

// bundleErrorText is what the cadre reads when a bundle cannot be
// written or imported; every refusal of a file says nothing changed.
func (sh *Shell) bundleErrorText(err error) string {
	unchanged := " " + sh.T("bundle.unchanged")
	var fe *dsync.ForeignBundleError
	switch {
	case errors.Is(err, dsync.ErrNotEnrolled):
		return sh.T("bundle.err.not_enrolled")
	case errors.Is(err, dsync.ErrNeedsEnrolment):
		return sh.T("sync.err.revoked")
	case errors.Is(err, fs.ErrNotExist):
		return sh.T("bundle.err.missing") + " (" + err.Error() + ")"
	case errors.Is(err, dsync.ErrBundleCorrupt):
		return sh.T("bundle.err.corrupt") + unchanged +
			" " + sh.T("bundle.err.corrupt_hint")
	case errors.Is(err, dsync.ErrBundleNotReply):
		return sh.T("bundle.err.not_reply") + unchanged
	case errors.As(err, &fe):
		switch fe.Field {
		case "device":
			return sh.T("bundle.err.other_device") + unchanged
		case "commune":
			return sh.T("bundle.err.other_commune", "Commune", communeName(fe.Bundle)) + unchanged
		case "server":
			return sh.T("bundle.err.other_server") + unchanged
		}
	}
	return sh.syncErrorText(err)
}

// communeName names a commune by its code.
func communeName(code string) string {
	if c, ok := data.CommuneByCode(code); ok {
		return c.Name
	}
	return code
}
