package report

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"danvan/data"
	"danvan/i18n"
)

// book is an XLSX workbook being written: one sheet per section, a title
// and a period line on top, a bold header row, then the data. Numbers are
// written as numbers and dates as dates, so the province can add them up.
type book struct {
	f      *excelize.File
	lang   i18n.Lang
	sheets int
	err    error
	st     struct{ title, sub, header, text, wrap, integer, dec, date, totalText, totalInt, alert, alertDate int }
}

// xsheet is one sheet of a book, written row by row.
type xsheet struct {
	b     *book
	name  string
	row   int
	cols  int
	total bool // the next row is a total row
	alert bool // the next row is highlighted
}

func newBook(lang i18n.Lang, title, author string, created time.Time) (*book, error) {
	b := &book{f: excelize.NewFile(), lang: lang}
	b.f.SetDocProps(&excelize.DocProperties{Title: nfc(title), Creator: nfc(author), Created: created.Format(time.RFC3339),
		Language: string(lang), Description: tr(lang, "app")})
	border := []excelize.Border{{Type: "left", Color: "9AA3AD", Style: 1}, {Type: "right", Color: "9AA3AD", Style: 1},
		{Type: "top", Color: "9AA3AD", Style: 1}, {Type: "bottom", Color: "9AA3AD", Style: 1}}
	font := func(bold bool, size float64, color string) *excelize.Font {
		return &excelize.Font{Family: "Arial", Size: size, Bold: bold, Color: color}
	}
	dateFmt, intFmt, decFmt := "dd/mm/yyyy", "#,##0", "#,##0.0"
	styles := []struct {
		id *int
		s  excelize.Style
	}{
		{&b.st.title, excelize.Style{Font: font(true, 13, "000000")}},
		{&b.st.sub, excelize.Style{Font: &excelize.Font{Family: "Arial", Size: 10, Italic: true, Color: "444444"}}},
		{&b.st.header, excelize.Style{Font: font(true, 10, "000000"), Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E4EAF2"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&b.st.text, excelize.Style{Font: font(false, 10, "000000"), Border: border, Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&b.st.wrap, excelize.Style{Font: font(false, 10, "000000"), Border: border, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&b.st.integer, excelize.Style{Font: font(false, 10, "000000"), Border: border, CustomNumFmt: &intFmt, Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&b.st.dec, excelize.Style{Font: font(false, 10, "000000"), Border: border, CustomNumFmt: &decFmt, Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&b.st.date, excelize.Style{Font: font(false, 10, "000000"), Border: border, CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"}}},
		{&b.st.totalText, excelize.Style{Font: font(true, 10, "000000"), Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F1F1F1"}}}},
		{&b.st.totalInt, excelize.Style{Font: font(true, 10, "000000"), Border: border, CustomNumFmt: &intFmt, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F1F1F1"}}}},
		{&b.st.alert, excelize.Style{Font: font(false, 10, "A31414"), Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FDE4E2"}}, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&b.st.alertDate, excelize.Style{Font: font(false, 10, "A31414"), Border: border, CustomNumFmt: &dateFmt, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FDE4E2"}}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"}}},
	}
	for _, s := range styles {
		id, err := b.f.NewStyle(&s.s)
		if err != nil {
			return nil, fmt.Errorf("xlsx style: %w", err)
		}
		*s.id = id
	}
	return b, nil
}

// sheetName makes name a valid, unique sheet name (31 characters, none of
// : \ / ? * [ ]).
func (b *book) sheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, nfc(name))
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	return name
}

// sheet adds a sheet with a title, a subtitle and a header row; widths
// are the columns' widths in characters.
func (b *book) sheet(name, title, sub string, headers []string, widths []float64) *xsheet {
	name = b.sheetName(name)
	if b.sheets == 0 {
		b.keep(b.f.SetSheetName("Sheet1", name))
	} else {
		_, err := b.f.NewSheet(name)
		b.keep(err)
	}
	b.sheets++
	sh := &xsheet{b: b, name: name, cols: len(headers)}
	b.keep(b.f.SetCellValue(name, "A1", nfc(title)))
	b.keep(b.f.SetCellStyle(name, "A1", "A1", b.st.title))
	if sub != "" {
		b.keep(b.f.SetCellValue(name, "A2", nfc(sub)))
		b.keep(b.f.SetCellStyle(name, "A2", "A2", b.st.sub))
	}
	for i, h := range headers {
		cell, _ := excelize.CoordinatesToCellName(i+1, 4)
		b.keep(b.f.SetCellValue(name, cell, nfc(h)))
		colName, _ := excelize.ColumnNumberToName(i + 1)
		w := 14.0
		if i < len(widths) {
			w = widths[i]
		}
		b.keep(b.f.SetColWidth(name, colName, colName, w))
	}
	if len(headers) > 0 {
		last, _ := excelize.CoordinatesToCellName(len(headers), 4)
		b.keep(b.f.SetCellStyle(name, "A4", last, b.st.header))
		b.keep(b.f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 4, TopLeftCell: "A5", ActivePane: "bottomLeft"}))
	}
	sh.row = 5
	return sh
}

func (b *book) keep(err error) {
	if err != nil && b.err == nil {
		b.err = err
	}
}

// add writes one row. int, int64 and float64 become numbers, data.Date a
// date (blank when empty), string text (NFC), nil an empty cell.
func (sh *xsheet) add(vals ...any) {
	b := sh.b
	for i, v := range vals {
		cell, _ := excelize.CoordinatesToCellName(i+1, sh.row)
		style := b.st.text
		switch x := v.(type) {
		case nil:
		case int:
			b.keep(b.f.SetCellInt(sh.name, cell, int64(x)))
			style = b.st.integer
		case int64:
			b.keep(b.f.SetCellInt(sh.name, cell, x))
			style = b.st.integer
		case float64:
			b.keep(b.f.SetCellFloat(sh.name, cell, x, -1, 64))
			style = b.st.dec
			if x == math.Trunc(x) {
				style = b.st.integer
			}
		case data.Date:
			style = b.st.date
			if t, ok := dateTime(x); ok {
				b.keep(b.f.SetCellValue(sh.name, cell, t))
			}
		case string:
			b.keep(b.f.SetCellStr(sh.name, cell, nfc(x)))
			if strings.Contains(x, "\n") || len(x) > 40 {
				style = b.st.wrap
			}
		default:
			b.keep(b.f.SetCellStr(sh.name, cell, nfc(fmt.Sprint(x))))
		}
		switch {
		case sh.total && (style == b.st.integer || style == b.st.dec):
			style = b.st.totalInt
		case sh.total:
			style = b.st.totalText
		case sh.alert && style == b.st.date:
			style = b.st.alertDate
		case sh.alert && style != b.st.integer && style != b.st.dec:
			style = b.st.alert
		}
		b.keep(b.f.SetCellStyle(sh.name, cell, cell, style))
	}
	sh.row++
	sh.total, sh.alert = false, false
}

// addHeader writes a header row inside the sheet, for a second table.
func (sh *xsheet) addHeader(titles ...string) {
	b := sh.b
	for i, t := range titles {
		cell, _ := excelize.CoordinatesToCellName(i+1, sh.row)
		b.keep(b.f.SetCellStr(sh.name, cell, nfc(t)))
		b.keep(b.f.SetCellStyle(sh.name, cell, cell, b.st.header))
	}
	sh.row++
}

// addTotal writes a total row in bold.
func (sh *xsheet) addTotal(vals ...any) {
	sh.total = true
	sh.add(vals...)
}

// addAlert writes a highlighted row (an overdue item).
func (sh *xsheet) addAlert(vals ...any) {
	sh.alert = true
	sh.add(vals...)
}

// skip leaves n empty rows.
func (sh *xsheet) skip(n int) { sh.row += n }

// write saves the workbook to w.
func (b *book) write(w io.Writer) error {
	if b.err != nil {
		return fmt.Errorf("write XLSX: %w", b.err)
	}
	b.f.SetActiveSheet(0)
	if err := b.f.Write(w); err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	return b.f.Close()
}

// WriteXLSX writes the summary as an XLSX workbook, one sheet per section.
func (v *VillageSummary) WriteXLSX(w io.Writer) error {
	o := &v.opts
	l := v.Lang()
	o.progress(0.55, "stage.layout")
	name := v.Village.Name
	b, err := newBook(l, tr(l, "village.title")+" – "+name, v.Cadre, v.Printed)
	if err != nil {
		return err
	}
	sub := tr(l, "period.line", v.Period.From.Display(), v.Period.To.Display(), v.Period.Label(l))
	title := func(id string) string { return tr(l, id) + " – " + name }
	st := v.Stats

	// General.
	sh := b.sheet(tr(l, "sheet.general"), tr(l, "village.title")+" – "+name, sub, []string{tr(l, "ind.indicator"), tr(l, "x.value")}, []float64{44, 48})
	vg := &v.Village
	sh.add(tr(l, "info.commune"), v.Commune.Label())
	sh.add(tr(l, "info.cadre"), v.Cadre)
	if v.Unit != "" {
		sh.add(tr(l, "info.unit"), v.Unit)
	}
	sh.add(tr(l, "info.printed"), v.Printed.In(data.Vietnam).Format("15:04 02/01/2006"))
	sh.add(tr(l, "x.from"), v.Period.From)
	sh.add(tr(l, "x.to"), v.Period.To)
	sh.add(tr(l, "v.name"), vg.Name)
	sh.add(tr(l, "v.kind"), enum(l, "village_kind", string(vg.VillageKind)))
	sh.add(tr(l, "v.households"), vg.Households)
	sh.add(tr(l, "v.hh_records"), len(v.Households))
	sh.add(tr(l, "v.ethnic"), strings.Join(vg.Ethnicities, ", "))
	sh.add(tr(l, "v.remote"), yesNo(l, vg.Remote))
	hot := yesNo(l, vg.Hotspot)
	if vg.Hotspot && len(vg.HotspotReasons) > 0 {
		hot += " (" + hotspotReasons(l, vg.HotspotReasons) + ")"
	}
	sh.add(tr(l, "v.hotspot"), hot)
	if vg.Notes != "" {
		sh.add(tr(l, "v.notes"), vg.Notes)
	}
	for _, group := range [][]figure{visitFigures(l, st), meetingFigures(l, st), concernFigures(l, st)} {
		for _, f := range group {
			sh.add(f.label, f.n)
		}
	}
	sh.add(tr(l, "ind.assembly_att"), fmt.Sprintf("%d/%d", st.AssemblyPresent, st.AssemblyTotal))

	// Key persons.
	sh = b.sheet(tr(l, "sheet.persons"), title("sub.key_persons"), sub,
		[]string{tr(l, "stt"), tr(l, "p.name"), tr(l, "p.role"), tr(l, "p.languages"), tr(l, "p.phone")}, []float64{6, 28, 22, 24, 16})
	for i, p := range v.Persons {
		sh.add(i+1, p.Name, enum(l, "role", string(p.Role)), strings.Join(p.Languages, ", "), p.Phone)
	}

	// Visits.
	sh = b.sheet(tr(l, "sheet.visits"), title("sec.visits"), sub,
		[]string{tr(l, "stt"), tr(l, "x.from"), tr(l, "x.to"), tr(l, "x.days"), tr(l, "x.nights"), tr(l, "x.unit"), tr(l, "x.cadres"),
			tr(l, "x.households"), tr(l, "vis.activities"), tr(l, "vis.observations")}, []float64{6, 12, 12, 8, 8, 24, 28, 10, 50, 50})
	for i := range v.Visits {
		x := &v.Visits[i]
		sh.add(i+1, x.From, x.To, x.Days(), x.Nights(), x.Unit, strings.Join(x.Cadres, ", "), x.Reached(), x.Activities, x.Observations)
	}
	sh.addTotal(tr(l, "total"), nil, nil, st.VisitDays, st.VisitNights, nil, nil, st.VisitHouseholds)

	sh = b.sheet(tr(l, "sheet.cungbam"), title("sub.cung_bam"), sub,
		[]string{tr(l, "cb.group"), tr(l, "cb.item"), tr(l, "cb.times"), tr(l, "ind.visits")}, []float64{10, 36, 18, 16})
	for _, it := range v.Cung {
		sh.add(tr(l, "cb.cung"), it.Label, it.Times, st.Visits)
	}
	for _, it := range v.Bam {
		sh.add(tr(l, "cb.bam"), it.Label, it.Times, st.Visits)
	}
	o.progress(0.65, "stage.layout")

	// Meetings and actions.
	sh = b.sheet(tr(l, "sheet.meetings"), title("sec.meetings"), sub,
		[]string{tr(l, "stt"), tr(l, "m.date"), tr(l, "m.kind"), tr(l, "m.chair"), tr(l, "x.head_count"), tr(l, "x.hh_total"), tr(l, "x.hh_present"),
			tr(l, "x.language"), tr(l, "m.content")}, []float64{6, 12, 26, 22, 10, 10, 10, 14, 50})
	for i := range v.Meetings {
		m := &v.Meetings[i]
		sh.add(i+1, m.Date, enum(l, "meeting_kind", string(m.MeetingKind)), m.Chair, m.HeadCount, m.HouseholdsTotal, m.HouseholdsPresent, m.Language, meetingContent(l, m))
	}
	sh = b.sheet(tr(l, "sheet.actions"), title("sub.actions"), sub,
		[]string{tr(l, "stt"), tr(l, "a.text"), tr(l, "a.owner"), tr(l, "a.due"), tr(l, "a.state"), tr(l, "x.meeting")}, []float64{6, 50, 22, 12, 14, 12})
	for i, a := range v.Actions {
		row := []any{i + 1, a.Text, a.Owner, a.Due, actionState(l, a), a.MeetingDate}
		if a.Overdue {
			sh.addAlert(row...)
		} else {
			sh.add(row...)
		}
	}

	// Concerns.
	sh = b.sheet(tr(l, "sheet.kinds"), title("sub.concern_kinds"), sub,
		[]string{tr(l, "c.kind"), tr(l, "c.received"), tr(l, "c.resolved"), tr(l, "c.forwarded"), tr(l, "c.open"), tr(l, "c.overdue")}, []float64{26, 12, 14, 12, 12, 12})
	kindRows(sh, l, st)
	sh.skip(1)
	sh.addHeader(tr(l, "c.status"), tr(l, "ind.count"))
	for _, s := range data.Statuses {
		sh.add(enum(l, "status", string(s)), st.ByStatus[s])
	}
	sh = b.sheet(tr(l, "sheet.open"), title("sub.open"), tr(l, "sub.open_note", v.AsOf.Display()),
		[]string{tr(l, "stt"), tr(l, "c.date"), tr(l, "c.kind"), tr(l, "x.topic"), tr(l, "c.summary"), tr(l, "x.people"), tr(l, "c.assignee"),
			tr(l, "c.status"), tr(l, "c.deadline"), tr(l, "c.left")}, []float64{6, 12, 18, 18, 60, 8, 18, 22, 12, 10})
	for i, c := range v.Open {
		var left any
		if c.Deadline != "" {
			left = c.DaysLeft
		}
		row := []any{i + 1, c.Received, enum(l, "concern_kind", string(c.Kind)), enum(l, "topic", c.Topic), c.Summary, c.People,
			c.Assignee, enum(l, "status", string(c.Status)), c.Deadline, left}
		if c.Overdue {
			sh.addAlert(row...)
		} else {
			sh.add(row...)
		}
	}
	o.progress(0.8, "stage.layout")

	// Models.
	sh = b.sheet(tr(l, "sheet.models"), title("sec.models"), sub, modelHeaders(l), []float64{6, 36, 22, 16, 18, 12, 12, 12, 16, 12, 12, 40})
	for i := range v.Models {
		sh.add(modelRow(l, i+1, &v.Models[i])...)
	}

	monthlySheet(b, l, title("sec.chart"), sub, st)

	// Households: ethnicity and religion only when asked for.
	headers := []string{tr(l, "stt"), tr(l, "hh.head"), tr(l, "hh.members"), tr(l, "hh.phone")}
	if v.Sensitive {
		headers = append(headers, tr(l, "hh.ethnicity"), tr(l, "hh.religion"))
	}
	hsub := sub
	if v.Sensitive {
		hsub = tr(l, "sensitive_notice")
	}
	sh = b.sheet(tr(l, "sheet.hh"), title("sec.households"), hsub, headers, []float64{6, 30, 10, 16, 16, 22})
	for i, h := range v.Households {
		row := []any{i + 1, h.Head, h.Members, h.Phone}
		if v.Sensitive {
			row = append(row, h.Ethnicity, h.Religion)
		}
		sh.add(row...)
	}
	o.progress(0.9, "stage.write")
	if err := b.write(w); err != nil {
		return err
	}
	o.progress(1, "stage.done")
	return nil
}

func kindRows(sh *xsheet, l i18n.Lang, st *data.Stats) {
	for _, k := range data.ConcernKinds {
		c := st.ByKind[k]
		sh.add(enum(l, "concern_kind", string(k)), c.Received, c.Resolved, c.Forwarded, c.Open, c.Overdue)
	}
	c := st.Concerns
	sh.addTotal(tr(l, "total"), c.Received, c.Resolved, c.Forwarded, c.Open, c.Overdue)
}

func modelHeaders(l i18n.Lang) []string {
	return []string{tr(l, "stt"), tr(l, "mo.name"), tr(l, "mo.field"), tr(l, "mo.kind"), tr(l, "mo.status"), tr(l, "mo.registered"),
		tr(l, "ind.land"), tr(l, "ind.workdays"), tr(l, "ind.money"), tr(l, "ind.people"), tr(l, "ind.trainings"), tr(l, "mo.results")}
}

func modelRow(l i18n.Lang, n int, m *data.Model) []any {
	return []any{n, m.Name, enum(l, "field", m.Field), enum(l, "model_kind", m.ModelKind), enum(l, "model_status", string(m.Status)),
		m.Registered, m.LandM2, m.WorkDays, m.MoneyVND, m.PeopleReached, m.Trainings, m.Results}
}

func monthlySheet(b *book, l i18n.Lang, title, sub string, st *data.Stats) {
	sh := b.sheet(tr(l, "sheet.monthly"), title, sub,
		[]string{tr(l, "x.month"), tr(l, "chart.recv"), tr(l, "chart.res"), tr(l, "chart.days")}, []float64{12, 14, 14, 16})
	for _, m := range st.Monthly {
		sh.add(data.Date(m.Month+"-01"), m.Received, m.Resolved, m.VisitDays)
	}
	// Months show as "03/2026".
	if len(st.Monthly) > 0 {
		mf := "mm/yyyy"
		if id, err := b.f.NewStyle(&excelize.Style{CustomNumFmt: &mf, Alignment: &excelize.Alignment{Horizontal: "center"},
			Border: []excelize.Border{{Type: "left", Color: "9AA3AD", Style: 1}, {Type: "right", Color: "9AA3AD", Style: 1},
				{Type: "top", Color: "9AA3AD", Style: 1}, {Type: "bottom", Color: "9AA3AD", Style: 1}}}); err == nil {
			last, _ := excelize.CoordinatesToCellName(1, 4+len(st.Monthly))
			b.keep(b.f.SetCellStyle(sh.name, "A5", last, id))
		}
	}
}

// WriteXLSX writes the commune report as an XLSX workbook, one sheet per
// section.
func (c *CommuneReport) WriteXLSX(w io.Writer) error {
	o := &c.opts
	l := c.Lang()
	o.progress(0.65, "stage.layout")
	subtitle := tr(l, "commune.subtitle", c.Period.Label(l))
	b, err := newBook(l, subtitle, c.Cadre, c.Printed)
	if err != nil {
		return err
	}
	sub := c.Commune.Label() + " · " + tr(l, "period.line", c.Period.From.Display(), c.Period.To.Display(), c.Period.Label(l))
	if c.Compare != nil {
		sub += " · " + tr(l, "commune.compare", c.Compare.Label(l), c.Compare.From.Display(), c.Compare.To.Display())
	}

	headers := []string{tr(l, "ind.indicator"), tr(l, "col.current")}
	if c.Previous != nil {
		headers = append(headers, tr(l, "col.previous"), tr(l, "col.change"))
	}
	sh := b.sheet(tr(l, "sheet.ind"), tr(l, "csec.indicators"), sub, headers, []float64{48, 14, 14, 14})
	for _, in := range indicatorsOf(l, c.Total, c.Previous) {
		row := []any{in.label, xnum(in.cur, in.decimal)}
		if c.Previous != nil {
			row = append(row, xnum(in.prev, in.decimal), xnum(in.cur-in.prev, in.decimal))
		}
		sh.add(row...)
	}
	sh.skip(1)
	sh.add(flowLine(l, c.Total))
	if c.Locked != nil {
		sh.add(lockLine(l, c.Locked))
	}
	if len(c.Adjustments) > 0 {
		ash := b.sheet(tr(l, "sheet.adjust"), tr(l, "csec.adjust"), sub,
			[]string{tr(l, "col.scope"), tr(l, "ind.indicator"), tr(l, "col.locked"), tr(l, "col.now"), tr(l, "col.diff")}, []float64{24, 44, 14, 14, 14})
		for _, a := range c.Adjustments {
			scope := a.Village
			if scope == "" {
				scope = tr(l, "commune_all")
			}
			ash.add(scope, a.Label, xnum(a.Locked, a.decimal), xnum(a.Now, a.decimal), xnum(a.Now-a.Locked, a.decimal))
		}
	}

	sh = b.sheet(tr(l, "sheet.kinds"), tr(l, "csec.kinds"), sub,
		[]string{tr(l, "c.kind"), tr(l, "c.received"), tr(l, "c.resolved"), tr(l, "c.forwarded"), tr(l, "c.open"), tr(l, "c.overdue")}, []float64{26, 12, 14, 12, 12, 12})
	kindRows(sh, l, c.Total)
	if c.Previous != nil {
		sh.skip(1)
		sh.add(tr(l, "col.previous") + ": " + c.Compare.Label(l))
		kindRows(sh, l, c.Previous)
	}

	headers = []string{tr(l, "stt"), tr(l, "col.village"), tr(l, "v.remote"), tr(l, "v.hotspot")}
	widths := []float64{6, 26, 10, 10}
	for _, vc := range villageColumns {
		headers = append(headers, tr(l, vc.id))
		widths = append(widths, 12)
	}
	sh = b.sheet(tr(l, "sheet.villages"), tr(l, "csec.villages"), sub, headers, widths)
	for i, v := range c.Villages {
		row := []any{i + 1, v.Village.Name, yesNo(l, v.Village.Remote), yesNo(l, v.Village.Hotspot)}
		for _, vc := range villageColumns {
			row = append(row, vc.f(v.Stats))
		}
		sh.add(row...)
	}
	row := []any{nil, tr(l, "commune_all"), nil, nil}
	for _, vc := range villageColumns {
		row = append(row, vc.f(c.Total))
	}
	sh.addTotal(row...)
	sh.skip(1)
	sh.add(tr(l, "villages_note"))

	if c.Previous != nil {
		headers = []string{tr(l, "stt"), tr(l, "col.village")}
		widths = []float64{6, 26}
		for _, vc := range villageColumns {
			headers = append(headers, tr(l, vc.id)+" – "+tr(l, "col.current"), tr(l, vc.id)+" – "+tr(l, "col.previous"))
			widths = append(widths, 12, 12)
		}
		sh = b.sheet(tr(l, "sheet.vcompare"), tr(l, "csec.villages"), sub, headers, widths)
		for i, v := range c.Villages {
			row := []any{i + 1, v.Village.Name}
			for _, vc := range villageColumns {
				row = append(row, vc.f(v.Stats), vc.f(v.Previous))
			}
			sh.add(row...)
		}
	}
	o.progress(0.8, "stage.layout")

	headers = []string{tr(l, "stt"), tr(l, "col.village"), tr(l, "col.reasons")}
	widths = []float64{6, 26, 26}
	for _, hc := range hotspotColumns {
		headers = append(headers, tr(l, hc.id))
		widths = append(widths, 12)
	}
	sh = b.sheet(tr(l, "sheet.hotspots"), tr(l, "csec.hotspots"), sub, headers, widths)
	n := 0
	for _, v := range c.Villages {
		if !v.Village.Hotspot {
			continue
		}
		n++
		row := []any{n, v.Village.Name, hotspotReasons(l, v.Village.HotspotReasons)}
		for _, hc := range hotspotColumns {
			row = append(row, hc.f(v.Stats))
		}
		sh.add(row...)
	}

	headers = []string{tr(l, "col.field")}
	for _, s := range data.ModelStatuses {
		headers = append(headers, enum(l, "model_status", string(s)))
	}
	headers = append(headers, tr(l, "total"))
	sh = b.sheet(tr(l, "sheet.models"), tr(l, "csec.models"), sub, headers, []float64{30, 14, 14, 14, 14, 14, 12})
	st := c.Total
	for _, f := range data.ModelFields {
		row := []any{enum(l, "field", f)}
		for _, s := range data.ModelStatuses {
			row = append(row, st.ModelsFieldStatus[f][s])
		}
		sh.add(append(row, st.ModelsByField[f])...)
	}
	row = []any{tr(l, "total")}
	for _, s := range data.ModelStatuses {
		row = append(row, st.ModelsByStatus[s])
	}
	sh.addTotal(append(row, st.Models)...)
	sh.skip(1)
	row = []any{tr(l, "models_reached")}
	for _, s := range data.ModelStatuses {
		row = append(row, st.ModelsReached[s])
	}
	sh.add(row...)
	sh.skip(1)
	sh.add(tr(l, "ind.land"), st.LandM2)
	sh.add(tr(l, "ind.workdays"), st.WorkDays)
	sh.add(tr(l, "ind.money"), st.MoneyVND)
	sh.add(tr(l, "ind.people"), st.PeopleReached)
	sh.add(tr(l, "ind.trainings"), st.Trainings)

	monthlySheet(b, l, tr(l, "csec.chart"), sub, st)
	o.progress(0.9, "stage.write")
	if err := b.write(w); err != nil {
		return err
	}
	o.progress(1, "stage.done")
	return nil
}

// xnum returns x as an int64 cell, or a float64 one when decimals matter.
func xnum(x float64, dec bool) any {
	if dec {
		return x
	}
	return int64(x)
}
