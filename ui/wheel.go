package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// formScroll returns content in a vertical scroll in which the mouse
// wheel scrolls the page wherever the pointer is.
//
// Fyne gives a wheel event to the deepest scrollable object under the
// pointer and never passes it on, and every entry holds a scroller of its
// own, a one-line entry included. Over a field the wheel did nothing, so
// a long form (the visit form's "4 cùng" part is below the fold at
// 1366×768) could only be scrolled from the gaps between fields (issue
// 15). formScroll lays a transparent layer over content that takes only
// the wheel: over a list that can still move that way the list scrolls,
// anywhere else the page does. Taps, drags, hovering, the text cursor and
// focus reach the fields as before, since the layer handles none of them.
func formScroll(content fyne.CanvasObject) *container.Scroll {
	layer := &wheelLayer{content: content}
	layer.ExtendBaseWidget(layer)
	layer.scroll = container.NewVScroll(container.NewStack(content, layer))
	return layer.scroll
}

// wheelLayer is formScroll's layer: it routes the wheel over content.
type wheelLayer struct {
	widget.BaseWidget
	content fyne.CanvasObject
	scroll  *container.Scroll
}

// CreateRenderer draws nothing.
func (l *wheelLayer) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewWithoutLayout())
}

// Scrolled scrolls the list under the pointer if it can move that way,
// and the page otherwise.
func (l *wheelLayer) Scrolled(ev *fyne.ScrollEvent) {
	if lst := listAt(l.content, ev.AbsolutePosition); lst != nil && scrollList(lst, ev.Scrolled.DY) {
		return
	}
	l.scroll.Scrolled(ev)
}

// listAt returns the visible list under the window position at inside o
// (looking through containers and scrolls), or nil.
func listAt(o fyne.CanvasObject, at fyne.Position) *widget.List {
	if o == nil || !o.Visible() {
		return nil
	}
	switch v := o.(type) {
	case *widget.List:
		p := fyne.CurrentApp().Driver().AbsolutePositionForObject(v)
		s := v.Size()
		if at.X >= p.X && at.Y >= p.Y && at.X < p.X+s.Width && at.Y < p.Y+s.Height {
			return v
		}
	case *fyne.Container:
		for _, c := range v.Objects {
			if lst := listAt(c, at); lst != nil {
				return lst
			}
		}
	case *container.Scroll:
		return listAt(v.Content, at)
	}
	return nil
}

// scrollList moves lst by the wheel's dy and reports whether it moved: a
// list at its end, or whose rows all show, leaves the wheel to the page.
func scrollList(lst *widget.List, dy float32) bool {
	before := lst.GetScrollOffset()
	lst.ScrollToOffset(before - dy)
	return lst.GetScrollOffset() != before
}
