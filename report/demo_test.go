package report

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"danvan/data"
	"danvan/i18n"
)

// sampleDir, when set, receives the sample village summary made from demo
// data and a PNG of its first page:
//
//	go test ./report -run TestDemoVillageSummary -sample-dir=docs/samples
var sampleDir = flag.String("sample-dir", "", "write tom-tat-thon.pdf and its first page as PNG to this directory")

// demoDay is the day the demo data is generated for in tests.
const demoDay data.Date = "2026-07-05"

func demoStore(t testing.TB) *data.Store {
	t.Helper()
	s := openStore(t)
	if _, err := data.GenerateDemo(s, data.DemoOptions{Scale: 1, Seed: 7, Today: demoDay}); err != nil {
		t.Fatal(err)
	}
	return s
}

// busiestVillage returns the demo village with the most records.
func busiestVillage(s *data.Store) data.Row {
	var best data.Row
	n := -1
	for _, v := range s.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle) {
		if c := s.Count(data.Filter{Village: v.ID}); c > n {
			best, n = v, c
		}
	}
	return best
}

func TestDemoVillageSummary(t *testing.T) {
	s := demoStore(t)
	v := busiestVillage(s)
	o := Options{Now: demoDay.Time().Add(10 * 3600e9), Unit: "Đồn Biên phòng Đăk Long"}
	pdf, sum := villagePDF(t, s, v.ID, h1, o)
	pages := pdfText(t, pdf)
	text := strings.Join(pages, "\n")
	mustContain(t, "demo PDF", text, v.Title, "cùng nói tiếng dân tộc", tr(i18n.VI, "sec.concerns"))
	for _, p := range sum.Persons {
		mustContain(t, "demo PDF", text, p.Name)
	}
	st := sum.Stats
	for _, fg := range append(visitFigures(i18n.VI, st), concernFigures(i18n.VI, st)...) {
		if got, ok := figureIn(text, fg.label); !ok || got != fg.n {
			t.Errorf("%q = %d in the PDF, store counts %d", fg.label, got, fg.n)
		}
	}
	if st.Concerns.Received == 0 || st.Visits == 0 {
		t.Errorf("demo village %s has no concerns or visits in %s", v.Title, h1)
	}

	// Every confidential denouncer of the demo stays out of every output.
	var secrets []string
	for _, r := range s.Find(data.Filter{Kind: data.KindConcern, Sub: string(data.ConcernDenunciation)}, data.ByDateDesc) {
		var c data.Concern
		if err := s.Load(r.ID, &c); err != nil {
			t.Fatal(err)
		}
		viewer := c.Assignee
		if viewer == "" {
			viewer = s.Actor()
		}
		if name, err := s.Denouncer(r.ID, viewer); err == nil && name != "" {
			secrets = append(secrets, name)
		}
	}
	if len(secrets) == 0 {
		t.Fatal("the demo data plants no denouncer")
	}
	var outputs [][]byte
	outputs = append(outputs, []byte(text))
	for _, row := range s.Find(data.Filter{Kind: data.KindVillage}, data.ByTitle) {
		p, vs := villagePDF(t, s, row.ID, YearPeriod(2026), o)
		outputs = append(outputs, []byte(strings.Join(pdfText(t, p), "\n")))
		var x bytes.Buffer
		if err := vs.WriteXLSX(&x); err != nil {
			t.Fatal(err)
		}
		outputs = append(outputs, xlsxText(t, x.Bytes()))
	}
	for _, b := range exportAll(t, s, Options{}) {
		outputs = append(outputs, b)
	}
	for _, out := range outputs {
		for _, name := range secrets {
			if bytes.Contains(out, []byte(name)) {
				t.Fatalf("denouncer %q appears in an output", name)
			}
		}
	}

	if *sampleDir != "" {
		writeSample(t, pdf, *sampleDir)
	}
}

func writeSample(t *testing.T, pdf []byte, dir string) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "tom-tat-thon.pdf")
	writeFile(t, path, pdf)
	tool := needTool(t, "pdftoppm")
	out := filepath.Join(dir, "tom-tat-thon")
	if b, err := exec.Command(tool, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", path, out).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, b)
	}
	t.Logf("wrote %s and %s.png", path, out)
}
