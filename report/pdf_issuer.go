package report

import (
	"fmt"
	"math"
	"strings"
	"time"

	"danvan/data"
	"danvan/i18n"
)

// placeDate is the place and date line under a heading: "Đăk Long, ngày
// 04 tháng 12 năm 2026". Days below 10 and the months 1 and 2 take a
// leading zero, the other months none (Nghị định 30/2020/NĐ-CP, Phụ lục
// I, mục I.4; Hướng dẫn 36-HD/VPTW writes the date the same way).
func placeDate(l i18n.Lang, place string, when time.Time) string {
	when = when.In(data.Vietnam)
	month := fmt.Sprint(int(when.Month()))
	if when.Month() <= 2 || l == i18n.EN { // English writes 04/12/2026
		month = fmt.Sprintf("%02d", int(when.Month()))
	}
	line := tr(l, "place_date", nfc(place), fmt.Sprintf("%02d", when.Day()), month, when.Year())
	if place == "" {
		line = strings.TrimPrefix(line, ", ")
	}
	return line
}

// numberLine is the document's number with its blank for the clerk, as
// each rule writes it: "Số     -BC/BXDĐ" for a Party body (Hướng dẫn
// 36-HD/VPTW), "Số:      /BC-UBND" for a state body or the Front (Nghị
// định 30/2020/NĐ-CP). It is "" without a symbol.
func numberLine(l i18n.Lang, is data.Issuer) string {
	if strings.TrimSpace(is.Symbol) == "" {
		return ""
	}
	if is.UnitKind == data.UnitParty {
		return tr(l, "number.party", is.Symbol)
	}
	return tr(l, "number.state", is.Symbol)
}

// docHeading draws page one's heading: on the left the body above the
// unit and the unit, the number under them; on the right "ĐẢNG CỘNG SẢN
// VIỆT NAM" for a Party body or the national name and motto otherwise;
// the place and date below. Without a unit kind (a profile from before
// it was asked, a report made on the server) it is the national heading
// over the commune and the unit, as before.
func (d *doc) docHeading(is data.Issuer, unit, commune string, when time.Time) {
	f := d.f
	top := d.y()
	leftW, rightX, rightW := 72.0, marginL+68, contentW-68
	lh := lineH(10.5)
	type line struct {
		text, style string
	}
	var left []line
	if is.UnitKind == "" {
		left = append(left, line{commune, ""})
		if unit != "" {
			left = append(left, line{unit, ""})
		}
		left[len(left)-1].style = "B"
	} else {
		parent, body := is.HeadingBodies(unit)
		if parent != "" {
			left = append(left, line{parent, ""})
		}
		if body == "" {
			body = commune
		}
		left = append(left, line{body, "B"})
	}
	y := top
	for _, ln := range left {
		d.font(ln.style, 10.5)
		d.textColor(inkRGB)
		for _, l := range d.lines(strings.ToUpper(nfc(ln.text)), leftW) {
			f.SetXY(marginL, y)
			f.CellFormat(leftW, lh, l, "", 0, "C", false, 0, "")
			y += lh
		}
	}
	d.drawColor(inkRGB)
	f.SetLineWidth(0.3)
	if is.UnitKind == data.UnitParty {
		// The Party's star-mark under the issuing body.
		d.font("B", 10.5)
		f.SetXY(marginL, y)
		f.CellFormat(leftW, lh, "*", "", 0, "C", false, 0, "")
		y += lh
	} else {
		f.Line(marginL+leftW/2-12, y+0.8, marginL+leftW/2+12, y+0.8)
		y += 2
	}
	if n := numberLine(d.lang, is); n != "" {
		d.font("", 10.5)
		f.SetXY(marginL, y)
		f.CellFormat(leftW, lh, n, "", 0, "C", false, 0, "")
		y += lh
	}
	leftBottom := y + 2

	y = top
	if is.UnitKind == data.UnitParty {
		d.font("B", 11)
		name := tr(d.lang, "party_nation")
		f.SetXY(rightX, y)
		f.CellFormat(rightW, lineH(11), name, "", 0, "C", false, 0, "")
		y += lineH(11)
		w := f.GetStringWidth(name)
		f.Line(rightX+rightW/2-w/2, y+0.3, rightX+rightW/2+w/2, y+0.3)
		y += lh + 1 // the line of the left's second body
	} else {
		d.font("B", 10.5)
		f.SetXY(rightX, y)
		f.CellFormat(rightW, lh, tr(d.lang, "nation"), "", 0, "C", false, 0, "")
		y += lh
		d.font("B", 11)
		motto := tr(d.lang, "motto")
		f.SetXY(rightX, y)
		f.CellFormat(rightW, lineH(11), motto, "", 0, "C", false, 0, "")
		mw := f.GetStringWidth(motto)
		y += lineH(11)
		f.Line(rightX+rightW/2-mw/2, y+0.3, rightX+rightW/2+mw/2, y+0.3)
	}
	y += 3
	d.font("I", 10.5)
	f.SetXY(rightX, y)
	f.CellFormat(rightW, lh, placeDate(d.lang, placeName(commune), when), "", 0, "C", false, 0, "")
	y += lh
	f.SetXY(marginL, math.Max(y, leftBottom)+5)
}

// closing draws the end of a report: "Nơi nhận" with its list on the
// left, the signer's role, room to sign and the signer's name on the
// right. The signer is the issuer's, or else the cadre who made the
// report. Without a unit kind, or with neither role nor recipients, it
// draws nothing and returns false.
func (d *doc) closing(is data.Issuer, cadre string) bool {
	recipients := is.RecipientLines()
	var roles []string
	for _, r := range strings.Split(is.SignerRole, "\n") {
		if r = strings.TrimSpace(r); r != "" {
			roles = append(roles, strings.ToUpper(nfc(r)))
		}
	}
	if is.UnitKind == "" || (len(recipients) == 0 && len(roles) == 0) {
		return false
	}
	signer := strings.TrimSpace(is.Signer)
	if signer == "" {
		signer = cadre
	}
	f := d.f
	lh := lineH(10.5)
	small := lineH(9.5)
	leftW := contentW*0.45 - 2
	rightX, rightW := marginL+contentW*0.45, contentW*0.55
	h := math.Max(float64(len(recipients)+1)*small, float64(len(roles))*lh+26+lh) + 6
	d.flush(h)
	d.ensure(h)
	d.space(4)
	top := d.y()
	d.textColor(inkRGB)

	y := top
	if len(recipients) > 0 {
		style := "B"
		if is.UnitKind == data.UnitParty {
			style = "U" // Hướng dẫn 36-HD/VPTW underlines "Nơi nhận:"
		}
		d.font(style, 10.5)
		f.SetXY(marginL, y)
		f.CellFormat(leftW, lh, tr(d.lang, "recipients"), "", 0, "L", false, 0, "")
		y += lh
		d.font("", 9.5)
		for _, r := range recipients {
			for _, l := range d.lines(nfc(r), leftW) {
				f.SetXY(marginL, y)
				f.CellFormat(leftW, small, l, "", 0, "L", false, 0, "")
				y += small
			}
		}
	}
	leftBottom := y

	y = top
	d.font("B", 10.5)
	for _, r := range roles {
		f.SetXY(rightX, y)
		f.CellFormat(rightW, lh, r, "", 0, "C", false, 0, "")
		y += lh
	}
	if len(roles) == 0 {
		d.font("I", 10.5)
		f.SetXY(rightX, y)
		f.CellFormat(rightW, lh, tr(d.lang, "signer.prepared"), "", 0, "C", false, 0, "")
		y += lh
	}
	y += 24 // room for the signature and the seal
	if signer != "" {
		d.font("B", 10.5)
		f.SetXY(rightX, y)
		f.CellFormat(rightW, lh, nfc(signer), "", 0, "C", false, 0, "")
		y += lh
	}
	f.SetXY(marginL, math.Max(y, leftBottom)+2)
	return true
}
