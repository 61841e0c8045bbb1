package ui

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
	"danvan/imports"
)

// prefImportDir keeps the folder a list was last imported from.
const prefImportDir = "import.dir"

// chooseImportPath asks for the list to import (.xlsx or .csv) and calls
// chosen with its path on the UI goroutine. Tests replace it: a file
// dialog cannot be driven without a display.
var chooseImportPath = func(sh *Shell, chosen func(path string)) {
	sh.ChooseFile(FileChoice{Ext: ".xlsx .csv", Pref: prefImportDir, NotFileID: "reportexport.not_file"}, chosen)
}

// HouseholdImport is the "Nhập danh sách hộ" dialog: the columns of the
// commune's list mapped to the household's fields (guessed, changeable),
// the village of a list without a village column, a preview with every
// bad row by line and column and every duplicate, and a button that
// saves the good rows, nothing before it is pressed.
type HouseholdImport struct {
	sh    *Shell
	table *imports.Table
	// Columns maps each field to a column ("" for none).
	Columns map[string]*widget.Select
	// Village is the village of a list without a village column.
	Village *villageChoice
	// Summary, Preview and Problems show the plan.
	Summary  *widget.Label
	Preview  *widget.Label
	Problems *widget.Label
	// Save saves the rows planned OK.
	Save   *widget.Button
	Dialog *dialog.CustomDialog

	plan  *imports.Plan
	seq   int
	after func()
}

// importHouseholds asks for a list and opens the import dialog on it,
// handing it to opened; after is called once households were saved.
func importHouseholds(sh *Shell, opened func(*HouseholdImport), after func()) {
	chooseImportPath(sh, func(path string) {
		var t *imports.Table
		sh.Go(func() error {
			var err error
			t, err = imports.ReadTable(path, imports.HouseholdFields)
			return err
		}, func(err error) {
			switch {
			case errors.Is(err, imports.ErrFormat):
				dialog.ShowInformation(sh.T("err.title"), sh.T("import.bad_format", "File", path), sh.Win)
			case errors.Is(err, imports.ErrNoHeader):
				dialog.ShowInformation(sh.T("err.title"), sh.T("import.no_header", "File", path), sh.Win)
			case err != nil:
				sh.ShowError(err)
			default:
				opened(openHouseholdImport(sh, t, after))
			}
		})
	})
}

func openHouseholdImport(sh *Shell, t *imports.Table, after func()) *HouseholdImport {
	x := &HouseholdImport{sh: sh, table: t, Columns: map[string]*widget.Select{}, after: after}
	none := sh.T("import.no_column")
	options := []string{none}
	for c, h := range t.Header {
		options = append(options, imports.ColumnName(c)+" – "+strings.TrimSpace(h))
	}
	guess := imports.Guess(t.Header, imports.HouseholdFields)
	form := NewForm(sh, nil)
	form.AddRow(hintLabel(sh.T("import.intro", "Line", t.HeaderLine, "N", len(t.Rows))))
	for _, f := range imports.HouseholdFields {
		sel := widget.NewSelect(options, func(string) { x.replan() })
		if c, ok := guess[f.Key]; ok {
			sel.SetSelectedIndex(c + 1)
		} else {
			sel.SetSelectedIndex(0)
		}
		x.Columns[f.Key] = sel
		form.Add(f.LabelID, sel, nil)
	}
	x.Village = newVillageChoice(sh, "import.village_from_list", func(string) { x.replan() })
	if st := sh.Store(); st != nil {
		x.Village.setRows(st.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle))
	}
	form.Add("import.village_all", x.Village, nil)
	x.Summary = widget.NewLabel("")
	x.Summary.TextStyle = fyne.TextStyle{Bold: true}
	x.Preview, x.Problems = wrapLabel(""), wrapLabel("")
	x.Problems.Importance = widget.DangerImportance
	form.AddRow(x.Summary)
	form.AddRow(x.Preview)
	form.AddRow(x.Problems)
	x.Save = widget.NewButtonWithIcon(sh.T("import.save", "N", 0), theme.DocumentSaveIcon(), x.save)
	x.Save.Importance = widget.HighImportance
	x.Save.Disable()
	cancel := widget.NewButtonWithIcon(sh.T("btn.cancel"), theme.CancelIcon(), func() { x.Dialog.Hide() })
	body := container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), cancel, x.Save), nil, nil,
		formScroll(container.NewPadded(form.Box)))
	x.Dialog = dialog.NewCustomWithoutButtons(sh.T("import.title"), body, sh.Win)
	size := sh.Win.Canvas().Size()
	x.Dialog.Resize(fyne.NewSize(min(900, size.Width*0.96), size.Height*0.94))
	sh.ShowDialog(x.Dialog)
	x.replan()
	return x
}

// mapping is the columns chosen.
func (x *HouseholdImport) mapping() imports.Mapping {
	m := imports.Mapping{}
	for key, sel := range x.Columns {
		if i := sel.SelectedIndex(); i > 0 {
			m[key] = i - 1
		}
	}
	return m
}

// replan plans the import again, off the UI goroutine, and shows it.
func (x *HouseholdImport) replan() {
	if x.Summary == nil {
		return // still being built
	}
	st := x.sh.Store()
	if st == nil {
		return
	}
	x.seq++
	seq := x.seq
	m, village := x.mapping(), x.Village.Value()
	var plan *imports.Plan
	var names map[string]string
	x.Save.Disable()
	x.sh.Go(func() error {
		var err error
		plan, err = imports.PlanHouseholds(st, x.table, m, village)
		names = map[string]string{}
		for _, r := range st.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle) {
			names[r.ID] = r.Title
		}
		return err
	}, func(err error) {
		if seq != x.seq {
			return
		}
		x.plan = plan
		if err != nil {
			x.Summary.SetText(x.sh.T("import.need_columns"))
			x.Preview.SetText("")
			x.Problems.SetText("")
			return
		}
		x.show(plan, names)
	})
}

// show puts plan on screen.
func (x *HouseholdImport) show(plan *imports.Plan, names map[string]string) {
	sh := x.sh
	ok, dup, bad := plan.Counts()
	x.Summary.SetText(sh.T("import.summary", "OK", ok, "Dup", dup, "Bad", bad))
	var preview, problems []string
	name := func(id string) string { return names[id] }
	for i := range plan.Rows {
		p := &plan.Rows[i]
		switch {
		case p.OK() && len(preview) < previewLines:
			h := p.Household
			line := fmt.Sprintf("%d. %s · %s", p.Line, h.Head, names[h.Village])
			if h.Members > 0 {
				line += " · " + sh.Tn("villages.members_n", h.Members)
			}
			preview = append(preview, line)
		case len(p.Errors) > 0:
			for _, e := range p.Errors {
				problems = append(problems, e.Text(sh.tx.loc))
			}
		case p.Duplicate != "":
			problems = append(problems, p.DuplicateText(sh.tx.loc, name))
		}
	}
	if len(preview) > 0 {
		x.Preview.SetText(sh.T("import.preview", "N", previewLines) + "\n" + strings.Join(preview, "\n"))
	} else {
		x.Preview.SetText("")
	}
	x.Problems.SetText(strings.Join(problems, "\n"))
	x.Save.SetText(sh.T("import.save", "N", ok))
	enableWhen(x.Save, ok > 0)
}

// previewLines is how many good rows the dialog shows.
const previewLines = 8

// save stores the rows planned OK, then says how many.
func (x *HouseholdImport) save() {
	st, plan := x.sh.Store(), x.plan
	if st == nil || plan == nil {
		return
	}
	x.Save.Disable()
	var n int
	x.sh.Go(func() error {
		var err error
		n, err = plan.Save(st, nil)
		return err
	}, func(err error) {
		if err != nil {
			x.sh.ShowError(err)
			x.Save.Enable()
			return
		}
		x.Dialog.Hide()
		dialog.ShowInformation(x.sh.T("import.title"), x.sh.T("import.saved", "N", n), x.sh.Win)
		if x.after != nil {
			x.after()
		}
	})
}
