package report

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"danvan/assets/fonts"
	"danvan/i18n"
)

// Page geometry, in mm: A4 portrait with the margins of Vietnamese
// administrative documents (Nghị định 30/2020/NĐ-CP: 20–25 left,
// 15–20 right, 20–25 top and bottom), a little tighter at top and bottom
// to keep tables long.
const (
	pageW        = 210.0
	pageH        = 297.0
	marginL      = 25.0
	marginR      = 15.0
	marginT      = 15.0
	marginB      = 18.0
	contentW     = pageW - marginL - marginR
	bottomY      = pageH - marginB
	ptToMM       = 25.4 / 72
	fontFamily   = "noto"
	bodySize     = 10.5
	tableSize    = 9.0
	cellPadX     = 1.4
	cellPadY     = 1.0
	lineSpacing  = 1.32
	pageNumAlias = "{nb}"
	// keepTogether is the height (mm) up to which a table is kept on one page.
	keepTogether = 70.0
	// splitAbove is the height (mm) above which a table row may be split
	// between pages rather than moved whole to the next.
	splitAbove = 30.0
)

type rgb struct{ r, g, b int }

var (
	inkRGB       = rgb{0x11, 0x11, 0x11}
	mutedRGB     = rgb{0x66, 0x66, 0x66}
	borderRGB    = rgb{0x9a, 0xa3, 0xad}
	headFillRGB  = rgb{0xe4, 0xea, 0xf2}
	totalFillRGB = rgb{0xf1, 0xf1, 0xf1}
	alertFillRGB = rgb{0xfd, 0xe4, 0xe2}
	alertInkRGB  = rgb{0xa3, 0x14, 0x14}
	noticeRGB    = rgb{0xa3, 0x14, 0x14}
)

// doc is a PDF being laid out: an fpdf document plus the report's own
// page breaking (automatic page breaks are off, so that tables can repeat
// their header and rows are never cut).
type doc struct {
	f       *fpdf.Fpdf
	lang    i18n.Lang
	running string // running header of pages after the first
	pending []pendingLine
}

func newDoc(lang i18n.Lang, title, running, author string, created time.Time) *doc {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCompression(true)
	f.AddUTF8FontFromBytes(fontFamily, "", fonts.Regular)
	f.AddUTF8FontFromBytes(fontFamily, "B", fonts.Bold)
	f.AddUTF8FontFromBytes(fontFamily, "I", fonts.Italic)
	f.SetMargins(marginL, marginT, marginR)
	f.SetAutoPageBreak(false, marginB)
	f.SetCellMargin(0)
	f.AliasNbPages(pageNumAlias)
	f.SetTitle(nfc(title), true)
	f.SetAuthor(nfc(author), true)
	f.SetCreator(tr(lang, "app"), true)
	f.SetCreationDate(created)
	f.SetModificationDate(created)
	f.SetLang(string(lang))
	d := &doc{f: f, lang: lang, running: nfc(running)}
	f.SetHeaderFunc(func() {
		if f.PageNo() <= 1 || d.running == "" {
			return
		}
		f.SetFont(fontFamily, "I", 8)
		d.textColor(mutedRGB)
		f.SetXY(marginL, 8)
		f.CellFormat(contentW, 4, d.running, "", 0, "R", false, 0, "")
		d.drawColor(borderRGB)
		f.SetLineWidth(0.2)
		f.Line(marginL, 12.5, pageW-marginR, 12.5)
		f.SetXY(marginL, marginT)
	})
	f.SetFooterFunc(func() {
		f.SetFont(fontFamily, "", 8.5)
		d.textColor(mutedRGB)
		f.SetXY(marginL, pageH-11)
		f.CellFormat(contentW, 4, tr(lang, "page", f.PageNo(), pageNumAlias), "", 0, "C", false, 0, "")
	})
	f.AddPage()
	return d
}

func (d *doc) textColor(c rgb) { d.f.SetTextColor(c.r, c.g, c.b) }
func (d *doc) drawColor(c rgb) { d.f.SetDrawColor(c.r, c.g, c.b) }
func (d *doc) fillColor(c rgb) { d.f.SetFillColor(c.r, c.g, c.b) }

func (d *doc) font(style string, size float64) { d.f.SetFont(fontFamily, style, size) }

func lineH(size float64) float64 { return size * ptToMM * lineSpacing }

func (d *doc) y() float64 { return d.f.GetY() }

// newPage starts a page; the body starts below the running header.
func (d *doc) newPage() {
	d.f.AddPage()
	d.f.SetXY(marginL, marginT+2)
}

// ensure starts a new page unless h mm fit above the bottom margin.
func (d *doc) ensure(h float64) {
	if d.y()+h > bottomY {
		d.newPage()
	}
}

func (d *doc) space(h float64) {
	if d.y()+h > bottomY {
		d.newPage()
		return
	}
	d.f.SetY(d.y() + h)
}

// lines wraps s to width w in the current font: explicit line breaks are
// kept, a word longer than w is broken, nothing is ever cut.
func (d *doc) lines(s string, w float64) []string {
	s = strings.ReplaceAll(nfc(s), "\r\n", "\n")
	if s == "" {
		return []string{""}
	}
	var out []string
	for _, para := range strings.Split(s, "\n") {
		if strings.TrimSpace(para) == "" {
			out = append(out, "")
			continue
		}
		out = append(out, d.f.SplitText(para, w)...)
	}
	return out
}

// para writes a wrapped paragraph across the content width, breaking
// pages between lines.
func (d *doc) para(s, style string, size float64, align string, c rgb) {
	d.flush(2 * lineH(size))
	d.writePara(marginL, contentW, s, style, size, align, c)
}

func (d *doc) writePara(x, w float64, s, style string, size float64, align string, c rgb) {
	d.font(style, size)
	d.textColor(c)
	lh := lineH(size)
	for _, l := range d.lines(s, w) {
		d.ensure(lh)
		d.f.SetXY(x, d.y())
		d.f.CellFormat(w, lh, l, "", 2, align, false, 0, "")
	}
}

// pendingLine is a heading waiting for what follows it, so that the two
// start on the same page.
type pendingLine struct {
	text, style         string
	size, before, after float64
}

// heading queues a section heading; it is written with what follows.
func (d *doc) heading(s string) {
	d.pending = append(d.pending, pendingLine{s, "B", 11.5, 3.5, 1.2})
}

// subheading queues a bold sub-heading above a table.
func (d *doc) subheading(s string) {
	d.pending = append(d.pending, pendingLine{s, "B", 10, 1.5, 0.8})
}

// flush writes the queued headings, on a new page unless they fit
// together with need mm of what follows them.
func (d *doc) flush(need float64) {
	if len(d.pending) == 0 {
		return
	}
	h := 0.0
	for _, p := range d.pending {
		d.font(p.style, p.size)
		h += p.before + float64(len(d.lines(p.text, contentW)))*lineH(p.size) + p.after
	}
	d.ensure(h + need)
	pending := d.pending
	d.pending = nil
	for _, p := range pending {
		d.space(p.before)
		c := inkRGB
		if p.style == "I" {
			c = mutedRGB
		}
		d.writePara(marginL, contentW, p.text, p.style, p.size, "L", c)
		d.space(p.after)
	}
}

// caption queues a small italic line under the queued headings.
func (d *doc) caption(s string) {
	d.pending = append(d.pending, pendingLine{s, "I", 9, 0, 1})
}

// note writes a small italic line.
func (d *doc) note(s string) {
	d.para(s, "I", 9, "L", mutedRGB)
}

// labelled writes "label: value" with a bold label, the value wrapped
// under itself.
func (d *doc) labelled(x, w float64, label, value string) {
	d.font("B", bodySize)
	label = nfc(label) + ": "
	lw := d.f.GetStringWidth(label)
	lh := lineH(bodySize)
	d.font("", bodySize)
	vl := d.lines(value, w-lw)
	d.flush(lh * float64(len(vl)))
	d.ensure(lh * float64(len(vl)))
	y := d.y()
	d.font("B", bodySize)
	d.textColor(inkRGB)
	d.f.SetXY(x, y)
	d.f.CellFormat(lw, lh, label, "", 0, "L", false, 0, "")
	d.font("", bodySize)
	for i, l := range vl {
		d.f.SetXY(x+lw, y+float64(i)*lh)
		d.f.CellFormat(w-lw, lh, l, "", 0, "L", false, 0, "")
	}
	d.f.SetXY(marginL, y+float64(len(vl))*lh)
}

// col is a table column: its title, its share of the table's width and
// its alignment ('L', 'C' or 'R').
type col struct {
	title string
	w     float64
	align string
}

// rowStyle dresses one table row.
type rowStyle struct {
	fill *rgb
	ink  *rgb
	bold bool
}

// table is a table to lay out. Rows wrap their cells; a short row that
// does not fit in the room left moves to the next page, a tall one is
// split between lines. The header row repeats on every page.
type table struct {
	cols   []col
	rows   [][]string
	style  func(i int) rowStyle
	size   float64
	header bool
	// padX is the cells' left and right padding (mm); 0 means cellPadX.
	padX float64
}

func (d *doc) table(t table) {
	if t.size == 0 {
		t.size = tableSize
	}
	if t.padX == 0 {
		t.padX = cellPadX
	}
	total := 0.0
	for _, c := range t.cols {
		total += c.w
	}
	widths := make([]float64, len(t.cols))
	for i, c := range t.cols {
		widths[i] = contentW * c.w / total
	}
	lh := lineH(t.size)
	hdr := make([]string, len(t.cols))
	for i, c := range t.cols {
		hdr[i] = c.title
	}
	d.font("B", t.size)
	var hdrLines [][]string
	hdrH := 0.0
	if t.header {
		hdrLines = d.cellLines(hdr, widths, t.padX)
		hdrH = rowHeight(hdrLines, lh)
	}
	drawHeader := func() {
		if !t.header {
			return
		}
		st := rowStyle{fill: &headFillRGB, bold: true}
		centred := make([]string, len(t.cols))
		for i := range centred {
			centred[i] = "C"
		}
		d.drawRow(hdrLines, widths, centred, st, lh, hdrH, t.size, t.padX)
	}
	aligns := make([]string, len(t.cols))
	for i, c := range t.cols {
		aligns[i] = c.align
	}
	// Lay out every row first: a short table is kept on one page, a long
	// one keeps its header with its first row.
	cells := make([][][]string, len(t.rows))
	heights := make([]float64, len(t.rows))
	sum := hdrH
	for i, row := range t.rows {
		d.font(styleOf(t, i).fontStyle(), t.size)
		cells[i] = d.cellLines(row, widths, t.padX)
		heights[i] = rowHeight(cells[i], lh)
		sum += heights[i]
	}
	need := hdrH
	switch {
	case sum <= keepTogether:
		need = sum
	case len(t.rows) > 0:
		need = hdrH + math.Min(heights[0], 3*lh+2*cellPadY)
	}
	d.flush(need)
	d.ensure(need)
	drawHeader()
	for i := range t.rows {
		st := styleOf(t, i)
		rc, h := cells[i], heights[i]
		room := bottomY - d.y()
		// A short row that does not fit moves to the next page; a tall one
		// fills the page and goes on on the next, split between lines.
		if h > room && (h <= splitAbove || room < 3*lh+2*cellPadY) {
			d.newPage()
			drawHeader()
		}
		for {
			room = bottomY - d.y()
			n := maxLines(rc)
			fit := int((room - 2*cellPadY) / lh)
			if fit >= n {
				d.drawRow(rc, widths, aligns, st, lh, rowHeight(rc, lh), t.size, t.padX)
				break
			}
			if fit >= 1 {
				head, rest := splitCells(rc, fit)
				d.drawRow(head, widths, aligns, st, lh, rowHeight(head, lh), t.size, t.padX)
				rc = rest
			}
			d.newPage()
			drawHeader()
		}
	}
}

func styleOf(t table, i int) rowStyle {
	if t.style == nil {
		return rowStyle{}
	}
	return t.style(i)
}

func (s rowStyle) fontStyle() string {
	if s.bold {
		return "B"
	}
	return ""
}

func (d *doc) cellLines(row []string, widths []float64, padX float64) [][]string {
	out := make([][]string, len(widths))
	for i, w := range widths {
		s := ""
		if i < len(row) {
			s = row[i]
		}
		out[i] = d.lines(s, w-2*padX)
	}
	return out
}

func maxLines(cells [][]string) int {
	n := 1
	for _, c := range cells {
		n = max(n, len(c))
	}
	return n
}

func rowHeight(cells [][]string, lh float64) float64 {
	return float64(maxLines(cells))*lh + 2*cellPadY
}

func splitCells(cells [][]string, n int) (head, rest [][]string) {
	head = make([][]string, len(cells))
	rest = make([][]string, len(cells))
	for i, c := range cells {
		if len(c) > n {
			head[i], rest[i] = c[:n], c[n:]
		} else {
			head[i], rest[i] = c, nil
		}
	}
	return head, rest
}

// drawRow draws one row (or one page's part of it) at the current y.
func (d *doc) drawRow(cells [][]string, widths []float64, aligns []string, st rowStyle, lh, h, size, padX float64) {
	f := d.f
	x, y := marginL, d.y()
	if st.fill != nil {
		d.fillColor(*st.fill)
		f.Rect(x, y, contentW, h, "F")
	}
	d.drawColor(borderRGB)
	f.SetLineWidth(0.2)
	ink := inkRGB
	if st.ink != nil {
		ink = *st.ink
	}
	d.font(st.fontStyle(), size)
	d.textColor(ink)
	n := maxLines(cells)
	for i, w := range widths {
		f.Rect(x, y, w, h, "D")
		lines := cells[i]
		off := float64(n-len(lines)) * lh / 2
		for j, l := range lines {
			if l == "" {
				continue
			}
			f.SetXY(x+padX, y+cellPadY+off+float64(j)*lh)
			f.CellFormat(w-2*padX, lh, l, "", 0, aligns[i], false, 0, "")
		}
		x += w
	}
	f.SetXY(marginL, y+h)
}

// kvTable is a two-column table of labels and values, without a header.
func (d *doc) kvTable(rows [][2]string, labelShare float64) {
	t := table{cols: []col{{w: labelShare, align: "L"}, {w: 1 - labelShare, align: "L"}}}
	for _, r := range rows {
		t.rows = append(t.rows, []string{r[0], r[1]})
	}
	d.table(t)
}

// figures is a two-column "indicator / count" table with a header.
func (d *doc) figures(rows [][2]string) {
	t := table{cols: []col{{tr(d.lang, "ind.indicator"), 0.72, "L"}, {tr(d.lang, "ind.count"), 0.28, "R"}}, header: true}
	for _, r := range rows {
		t.rows = append(t.rows, []string{r[0], r[1]})
	}
	d.table(t)
}

// title writes the report's centred title lines.
func (d *doc) title(main, sub, period string) {
	d.para(main, "B", 14, "C", inkRGB)
	if sub != "" {
		d.para(sub, "B", 12, "C", inkRGB)
	}
	if period != "" {
		d.space(0.5)
		d.para(period, "I", 10.5, "C", inkRGB)
	}
	d.space(3)
}

// notice writes a framed warning in red.
func (d *doc) notice(s string) {
	d.font("I", 9.5)
	lh := lineH(9.5)
	ls := d.lines(s, contentW-6)
	h := float64(len(ls))*lh + 4
	d.flush(h)
	d.font("I", 9.5)
	d.ensure(h)
	y := d.y()
	d.drawColor(noticeRGB)
	d.f.SetLineWidth(0.4)
	d.f.Rect(marginL, y, contentW, h, "D")
	d.textColor(noticeRGB)
	for i, l := range ls {
		d.f.SetXY(marginL+3, y+2+float64(i)*lh)
		d.f.CellFormat(contentW-6, lh, l, "", 0, "C", false, 0, "")
	}
	d.f.SetXY(marginL, y+h+2)
}

// signatures draws the confirmation and author signature blocks, with
// the author's name under the author's.
func (d *doc) signatures(author string) {
	d.signPair([2]string{tr(d.lang, "sign.confirm"), tr(d.lang, "sign.author")}, [2]string{"", author})
}

// signPair draws two signature blocks side by side: each title in bold,
// "(ký, ghi rõ họ tên)" under it, room to sign, and the name if known.
func (d *doc) signPair(titles, names [2]string) {
	d.flush(42)
	d.space(6)
	d.ensure(42)
	f := d.f
	y := d.y()
	w := contentW / 2
	lh := lineH(10.5)
	for i, title := range titles {
		x := marginL + float64(i)*w
		d.font("B", 10.5)
		d.textColor(inkRGB)
		f.SetXY(x, y)
		f.CellFormat(w, lh, strings.ToUpper(nfc(title)), "", 0, "C", false, 0, "")
		d.font("I", 9.5)
		f.SetXY(x, y+lh)
		f.CellFormat(w, lh, tr(d.lang, "sign.hint"), "", 0, "C", false, 0, "")
		if names[i] != "" {
			d.font("B", 10.5)
			f.SetXY(x, y+2*lh+22)
			f.CellFormat(w, lh, nfc(names[i]), "", 0, "C", false, 0, "")
		}
	}
	f.SetXY(marginL, y+2*lh+22+lh)
}

// chart draws the monthly chart across the content width.
func (d *doc) chart(draw func(cv canvas, x, y, w, h float64), h float64) {
	d.flush(h)
	d.ensure(h)
	y := d.y()
	draw(&pdfCanvas{d: d}, marginL, y, contentW, h)
	d.f.SetXY(marginL, y+h+1)
}

// output writes the document to w.
func (d *doc) output(w io.Writer) error {
	if err := d.f.Output(w); err != nil {
		return fmt.Errorf("write PDF: %w", err)
	}
	return nil
}

// pdfCanvas draws the chart as PDF vectors and text, in mm.
type pdfCanvas struct{ d *doc }

func (c *pdfCanvas) rect(x, y, w, h float64, col color.RGBA) {
	if w <= 0 || h <= 0 {
		return
	}
	c.d.f.SetFillColor(int(col.R), int(col.G), int(col.B))
	c.d.f.Rect(x, y, w, h, "F")
}

func (c *pdfCanvas) line(x1, y1, x2, y2, width float64, col color.RGBA) {
	c.d.f.SetDrawColor(int(col.R), int(col.G), int(col.B))
	c.d.f.SetLineWidth(width)
	c.d.f.Line(x1, y1, x2, y2)
}

func (c *pdfCanvas) text(x, y, size float64, s string, align byte, bold bool, col color.RGBA) {
	style := ""
	if bold {
		style = "B"
	}
	f := c.d.f
	f.SetFont(fontFamily, style, size/ptToMM)
	f.SetTextColor(int(col.R), int(col.G), int(col.B))
	s = nfc(s)
	w := f.GetStringWidth(s)
	switch align {
	case 'C':
		x -= w / 2
	case 'R':
		x -= w
	}
	f.Text(x, y, s)
}

func (c *pdfCanvas) textWidth(s string, size float64, bold bool) float64 {
	style := ""
	if bold {
		style = "B"
	}
	c.d.f.SetFont(fontFamily, style, size/ptToMM)
	return c.d.f.GetStringWidth(nfc(s))
}
