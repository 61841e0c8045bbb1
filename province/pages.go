package province

import (
	"crypto/subtle"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"danvan/data"
	"danvan/i18n"
	"danvan/report"
)

func subtleEq(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// CommuneRow is one commune's line on the province page: the figures of
// its periodic report for the period (report.CommuneReport.Total, the
// locked ones when the commune locked the period).
type CommuneRow struct {
	Commune                       data.Commune
	Received, Resolved, Forwarded int
	Open, Overdue, Mass, Hotspots int
	Meetings, VisitDays, Models   int
	OnTime                        float64
	HasOnTime                     bool
	Locked                        bool
	Monthly                       []data.MonthCounts
	Villages                      int
}

// rowOf takes a commune's line from its report.
func rowOf(c *report.CommuneReport) CommuneRow {
	t := c.Total
	row := CommuneRow{Commune: c.Commune, Received: t.Concerns.Received, Resolved: t.Concerns.Resolved,
		Forwarded: t.Concerns.Forwarded, Open: t.Concerns.Open, Overdue: t.Concerns.Overdue, Mass: t.Mass,
		Meetings: t.Meetings, VisitDays: t.VisitDays, Models: t.Models, Locked: c.Locked != nil,
		Monthly: t.Monthly, Villages: len(c.Villages)}
	row.OnTime, row.HasOnTime = t.Concerns.OnTimeRate()
	for _, v := range c.Villages {
		if v.Village.Hotspot {
			row.Hotspots++
		}
	}
	return row
}

// ProvinceRows computes every line of the province page the user may see,
// for period p, in commune code order.
func (h *Handler) ProvinceRows(r *http.Request, u *User, p report.Period) ([]CommuneRow, error) {
	codes, err := h.view.Communes(r.Context())
	if err != nil {
		return nil, err
	}
	var mine []string
	for _, code := range codes {
		if _, ok := data.CommuneByCode(code); ok && u.Sees(code) {
			mine = append(mine, code)
		}
	}
	reps := make([]*report.CommuneReport, len(mine))
	at := map[string]int{}
	for i, c := range mine {
		at[c] = i
	}
	o := h.options(r)
	err = h.view.each(r.Context(), mine, func(code string) error {
		c, err := h.view.Report(r.Context(), code, p, o)
		reps[at[code]] = c
		return err
	})
	if err != nil {
		return nil, err
	}
	rows := make([]CommuneRow, len(reps))
	for i, c := range reps {
		rows[i] = rowOf(c)
	}
	return rows, nil
}

// column is a sortable column of the province table.
type column struct {
	Key, Label, Href string
	Sorted, Desc     bool
	Num              bool
}

// bar is one month of the trend chart.
type bar struct {
	Label              string
	Received, Resolved int
	X, HRec, HRes      float64
	YRec, YRes         float64
}

type provinceContent struct {
	Period   report.Period
	PeriodS  string
	Label    string
	Presets  []presetLink
	Columns  []column
	Rows     []CommuneRow
	Total    CommuneRow
	Bars     []bar
	ChartMax int
	Sort     string
	Desc     bool
	Export   string
}

type presetLink struct {
	Label, Href string
	On          bool
}

// figureColumns are the province table's figure columns, in order: the
// sort, the page and the XLSX export read them here.
var figureColumns = []struct {
	key   string
	value func(*CommuneRow) (float64, bool)
}{
	{"received", func(r *CommuneRow) (float64, bool) { return float64(r.Received), true }},
	{"resolved", func(r *CommuneRow) (float64, bool) { return float64(r.Resolved), true }},
	{"forwarded", func(r *CommuneRow) (float64, bool) { return float64(r.Forwarded), true }},
	{"open", func(r *CommuneRow) (float64, bool) { return float64(r.Open), true }},
	{"overdue", func(r *CommuneRow) (float64, bool) { return float64(r.Overdue), true }},
	{"ontime", func(r *CommuneRow) (float64, bool) { return r.OnTime, r.HasOnTime }},
	{"mass", func(r *CommuneRow) (float64, bool) { return float64(r.Mass), true }},
	{"hotspots", func(r *CommuneRow) (float64, bool) { return float64(r.Hotspots), true }},
	{"meetings", func(r *CommuneRow) (float64, bool) { return float64(r.Meetings), true }},
	{"visitdays", func(r *CommuneRow) (float64, bool) { return float64(r.VisitDays), true }},
	{"models", func(r *CommuneRow) (float64, bool) { return float64(r.Models), true }},
}

// provinceColumns are the keys of every column: the commune's name, then
// the figures.
var provinceColumns = func() []string {
	keys := []string{"name"}
	for _, c := range figureColumns {
		keys = append(keys, c.key)
	}
	return keys
}()

func (h *Handler) provincePage(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	p, ok := h.period(w, r)
	if !ok {
		return
	}
	rows, err := h.ProvinceRows(r, userOf(r), p)
	if err != nil {
		h.serverError(w, r, "province page", err)
		return
	}
	key := r.URL.Query().Get("sort")
	desc := r.URL.Query().Get("desc") == "1"
	if !containsStr(provinceColumns, key) {
		key = "name"
	}
	sortRows(rows, key, desc)
	c := &provinceContent{Period: p, PeriodS: p.String(), Label: p.Label(l), Rows: rows, Sort: key, Desc: desc,
		Export: Prefix + "export.xlsx?period=" + p.String()}
	today := data.DateOf(h.cfg.Now())
	for _, pr := range report.Presets {
		pp := pr.Period(today)
		c.Presets = append(c.Presets, presetLink{Label: pr.Label(l), Href: Prefix + "?period=" + pp.String(), On: pp.String() == p.String()})
	}
	for _, k := range provinceColumns {
		col := column{Key: k, Label: i18n.Translate(l, "web.col."+k), Num: k != "name"}
		col.Sorted = k == key
		// A number column sorts largest first on the first click.
		nd := k != "name"
		if col.Sorted {
			col.Desc, nd = desc, !desc
		}
		col.Href = fmt.Sprintf("%s?period=%s&sort=%s", Prefix, p.String(), k)
		if nd {
			col.Href += "&desc=1"
		}
		c.Columns = append(c.Columns, col)
	}
	c.Total = totalOf(rows)
	c.Bars, c.ChartMax = chart(l, c.Total.Monthly)
	h.render(w, r, http.StatusOK, "province.html", &page{Title: i18n.Translate(l, "web.province.title"), User: userOf(r), CSRF: sessionOf(r).CSRF, Content: c})
}

func containsStr(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// totalOf adds the rows up (on-time as the share of all resolutions).
func totalOf(rows []CommuneRow) CommuneRow {
	var t CommuneRow
	months := map[string]*data.MonthCounts{}
	onTime := 0.0
	for _, r := range rows {
		t.Received += r.Received
		t.Resolved += r.Resolved
		t.Forwarded += r.Forwarded
		t.Open += r.Open
		t.Overdue += r.Overdue
		t.Mass += r.Mass
		t.Hotspots += r.Hotspots
		t.Meetings += r.Meetings
		t.VisitDays += r.VisitDays
		t.Models += r.Models
		t.Villages += r.Villages
		if r.HasOnTime {
			onTime += r.OnTime * float64(r.Resolved) / 100
		}
		for _, m := range r.Monthly {
			mc := months[m.Month]
			if mc == nil {
				mc = &data.MonthCounts{Month: m.Month}
				months[m.Month] = mc
			}
			mc.Received += m.Received
			mc.Resolved += m.Resolved
			mc.VisitDays += m.VisitDays
		}
	}
	if t.Resolved > 0 {
		t.OnTime, t.HasOnTime = 100*onTime/float64(t.Resolved), true
	}
	for _, m := range months {
		t.Monthly = append(t.Monthly, *m)
	}
	sort.Slice(t.Monthly, func(i, j int) bool { return t.Monthly[i].Month < t.Monthly[j].Month })
	return t
}

// chart lays out the monthly bars of the trend chart (an inline SVG 640
// wide, 160 high for the bars).
func chart(l i18n.Lang, ms []data.MonthCounts) ([]bar, int) {
	top := 1
	for _, m := range ms {
		top = max(top, m.Received, m.Resolved)
	}
	var out []bar
	w := 600.0 / float64(max(len(ms), 1))
	for i, m := range ms {
		b := bar{Label: monthLabel(l, m.Month), Received: m.Received, Resolved: m.Resolved, X: 40 + float64(i)*w}
		b.HRec = 150 * float64(m.Received) / float64(top)
		b.HRes = 150 * float64(m.Resolved) / float64(top)
		b.YRec, b.YRes = 160-b.HRec, 160-b.HRes
		out = append(out, b)
	}
	return out, top
}

func monthLabel(l i18n.Lang, ym string) string {
	if len(ym) == 7 {
		if l == i18n.EN {
			return ym[5:] + "/" + ym[2:4]
		}
		return "T" + strings.TrimPrefix(ym[5:], "0")
	}
	return ym
}

func (h *Handler) provinceXLSX(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	p, ok := h.period(w, r)
	if !ok {
		return
	}
	rows, err := h.ProvinceRows(r, userOf(r), p)
	if err != nil {
		h.serverError(w, r, "province export", err)
		return
	}
	sortRows(rows, "name", false)
	err = download(w, "tinh-"+p.String()+".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", func(out io.Writer) error {
		return writeProvinceXLSX(out, l, p, rows)
	})
	if err != nil {
		h.log.Error("province export", "err", err.Error())
	}
}

// writeProvinceXLSX writes the province table: a title, the header and a
// line per commune, then the total.
func writeProvinceXLSX(w io.Writer, l i18n.Lang, p report.Period, rows []CommuneRow) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := i18n.Translate(l, "web.province.sheet")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	set := func(col, row int, v any) {
		cell, _ := excelize.CoordinatesToCellName(col, row)
		_ = f.SetCellValue(sheet, cell, v)
	}
	set(1, 1, i18n.Translate(l, "web.province.title")+" — "+p.Label(l))
	for i, k := range provinceColumns {
		set(i+1, 3, i18n.Translate(l, "web.col."+k))
	}
	line := func(y int, name string, r CommuneRow) {
		set(1, y, name)
		for i, c := range figureColumns {
			if v, ok := c.value(&r); ok {
				if c.key == "ontime" {
					set(i+2, y, float64(int(v*10+0.5))/10)
				} else {
					set(i+2, y, int(v))
				}
			}
		}
	}
	for i, r := range rows {
		line(4+i, r.Commune.Name, r)
	}
	line(4+len(rows), i18n.Translate(l, "web.total"), totalOf(rows))
	_ = f.SetColWidth(sheet, "A", "A", 28)
	_ = f.SetColWidth(sheet, "B", "L", 12)
	return f.Write(w)
}

// openRow is an open concern on the commune page.
type openRow struct {
	Row         data.Row
	VillageName string
	VillageHref string
	Kind        string
	Status      string
	DaysOverdue int
}

type communeContent struct {
	Report   *report.CommuneReport
	Period   string
	Label    string
	Villages []villageLine
	Open     []openRow
	Overdue  int
	XLSX     string
}

type villageLine struct {
	Name, Href string
	Hotspot    bool
	Stats      *data.Stats
}

// openConcerns lists the concerns open at asOf (as data.Stats counts them
// Open), most overdue first, then by deadline.
func openConcerns(l i18n.Lang, s *data.Store, code string, asOf data.Date, names map[string]string) []openRow {
	var out []openRow
	for _, r := range s.Find(data.Filter{Kind: data.KindConcern}, data.ByDateDesc) {
		if r.Date == "" || r.Date > asOf {
			continue
		}
		st := r.StatusOn(asOf)
		if !st.Clocked() {
			continue
		}
		o := openRow{Row: r, VillageName: names[r.Village], Kind: i18n.Translate(l, "enum.concern_kind."+r.Sub),
			Status: i18n.Translate(l, "enum.status."+string(st))}
		if r.Village != "" {
			o.VillageHref = fmt.Sprintf("%scommune/%s/village/%s", Prefix, code, r.Village)
		}
		if r.Deadline != "" && r.Deadline < asOf {
			o.DaysOverdue = data.DaysBetween(r.Deadline, asOf)
		}
		out = append(out, o)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.DaysOverdue != b.DaysOverdue {
			return a.DaysOverdue > b.DaysOverdue
		}
		if (a.Row.Deadline == "") != (b.Row.Deadline == "") {
			return a.Row.Deadline != ""
		}
		if a.Row.Deadline != b.Row.Deadline {
			return a.Row.Deadline < b.Row.Deadline
		}
		return a.Row.Date < b.Row.Date
	})
	return out
}

func (h *Handler) communePage(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if !h.communeAllowed(w, r, code) {
		return
	}
	l := langOf(r)
	p, ok := h.period(w, r)
	if !ok {
		return
	}
	c := &communeContent{Period: p.String(), Label: p.Label(l), XLSX: fmt.Sprintf("%scommune/%s/report.xlsx?period=%s", Prefix, code, p.String())}
	var err error
	c.Report, err = h.view.Report(r.Context(), code, p, h.options(r))
	if err == nil {
		names := map[string]string{}
		for _, v := range c.Report.Villages {
			names[v.Village.ID] = v.Village.Name
			c.Villages = append(c.Villages, villageLine{Name: v.Village.Name, Hotspot: v.Village.Hotspot, Stats: v.Stats,
				Href: fmt.Sprintf("%scommune/%s/village/%s?period=%s", Prefix, code, v.Village.ID, p.String())})
		}
		err = h.view.With(r.Context(), code, func(s *data.Store) error {
			c.Open = openConcerns(l, s, code, c.Report.AsOf, names)
			return nil
		})
	}
	if err != nil {
		h.serverError(w, r, "commune page", err, "commune", code)
		return
	}
	for _, o := range c.Open {
		if o.DaysOverdue > 0 {
			c.Overdue++
		}
	}
	h.render(w, r, http.StatusOK, "commune.html", &page{Title: c.Report.Commune.Name, User: userOf(r), CSRF: sessionOf(r).CSRF, Content: c})
}

func (h *Handler) communeXLSX(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if !h.communeAllowed(w, r, code) {
		return
	}
	p, ok := h.period(w, r)
	if !ok {
		return
	}
	c, err := h.view.Report(r.Context(), code, p, h.options(r))
	if err == nil {
		err = download(w, fmt.Sprintf("bao-cao-%s-%s.xlsx", code, p.String()), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", c.WriteXLSX)
	}
	if err != nil {
		h.serverError(w, r, "commune export", err, "commune", code)
	}
}

type villageContent struct {
	Sum       *report.VillageSummary
	Code      string
	Period    string
	Label     string
	PDF       string
	Sensitive bool
	CanSee    bool
	SeeHref   string
	Open      []openRow
}

// summary gathers a village's summary as the laptop prints it; with
// sensitive it holds households' ethnicity and religion, and the view is
// audited.
func (h *Handler) summary(r *http.Request, code, id string, p report.Period, sensitive bool) (*report.VillageSummary, error) {
	var sum *report.VillageSummary
	err := h.view.With(r.Context(), code, func(s *data.Store) error {
		if row, ok := s.Row(id); !ok || row.Kind != data.KindVillage || row.Deleted {
			return errNoVillage
		}
		o := h.options(r)
		o.IncludeSensitive = sensitive
		var err error
		sum, err = report.NewVillageSummary(s, id, p, o)
		return err
	})
	return sum, err
}

var errNoVillage = fmt.Errorf("no such village")

func (h *Handler) villageArgs(w http.ResponseWriter, r *http.Request) (code, id string, p report.Period, sensitive, ok bool) {
	code, id = r.PathValue("code"), r.PathValue("id")
	if !h.communeAllowed(w, r, code) {
		return
	}
	if p, ok = h.period(w, r); !ok {
		return
	}
	sensitive = r.URL.Query().Get("sensitive") == "1"
	if sensitive && !userOf(r).Sensitive {
		h.fail(w, r, http.StatusForbidden, "web.err.sensitive")
		return code, id, p, false, false
	}
	return code, id, p, sensitive, true
}

func (h *Handler) villageFail(w http.ResponseWriter, r *http.Request, code string, err error) {
	if err == errNoVillage {
		h.fail(w, r, http.StatusNotFound, "web.err.no_village")
		return
	}
	h.serverError(w, r, "village page", err, "commune", code)
}

func (h *Handler) villagePage(w http.ResponseWriter, r *http.Request) {
	code, id, p, sensitive, ok := h.villageArgs(w, r)
	if !ok {
		return
	}
	l := langOf(r)
	sum, err := h.summary(r, code, id, p, sensitive)
	if err != nil {
		h.villageFail(w, r, code, err)
		return
	}
	if sensitive {
		_ = audit(r.Context(), h.ms, AuditEntry{When: h.cfg.Now(), User: userOf(r).Name, Action: AuditViewSensitive, Commune: code, Village: id, From: clientIP(r)})
	}
	base := fmt.Sprintf("%scommune/%s/village/%s", Prefix, code, id)
	c := &villageContent{Sum: sum, Code: code, Period: p.String(), Label: p.Label(l), Sensitive: sensitive, CanSee: userOf(r).Sensitive,
		PDF: base + "/summary.pdf?period=" + p.String(), SeeHref: base + "?sensitive=1&period=" + p.String()}
	if sensitive {
		c.PDF += "&sensitive=1"
	}
	for _, o := range sum.Open {
		c.Open = append(c.Open, openRow{Row: data.Row{Title: o.Summary, Date: o.Received, Deadline: o.Deadline},
			Kind: i18n.Translate(l, "enum.concern_kind."+string(o.Kind)), Status: i18n.Translate(l, "enum.status."+string(o.Status)),
			DaysOverdue: max(0, -o.DaysLeft*boolInt(o.Overdue))})
	}
	h.render(w, r, http.StatusOK, "village.html", &page{Title: sum.Village.Name, User: userOf(r), CSRF: sessionOf(r).CSRF, Content: c})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (h *Handler) villagePDF(w http.ResponseWriter, r *http.Request) {
	code, id, p, sensitive, ok := h.villageArgs(w, r)
	if !ok {
		return
	}
	sum, err := h.summary(r, code, id, p, sensitive)
	if err != nil {
		h.villageFail(w, r, code, err)
		return
	}
	if sensitive {
		_ = audit(r.Context(), h.ms, AuditEntry{When: h.cfg.Now(), User: userOf(r).Name, Action: AuditPDFSensitive, Commune: code, Village: id, From: clientIP(r)})
	}
	name := fmt.Sprintf("tom-tat-%s-%s.pdf", data.Slug(sum.Village.Name), p.String())
	if err := download(w, name, "application/pdf", sum.WritePDF); err != nil {
		h.villageFail(w, r, code, err)
	}
}

// hit is a search result.
type hit struct {
	Kind, Title, Where, Href string
}

type searchContent struct {
	Query string
	Hits  []hit
	More  bool
}

// maxHits bounds a search's results.
const maxHits = 200

func (h *Handler) searchPage(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	c := &searchContent{Query: q}
	if q != "" {
		fq := data.Fold(q)
		u := userOf(r)
		codes, err := h.view.Communes(r.Context())
		if err != nil {
			h.serverError(w, r, "search", err)
			return
		}
		for _, code := range codes {
			cm, ok := data.CommuneByCode(code)
			if !ok || !u.Sees(code) {
				continue
			}
			href := Prefix + "commune/" + code
			if data.MatchFolded(data.Fold(cm.Name), fq) {
				c.Hits = append(c.Hits, hit{Kind: i18n.Translate(l, "web.kind.commune"), Title: cm.Name, Where: cm.ProvinceName, Href: href})
			}
			err := h.view.With(r.Context(), code, func(s *data.Store) error {
				names := map[string]string{}
				for _, v := range s.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle) {
					names[v.ID] = v.Title
				}
				for _, kind := range []data.Kind{data.KindVillage, data.KindConcern} {
					for _, row := range s.Find(data.Filter{Kind: kind, Query: q}, data.ByTitle) {
						hh := hit{Kind: i18n.Translate(l, "enum.kind."+string(kind)), Title: row.Title, Where: cm.Name}
						switch kind {
						case data.KindVillage:
							hh.Href = href + "/village/" + row.ID
						default:
							if n := names[row.Village]; n != "" {
								hh.Where = n + ", " + cm.Name
								hh.Href = href + "/village/" + row.Village
							} else {
								hh.Href = href
							}
						}
						c.Hits = append(c.Hits, hh)
					}
				}
				return nil
			})
			if err != nil {
				h.serverError(w, r, "search", err, "commune", code)
				return
			}
			if len(c.Hits) > maxHits {
				c.Hits, c.More = c.Hits[:maxHits], true
				break
			}
		}
	}
	h.render(w, r, http.StatusOK, "search.html", &page{Title: i18n.Translate(l, "web.search.title"), User: userOf(r), CSRF: sessionOf(r).CSRF, Content: c})
}
