package report

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"danvan/data"
	"danvan/i18n"
)

// ErrNotAssembly is returned by NewMinutes for a meeting that is not a
// hội nghị thôn: only a village assembly has minutes in this form.
var ErrNotAssembly = errors.New("the meeting is not a hội nghị thôn")

// Minutes is the biên bản of a hội nghị thôn, by the Law on Grassroots
// Democracy (Luật Thực hiện dân chủ ở cơ sở 2022, Luật 10/2022/QH15; see
// data/assembly.go): the households of the village and those
// represented, whether the assembly had its quorum (more than half of
// them represented), how the households voted, and for each item the
// households in favour out of all the village's, and whether it passed
// (more than half of all the village's households). Its figures are the
// stored meeting's, judged by data.Meeting.Quorate and Passed.
type Minutes struct {
	Meeting *data.Meeting
	Village string
	Commune data.Commune
	Printed time.Time
	// Quorate and QuorumKnown are data.Meeting.Quorate's answer.
	Quorate, QuorumKnown bool
	Items                []MinutesItem
	opts                 Options
}

// MinutesItem is an agenda item with the verdict on its vote.
type MinutesItem struct {
	data.AgendaItem
	// Passed and Known are data.Meeting.Passed's answer.
	Passed, Known bool
}

// NewMinutes reads the hội nghị thôn id from s.
func NewMinutes(s *data.Store, id string, o Options) (*Minutes, error) {
	m := new(data.Meeting)
	if err := s.Load(id, m); err != nil {
		return nil, fmt.Errorf("minutes of meeting %s: %w", id, err)
	}
	if m.MeetingKind != data.MeetingAssembly {
		return nil, fmt.Errorf("minutes of meeting %s (%s): %w", id, m.MeetingKind, ErrNotAssembly)
	}
	out := &Minutes{Meeting: m, Printed: o.now(), opts: o}
	out.Commune, _ = data.CommuneByCode(s.Commune())
	if r, ok := s.Row(m.Village); ok {
		out.Village = r.Title
	}
	out.Quorate, out.QuorumKnown = m.Quorate()
	for _, a := range m.Agenda {
		ok, known := m.Passed(a)
		out.Items = append(out.Items, MinutesItem{AgendaItem: a, Passed: ok, Known: known})
	}
	return out, nil
}

// Lang is the minutes' language.
func (mn *Minutes) Lang() i18n.Lang { return mn.opts.lang() }

// share writes n of total as the fraction and a percentage with one
// decimal, cut rather than rounded ("101/200 = 50,5%"; 1.001/2.000 is
// "50,0%" but the fraction shows it is more than half).
func share(l i18n.Lang, n, total int) string {
	if total <= 0 {
		return ""
	}
	return num(l, n) + "/" + num(l, total) + " = " + decimal(l, float64(1000*n/total)/10) + "%"
}

// WritePDF lays the minutes out as an A4 PDF and writes it to w: the
// village under the commune's People's Committee and the national
// heading (Nghị định 30/2020/NĐ-CP), the time and place, who took part,
// the quorum, each item's vote and verdict, the dissenting opinions,
// when the minutes went to the commune and when it recognised them, and
// the secretary's and the chair's signatures.
func (mn *Minutes) WritePDF(w io.Writer) error {
	l := mn.Lang()
	m := mn.Meeting
	place := mn.Village
	d := newDoc(l, tr(l, "min.title")+" – "+place, place+" · "+m.Date.Display(), mn.opts.Cadre, mn.Printed)
	d.docHeading(data.Issuer{UnitKind: data.UnitState, Parent: tr(l, "min.parent", mn.Commune.Name)}, place, mn.Commune.Name, m.Date.Time())
	d.title(tr(l, "min.title"), tr(l, "min.subtitle", place), "")

	d.heading(tr(l, "min.when"))
	d.para(tr(l, "min.when_line", m.Date.Display(), place), "", bodySize, "L", inkRGB)
	d.heading(tr(l, "min.who"))
	secretary := ""
	if len(m.Signatories) > 1 {
		secretary = m.Signatories[1]
	}
	chair := m.Chair
	if chair == "" && len(m.Signatories) > 0 {
		chair = m.Signatories[0]
	}
	rows := [][2]string{
		{tr(l, "min.chair"), chair},
		{tr(l, "min.secretary"), secretary},
		{tr(l, "min.households_total"), num(l, m.HouseholdsTotal)},
		{tr(l, "min.households_present"), share(l, m.HouseholdsPresent, m.HouseholdsTotal)},
	}
	if m.HeadCount > 0 {
		rows = append(rows, [2]string{tr(l, "min.head_count"), num(l, m.HeadCount)})
	}
	var names []string
	for _, a := range m.Attendees {
		names = append(names, a.Name)
	}
	if len(names) > 0 {
		rows = append(rows, [2]string{tr(l, "min.attendees"), strings.Join(names, ", ")})
	}
	if m.Language != "" {
		lang := m.Language
		if m.Interpreter != "" {
			lang += " · " + tr(l, "min.interpreter", m.Interpreter)
		}
		rows = append(rows, [2]string{tr(l, "min.language"), lang})
	}
	if m.VoteForm != "" {
		rows = append(rows, [2]string{tr(l, "min.vote_form"), enum(l, "vote_form", m.VoteForm)})
	}
	d.kvTable(rows, 0.4)
	d.space(1)
	switch {
	case !mn.QuorumKnown:
		d.note(tr(l, "min.quorum_unknown"))
	case mn.Quorate:
		d.para(tr(l, "min.quorate"), "B", bodySize, "L", inkRGB)
	default:
		d.notice(tr(l, "min.not_quorate"))
	}

	d.heading(tr(l, "min.items"))
	t := table{header: true, size: 9}
	t.cols = []col{{"TT", 0.05, "C"}, {tr(l, "min.col_item"), 0.37, "L"}, {tr(l, "min.col_for"), 0.11, "R"},
		{tr(l, "min.col_against"), 0.11, "R"}, {tr(l, "min.col_share"), 0.18, "R"}, {tr(l, "min.col_result"), 0.18, "C"}}
	for i, it := range mn.Items {
		what := it.Title
		if it.Category != "" {
			what = enum(l, "agenda", it.Category) + ": " + what
		}
		if it.Decision != "" {
			what += "\n" + tr(l, "min.decision", it.Decision)
		}
		result := tr(l, "min.no_vote")
		if it.Known {
			result = tr(l, "min.failed")
			if it.Passed {
				result = tr(l, "min.passed")
			}
		}
		of := ""
		if it.VotesFor+it.VotesAgainst > 0 {
			of = share(l, it.VotesFor, m.HouseholdsTotal)
		}
		votesFor, against := "", ""
		if it.VotesFor+it.VotesAgainst > 0 {
			votesFor, against = num(l, it.VotesFor), num(l, it.VotesAgainst)
		}
		t.rows = append(t.rows, []string{fmt.Sprint(i + 1), what, votesFor, against, of, result})
	}
	d.table(t)
	d.note(tr(l, "min.rule"))
	var dissent []string
	for i, it := range mn.Items {
		if s := strings.TrimSpace(it.Dissent); s != "" {
			dissent = append(dissent, tr(l, "min.dissent", i+1, s))
		}
	}
	if len(dissent) > 0 || strings.TrimSpace(m.Notes) != "" {
		d.heading(tr(l, "min.opinions"))
		for _, s := range dissent {
			d.para(s, "", bodySize, "L", inkRGB)
		}
		if s := strings.TrimSpace(m.Notes); s != "" {
			d.para(s, "", bodySize, "L", inkRGB)
		}
	}
	d.heading(tr(l, "min.commune"))
	sent, recognised := tr(l, "min.not_yet"), tr(l, "min.not_yet")
	if m.Forwarded.Valid() {
		sent = m.Forwarded.Display()
	}
	if m.Recognised.Valid() {
		recognised = m.Recognised.Display()
	}
	d.kvTable([][2]string{{tr(l, "min.forwarded"), sent}, {tr(l, "min.recognised"), recognised}}, 0.4)
	d.signPair([2]string{tr(l, "min.secretary"), tr(l, "min.chair_sign")}, [2]string{secretary, chair})
	return d.output(w)
}
