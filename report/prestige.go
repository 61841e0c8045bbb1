package report

import (
	"fmt"
	"io"
	"time"

	"danvan/data"
	"danvan/i18n"
)

// PrestigeRegister is the sổ theo dõi người có uy tín trong đồng bào dân
// tộc thiểu số of a commune (or one village) for a period: each person
// recognised (Quyết định 12/2018/QĐ-TTg, amended by Quyết định
// 28/2023/QĐ-TTg) with the decision and its term, the meetings they
// attended in the period, and the support they were given in it.
type PrestigeRegister struct {
	Commune data.Commune
	Period  Period
	Printed time.Time
	Cadre   string
	Unit    string
	Issuer  data.Issuer
	// Village is the village's name when the register is of one village.
	Village string
	Rows    []PrestigeRow
	opts    Options
}

// PrestigeRow is a person of the register.
type PrestigeRow struct {
	Person  data.Person
	Village string
	// Meetings are the meetings of the period they attended; Last is the
	// latest one's day.
	Meetings int
	Last     data.Date
	// Support is what they were given in the period, and its total.
	Support []data.PersonSupport
	Total   int64
	// InTerm says whether the recognition's term covers the period's end.
	InTerm bool
}

// NewPrestigeRegister gathers the register of s for period p, of the
// whole commune or, when village is an id, of that village.
func NewPrestigeRegister(s *data.Store, village string, p Period, o Options) (*PrestigeRegister, error) {
	if !p.From.Valid() || !p.To.Valid() || p.To < p.From {
		return nil, fmt.Errorf("prestige register: bad period %s", p)
	}
	r := &PrestigeRegister{Period: p, Printed: o.now(), Cadre: o.Cadre, Unit: o.Unit, Issuer: o.Issuer, opts: o}
	if r.Cadre == "" {
		r.Cadre = s.Actor()
	}
	r.Commune, _ = data.CommuneByCode(s.Commune())
	names := map[string]string{}
	for _, v := range s.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle) {
		names[v.ID] = v.Title
	}
	if village != "" {
		r.Village = names[village]
	}
	// Who attended which meeting of the period.
	attended := map[string][]data.Date{}
	for _, row := range s.Find(data.Filter{Kind: data.KindMeeting, Village: village, From: p.From, To: p.To}, data.ByDateDesc) {
		var m data.Meeting
		if err := s.Load(row.ID, &m); err != nil {
			return nil, fmt.Errorf("prestige register: %w", err)
		}
		for _, a := range m.Attendees {
			if a.PersonID != "" {
				attended[a.PersonID] = append(attended[a.PersonID], m.Date)
			}
		}
	}
	for _, row := range s.Find(data.Filter{Kind: data.KindPerson, Village: village}, data.ByTitle) {
		var per data.Person
		if err := s.Load(row.ID, &per); err != nil {
			return nil, fmt.Errorf("prestige register: %w", err)
		}
		if !per.Recognised() {
			continue
		}
		pr := PrestigeRow{Person: per, Village: names[per.Village]}
		pr.InTerm = per.TermFrom.Valid() && per.TermFrom <= p.To && (!per.TermTo.Valid() || per.TermTo >= p.To)
		for _, d := range attended[per.ID] {
			pr.Meetings++
			if d > pr.Last {
				pr.Last = d
			}
		}
		for _, sp := range per.Support {
			if inPeriod(sp.Date, p) {
				pr.Support = append(pr.Support, sp)
				pr.Total += sp.ValueVND
			}
		}
		r.Rows = append(r.Rows, pr)
	}
	return r, nil
}

// inPeriod reports whether d falls in p.
func inPeriod(d data.Date, p Period) bool { return d.Valid() && d >= p.From && d <= p.To }

// Lang is the register's language.
func (r *PrestigeRegister) Lang() i18n.Lang { return r.opts.lang() }

// decision is a row's recognition: "Số 15/QĐ-UBND ngày 10/03/2024".
func (pr *PrestigeRow) decision(l i18n.Lang) string {
	p := &pr.Person
	switch {
	case p.DecisionNo == "":
		return tr(l, "pre.no_decision")
	case p.DecisionDate.Valid():
		return tr(l, "pre.decision", p.DecisionNo, p.DecisionDate.Display())
	}
	return p.DecisionNo
}

// term is a row's term: "01/01/2023 – 31/12/2027".
func (pr *PrestigeRow) term() string {
	p := &pr.Person
	if !p.TermFrom.Valid() {
		return ""
	}
	s := p.TermFrom.Display() + " – "
	if p.TermTo.Valid() {
		s += p.TermTo.Display()
	}
	return s
}

// WritePDF lays the register out as an A4 PDF: the heading, one line per
// person, then each support given in the period.
func (r *PrestigeRegister) WritePDF(w io.Writer) error {
	l := r.Lang()
	scope := r.Commune.Name
	if r.Village != "" {
		scope = r.Village
	}
	d := newDoc(l, tr(l, "pre.title")+" – "+scope, scope+" · "+r.Period.Label(l), r.Cadre, r.Printed)
	d.docHeading(r.Issuer, r.Unit, r.Commune.Name, r.Printed)
	d.title(tr(l, "pre.heading"), tr(l, "pre.subtitle", scope),
		tr(l, "period.line", r.Period.From.Display(), r.Period.To.Display(), r.Period.Label(l)))
	t := table{header: true, size: 8.5}
	t.cols = []col{{"TT", 0.05, "C"}, {tr(l, "pre.col_name"), 0.19, "L"}, {tr(l, "pre.col_village"), 0.14, "L"},
		{tr(l, "pre.col_decision"), 0.2, "L"}, {tr(l, "pre.col_term"), 0.14, "L"}, {tr(l, "pre.col_meetings"), 0.13, "R"},
		{tr(l, "pre.col_support"), 0.15, "R"}}
	var total int64
	var meetings, supports int
	for i, pr := range r.Rows {
		met := num(l, pr.Meetings)
		if pr.Last.Valid() {
			met += "\n" + tr(l, "pre.last", pr.Last.Display())
		}
		sup := num(l, len(pr.Support))
		if pr.Total > 0 {
			sup += "\n" + num64(l, pr.Total) + " đ"
		}
		term := pr.term()
		if !pr.InTerm && term != "" {
			term += "\n" + tr(l, "pre.out_of_term")
		}
		t.rows = append(t.rows, []string{fmt.Sprint(i + 1), pr.Person.Name, pr.Village, pr.decision(l), term, met, sup})
		total += pr.Total
		meetings += pr.Meetings
		supports += len(pr.Support)
	}
	t.rows = append(t.rows, []string{"", tr(l, "total"), "", "", "", num(l, meetings), num(l, supports) + "\n" + num64(l, total) + " đ"})
	last := len(t.rows) - 1
	t.style = func(i int) rowStyle {
		if i == last {
			return rowStyle{fill: &totalFillRGB, bold: true}
		}
		return rowStyle{}
	}
	if len(r.Rows) == 0 {
		d.note(tr(l, "pre.none"))
	} else {
		d.table(t)
	}
	d.note(tr(l, "pre.rule"))
	if supports > 0 {
		d.heading(tr(l, "pre.support_title"))
		st := table{header: true, size: 8.5}
		st.cols = []col{{tr(l, "pre.col_date"), 0.14, "L"}, {tr(l, "pre.col_name"), 0.24, "L"}, {tr(l, "pre.col_what"), 0.44, "L"}, {tr(l, "pre.col_value"), 0.18, "R"}}
		for _, pr := range r.Rows {
			for _, sp := range pr.Support {
				st.rows = append(st.rows, []string{sp.Date.Display(), pr.Person.Name, sp.What, num64(l, sp.ValueVND)})
			}
		}
		d.table(st)
	}
	if !d.closing(r.Issuer, r.Cadre) {
		d.signatures(r.Cadre)
	}
	return d.output(w)
}

// WriteXLSX writes the register as a workbook: the people, and the
// support given.
func (r *PrestigeRegister) WriteXLSX(w io.Writer) error {
	l := r.Lang()
	scope := r.Commune.Name
	if r.Village != "" {
		scope = r.Village
	}
	b, err := newBook(l, tr(l, "pre.title")+" – "+scope, r.Cadre, r.Printed)
	if err != nil {
		return err
	}
	sub := tr(l, "period.line", r.Period.From.Display(), r.Period.To.Display(), r.Period.Label(l))
	sh := b.sheet(tr(l, "pre.sheet_people"), tr(l, "pre.title")+" – "+scope, sub,
		[]string{"TT", tr(l, "pre.col_name"), tr(l, "pre.col_village"), tr(l, "pre.col_decision"), tr(l, "pre.col_term"),
			tr(l, "pre.col_meetings"), tr(l, "pre.col_last"), tr(l, "pre.col_support"), tr(l, "pre.col_value")},
		[]float64{5, 24, 18, 26, 24, 12, 14, 12, 16})
	for i, pr := range r.Rows {
		last := ""
		if pr.Last.Valid() {
			last = pr.Last.Display()
		}
		sh.add(i+1, pr.Person.Name, pr.Village, pr.decision(l), pr.term(), pr.Meetings, last, len(pr.Support), pr.Total)
	}
	ss := b.sheet(tr(l, "pre.sheet_support"), tr(l, "pre.support_title"), sub,
		[]string{tr(l, "pre.col_date"), tr(l, "pre.col_name"), tr(l, "pre.col_what"), tr(l, "pre.col_value")}, []float64{12, 24, 50, 16})
	for _, pr := range r.Rows {
		for _, sp := range pr.Support {
			ss.add(sp.Date, pr.Person.Name, sp.What, sp.ValueVND)
		}
	}
	return b.write(w)
}
