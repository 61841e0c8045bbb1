package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"danvan/data"
)

// pageScroll returns the scroll formScroll made for the page content.
func pageScroll(t *testing.T, content fyne.CanvasObject) *container.Scroll {
	t.Helper()
	for _, o := range test.LaidOutObjects(content) {
		if s, ok := o.(*container.Scroll); ok {
			if st, ok := s.Content.(*fyne.Container); ok && len(st.Objects) == 2 {
				if _, ok := st.Objects[1].(*wheelLayer); ok {
					return s
				}
			}
		}
	}
	t.Fatal("the page has no formScroll")
	return nil
}

// TestWheelScrollsTheVisitFormOverAField is issue 15's "the mouse wheel
// does not scroll the visit form while the pointer is over a field or
// list": the wheel over an entry, or over a list whose rows all show,
// scrolls the page; over a list that can still move, the list.
func TestWheelScrollsTheVisitFormOverAField(t *testing.T) {
	sh, s, v, _ := visitSetup(t)
	sh.Win.Resize(fyne.NewSize(1000, 500))
	f := s.Form
	f.Village.SetSelected(v.Name)
	sh.wait()
	page := pageScroll(t, f.Content)
	if page.Content.Size().Height <= page.Size().Height {
		t.Fatalf("the visit form fits in %v; the test needs it taller", page.Size())
	}
	c := sh.Win.Canvas()
	at := func(o fyne.CanvasObject) fyne.Position {
		return fyne.CurrentApp().Driver().AbsolutePositionForObject(o).Add(fyne.NewPos(5, 5))
	}

	// Over the cadres' entry: the same lookup the window does (the
	// deepest scrollable under the pointer) finds the layer, and the
	// page moves down.
	test.Scroll(c, at(f.Cadres), 0, -60)
	if page.Offset.Y != 60 {
		t.Fatalf("wheel over the cadres' entry: page offset %v, want 60", page.Offset.Y)
	}

	// Over the household list: its three rows all show, so the page moves.
	lp := at(f.Households)
	wheel := func(dy float32) {
		layer := page.Content.(*fyne.Container).Objects[1].(*wheelLayer)
		ev := &fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, dy)}
		ev.AbsolutePosition = lp
		layer.Scrolled(ev)
	}
	wheel(-20)
	if page.Offset.Y != 80 || f.Households.GetScrollOffset() != 0 {
		t.Fatalf("wheel over a list that fits: page %v, list %v; want 80, 0", page.Offset.Y, f.Households.GetScrollOffset())
	}

	// Forty households: the list can move, so it does, and at its top
	// the wheel goes back to the page.
	for i := range 40 {
		mustSave(t, sh, &data.Household{Head: fmt.Sprintf("Hộ %02d", i), Village: v.ID, Members: 3})
	}
	f.loadHouseholds()
	sh.wait()
	lp = at(f.Households)
	// The real window lays out a list whose content grew on its next
	// frame (the canvas's EnsureMinSize); the test canvas has no frames,
	// and ScrollToTop refreshes the list's scroller, which lays it out.
	f.Households.ScrollToTop()
	wheel(-30)
	if f.Households.GetScrollOffset() != 30 || page.Offset.Y != 80 {
		t.Fatalf("wheel over a long list: list %v, page %v; want 30, 80", f.Households.GetScrollOffset(), page.Offset.Y)
	}
	wheel(40)
	if f.Households.GetScrollOffset() != 0 || page.Offset.Y != 80 {
		t.Fatalf("wheel up over the list: list %v, page %v; want 0, 80", f.Households.GetScrollOffset(), page.Offset.Y)
	}
	wheel(40)
	if page.Offset.Y != 40 {
		t.Fatalf("wheel up over a list at its top: page %v, want 40", page.Offset.Y)
	}
}
