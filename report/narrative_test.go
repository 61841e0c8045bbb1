package report

import (
	"bytes"
	"strings"
	"testing"

	"danvan/i18n"
)

// TestNarrativePrintedAndKeptWithTheLock: a commune report's text is
// printed section by section before its figures, the suggested results
// paragraph holds the report's own figures, and the text locked with the
// period is what later prints, whatever is written after.
func TestNarrativePrintedAndKeptWithTheLock(t *testing.T) {
	f := newFixture(t)
	p := QuarterPeriod(2026, 2)
	c, err := NewCommuneReport(f.s, p, nil, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	sug := c.SuggestNarrative()
	k := c.Total.Concerns
	wantStart := "Trong kỳ, tiếp nhận " + num(i18n.VI, k.Received) + " ý kiến"
	if !strings.HasPrefix(sug["ket_qua"], wantStart) || !strings.Contains(sug["ket_qua"], "đã giải quyết "+num(i18n.VI, k.Resolved)) {
		t.Errorf("suggested results %q, want the report's figures (%d received, %d resolved)", sug["ket_qua"], k.Received, k.Resolved)
	}
	text := map[string]string{
		"tu_tuong":  "Nhân dân phấn khởi, tin tưởng vào chủ trương sáp nhập xã.\nCòn băn khoăn về đền bù đường liên xã.",
		"ket_qua":   sug["ket_qua"],
		"kien_nghi": "Đề nghị Ban Dân vận Tỉnh ủy hỗ trợ kinh phí mô hình.",
	}
	printed := func(o Options) string {
		t.Helper()
		o.Now = testNow
		c, err := NewCommuneReport(f.s, p, nil, o)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := c.WritePDF(&buf); err != nil {
			t.Fatal(err)
		}
		return strings.Join(strings.Fields(strings.Join(pdfText(t, buf.Bytes()), "\n")), " ")
	}
	got := printed(Options{Narrative: text})
	order := []string{"A. TÌNH HÌNH VÀ KẾT QUẢ CÔNG TÁC DÂN VẬN", "1. Tình hình tư tưởng, dư luận trong nhân dân",
		"Nhân dân phấn khởi", "Còn băn khoăn", "2. Kết quả nổi bật", wantStart, "3. Kiến nghị, đề xuất", "hỗ trợ kinh phí",
		"B. SỐ LIỆU", "I. CÁC CHỈ TIÊU CHỦ YẾU"}
	at := 0
	for _, w := range order {
		i := strings.Index(got[at:], w)
		if i < 0 {
			t.Fatalf("the report lacks %q after position %d:\n%s", w, at, got)
		}
		at += i + len(w)
	}
	if plain := printed(Options{}); strings.Contains(plain, "A. TÌNH HÌNH") || strings.Contains(plain, "B. SỐ LIỆU") {
		t.Error("a report without text has the text's parts")
	}

	// Locked with its text: a reprint shows the locked text.
	c, err = NewCommuneReport(f.s, p, nil, Options{Now: testNow, Narrative: text})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.WritePDF(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := LockCommuneReport(f.s, c, buf.Bytes(), "Y Sáng"); err != nil {
		t.Fatal(err)
	}
	later := printed(Options{Narrative: map[string]string{"tu_tuong": "Viết lại sau khi chốt."}})
	if !strings.Contains(later, "Nhân dân phấn khởi") || strings.Contains(later, "Viết lại sau khi chốt") {
		t.Error("the reprint of a locked period does not print the text it was sent with")
	}
}

// TestNarrativeKeptInTheStore: the text being written is kept by report
// and period, trimmed, without empty sections.
func TestNarrativeKeptInTheStore(t *testing.T) {
	s := openStore(t)
	if n := s.Narrative("commune", "2026-Q2"); n != nil {
		t.Fatalf("a new store has text %v", n)
	}
	if err := s.SetNarrative("commune", "2026-Q2", map[string]string{"tu_tuong": "  Ổn định.  ", "han_che": " "}); err != nil {
		t.Fatal(err)
	}
	n := s.Narrative("commune", "2026-Q2")
	if len(n) != 1 || n["tu_tuong"] != "Ổn định." {
		t.Errorf("kept %v", n)
	}
	if s.Narrative("commune", "2026-Q3") != nil {
		t.Error("another period has the text too")
	}
}
