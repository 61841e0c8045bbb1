package report

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"

	"danvan/assets/fonts"
	"danvan/data"
	"danvan/i18n"
)

var parsedFonts = sync.OnceValues(func() ([2]*opentype.Font, error) {
	var out [2]*opentype.Font
	for i, b := range [][]byte{fonts.Regular, fonts.Bold} {
		f, err := opentype.Parse(b)
		if err != nil {
			return out, fmt.Errorf("parse embedded font: %w", err)
		}
		out[i] = f
	}
	return out, nil
})

// imageCanvas draws the chart into an RGBA image, anti-aliased, with the
// same Noto Sans fonts as the PDF.
type imageCanvas struct {
	img   *image.RGBA
	fonts [2]*opentype.Font
	faces map[[2]int]font.Face // (bold, size in 1/64 px) → face
	ras   *vector.Rasterizer
}

func (c *imageCanvas) face(size float64, bold bool) font.Face {
	b := 0
	if bold {
		b = 1
	}
	key := [2]int{b, int(size * 64)}
	if f, ok := c.faces[key]; ok {
		return f
	}
	f, err := opentype.NewFace(c.fonts[b], &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil { // only for a size ≤ 0; draw nothing
		f = nil
	}
	c.faces[key] = f
	return f
}

// fill rasterises the polygon pts (closed) in colour col. Only the
// polygon's bounding box is rasterised.
func (c *imageCanvas) fill(pts [][2]float64, col color.RGBA) {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		minX, minY = math.Min(minX, p[0]), math.Min(minY, p[1])
		maxX, maxY = math.Max(maxX, p[0]), math.Max(maxY, p[1])
	}
	box := image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX)), int(math.Ceil(maxY))).Intersect(c.img.Bounds())
	if box.Empty() {
		return
	}
	ox, oy := float64(box.Min.X), float64(box.Min.Y)
	c.ras.Reset(box.Dx(), box.Dy())
	c.ras.DrawOp = draw.Over
	c.ras.MoveTo(float32(pts[0][0]-ox), float32(pts[0][1]-oy))
	for _, p := range pts[1:] {
		c.ras.LineTo(float32(p[0]-ox), float32(p[1]-oy))
	}
	c.ras.ClosePath()
	c.ras.Draw(c.img, box, image.NewUniform(col), image.Point{})
}

func (c *imageCanvas) rect(x, y, w, h float64, col color.RGBA) {
	if w <= 0 || h <= 0 {
		return
	}
	c.fill([][2]float64{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}, col)
}

func (c *imageCanvas) line(x1, y1, x2, y2, width float64, col color.RGBA) {
	width = math.Max(width, 1)
	dx, dy := x2-x1, y2-y1
	l := math.Hypot(dx, dy)
	if l == 0 {
		return
	}
	nx, ny := -dy/l*width/2, dx/l*width/2
	c.fill([][2]float64{{x1 + nx, y1 + ny}, {x2 + nx, y2 + ny}, {x2 - nx, y2 - ny}, {x1 - nx, y1 - ny}}, col)
}

func (c *imageCanvas) text(x, y, size float64, s string, align byte, bold bool, col color.RGBA) {
	f := c.face(size, bold)
	if f == nil {
		return
	}
	s = nfc(s)
	w := font.MeasureString(f, s)
	dot := fixed.Point26_6{X: fixed.Int26_6(x * 64), Y: fixed.Int26_6(y * 64)}
	switch align {
	case 'C':
		dot.X -= w / 2
	case 'R':
		dot.X -= w
	}
	d := font.Drawer{Dst: c.img, Src: image.NewUniform(col), Face: f, Dot: dot}
	d.DrawString(s)
}

func (c *imageCanvas) textWidth(s string, size float64, bold bool) float64 {
	f := c.face(size, bold)
	if f == nil {
		return 0
	}
	return float64(font.MeasureString(f, nfc(s))) / 64
}

// ChartImage draws the monthly chart of st — concerns received and
// resolved per month, and field-visit days per month — as a width×height
// image on white, with labels in lang. It is the chart the PDF reports
// print, for the Báo cáo screen's preview. A size below 120×80 is raised
// to it.
func ChartImage(st *data.Stats, width, height int, lang i18n.Lang) (*image.RGBA, error) {
	fs, err := parsedFonts()
	if err != nil {
		return nil, err
	}
	width, height = max(width, 120), max(height, 80)
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	draw.Draw(img, img.Bounds(), image.NewUniform(colWhite), image.Point{}, draw.Src)
	cv := &imageCanvas{img: img, fonts: fs, faces: map[[2]int]font.Face{}, ras: vector.NewRasterizer(width, height)}
	pad := math.Min(float64(width), float64(height)) * 0.03
	if lang == "" {
		lang = i18n.Default
	}
	drawChart(cv, pad, pad, float64(width)-2*pad, float64(height)-2*pad, st, lang)
	for _, f := range cv.faces {
		if f != nil {
			f.Close()
		}
	}
	return img, nil
}

// ChartPNG is ChartImage encoded as PNG.
func ChartPNG(st *data.Stats, width, height int, lang i18n.Lang) ([]byte, error) {
	img, err := ChartImage(st, width, height, lang)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode chart: %w", err)
	}
	return buf.Bytes(), nil
}
