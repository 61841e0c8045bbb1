package report

import (
	"image/color"
	"math"
	"strconv"

	"danvan/data"
	"danvan/i18n"
)

// canvas is what the monthly chart is drawn on: a PDF page (units mm) or
// an image (units px). y grows downwards; text is placed by its baseline.
type canvas interface {
	rect(x, y, w, h float64, c color.RGBA)
	line(x1, y1, x2, y2, width float64, c color.RGBA)
	// text draws s with its baseline at y; align is 'L', 'C' or 'R'
	// around x; size is the font's em size in canvas units.
	text(x, y, size float64, s string, align byte, bold bool, c color.RGBA)
	textWidth(s string, size float64, bold bool) float64
}

// Chart colours: calm, print well in grey, and tell apart for the
// colour-blind (blue / green-teal / orange).
var (
	colReceived = color.RGBA{0x2b, 0x6c, 0xb0, 0xff}
	colResolved = color.RGBA{0x2c, 0x9a, 0x7a, 0xff}
	colVisit    = color.RGBA{0xdd, 0x7a, 0x1f, 0xff}
	colInk      = color.RGBA{0x22, 0x22, 0x22, 0xff}
	colMuted    = color.RGBA{0x55, 0x55, 0x55, 0xff}
	colGrid     = color.RGBA{0xd9, 0xd9, 0xd9, 0xff}
	colAxis     = color.RGBA{0x88, 0x88, 0x88, 0xff}
	colWhite    = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

// niceScale returns a tick step and an axis top for values up to max: at
// most about five steps of 1, 2 or 5 times a power of ten.
func niceScale(max int) (step, top int) {
	if max <= 0 {
		return 1, 4
	}
	raw := float64(max) / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if s := m * mag; s >= raw {
			step = int(math.Max(1, math.Round(s)))
			break
		}
	}
	top = (max + step - 1) / step * step
	if top == max && max > 0 && top/step < 4 {
		top += step
	}
	return step, top
}

// monthLabel names month "2026-03" for the chart's axis.
func monthLabel(lang i18n.Lang, month string) string {
	if len(month) < 7 {
		return month
	}
	y, _ := strconv.Atoi(month[:4])
	m, _ := strconv.Atoi(month[5:7])
	return tr(lang, "chart.month", m, y%100)
}

type series struct {
	label  string
	colour color.RGBA
	values []int
}

// drawChart draws the monthly chart of st into the box (x, y, w, h) of
// cv: concerns received and resolved per month above, visit days per
// month below.
func drawChart(cv canvas, x, y, w, h float64, st *data.Stats, lang i18n.Lang) {
	months := st.Monthly
	recv := make([]int, len(months))
	res := make([]int, len(months))
	days := make([]int, len(months))
	for i, m := range months {
		recv[i], res[i], days[i] = m.Received, m.Resolved, m.VisitDays
	}
	fs := math.Min(w/50, h/20)
	gap := fs * 1.2
	h1 := (h - gap) * 0.56
	drawPanel(cv, x, y, w, h1, fs, tr(lang, "chart.concern"), months, lang,
		[]series{{tr(lang, "chart.recv"), colReceived, recv}, {tr(lang, "chart.res"), colResolved, res}})
	drawPanel(cv, x, y+h1+gap, w, h-h1-gap, fs, tr(lang, "chart.visits"), months, lang,
		[]series{{tr(lang, "chart.days"), colVisit, days}})
}

// drawPanel draws one bar chart with its title and legend on one line.
func drawPanel(cv canvas, x, y, w, h, fs float64, title string, months []data.MonthCounts, lang i18n.Lang, ss []series) {
	// Title, left; legend, right.
	base := y + fs*1.1
	cv.text(x, base, fs*1.05, title, 'L', true, colInk)
	lx := x + w
	for i := len(ss) - 1; i >= 0; i-- {
		tw := cv.textWidth(ss[i].label, fs*0.95, false)
		lx -= tw
		cv.text(lx, base, fs*0.95, ss[i].label, 'L', false, colInk)
		lx -= fs * 1.1
		cv.rect(lx, base-fs*0.8, fs*0.8, fs*0.8, ss[i].colour)
		lx -= fs * 1.2
	}

	max := 0
	for _, s := range ss {
		for _, v := range s.values {
			max = int(math.Max(float64(max), float64(v)))
		}
	}
	step, top := niceScale(max)
	if float64(max) > float64(top)*0.88 { // room for the value labels
		top += step
	}
	tickSize := fs * 0.85
	axisW := cv.textWidth(num(lang, top), tickSize, false) + fs*0.6
	px, pw := x+axisW, w-axisW
	py := y + fs*2.1
	ph := h - fs*2.1 - fs*1.9
	if ph <= 0 || pw <= 0 {
		return
	}
	// Grid and y-axis labels.
	for v := 0; v <= top; v += step {
		gy := py + ph - ph*float64(v)/float64(top)
		c := colGrid
		if v == 0 {
			c = colAxis
		}
		cv.line(px, gy, px+pw, gy, fs*0.06, c)
		cv.text(px-fs*0.35, gy+tickSize*0.35, tickSize, num(lang, v), 'R', false, colMuted)
	}
	n := len(months)
	if n == 0 {
		return
	}
	gw := pw / float64(n)
	bw := gw * 0.7 / float64(len(ss))
	if len(ss) == 1 {
		bw = gw * 0.5
	}
	bw = math.Min(bw, fs*2.6) // a few months must not give slabs
	valSize := fs * 0.8
	for i := range months {
		gx := px + gw*float64(i) + (gw-bw*float64(len(ss)))/2
		for j, s := range ss {
			v := s.values[i]
			if v <= 0 {
				continue
			}
			bh := ph * float64(v) / float64(top)
			bx := gx + bw*float64(j)
			cv.rect(bx, py+ph-bh, bw, bh, s.colour)
			label := num(lang, v)
			if cv.textWidth(label, valSize, false) <= gw/float64(len(ss))*1.05 {
				cv.text(bx+bw/2, py+ph-bh-fs*0.25, valSize, label, 'C', false, colInk)
			}
		}
	}
	// Month labels, thinned when they would collide.
	widest := 0.0
	for _, m := range months {
		widest = math.Max(widest, cv.textWidth(monthLabel(lang, m.Month), tickSize, false))
	}
	every := 1
	if widest > gw*0.95 {
		for every*int(gw*1000) < int(widest*1000*1.1) {
			every++
		}
	}
	for i, m := range months {
		if i%every != 0 {
			continue
		}
		l := monthLabel(lang, m.Month)
		cv.text(px+gw*(float64(i)+0.5), py+ph+fs*1.25, tickSize, l, 'C', false, colMuted)
	}
}
