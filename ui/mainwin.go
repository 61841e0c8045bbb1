package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

// navWidth is the width of the navigation column.
const navWidth = 230

// MainWindow is the window's content once the store is open: a
// navigation list built from Screens() on the left, and the current
// screen. Each screen is built once, kept, and refreshed when shown again.
type MainWindow struct {
	sh   *Shell
	defs []ScreenDef

	Nav     *widget.List
	Commune *widget.Label
	Content fyne.CanvasObject

	body       *fyne.Container
	cache      map[string]Screen
	current    string
	navigating bool // the list is being selected from code
}

func newMainWindow(sh *Shell) *MainWindow {
	m := &MainWindow{sh: sh, defs: Screens(), cache: map[string]Screen{}}
	m.Nav = widget.NewList(
		func() int { return len(m.defs) },
		func() fyne.CanvasObject { return newNavRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(m.defs) {
				return
			}
			row := o.(*navRow)
			row.icon.SetResource(m.defs[i].Icon)
			row.label.SetText(sh.T(m.defs[i].TitleID))
			id := m.defs[i].ID
			row.tap = func() { m.navTap(id) }
		})
	m.Nav.OnSelected = func(i widget.ListItemID) {
		if !m.navigating && i < len(m.defs) {
			m.show(m.defs[i].ID)
		}
	}
	m.Commune = wrapLabel("")
	m.Commune.TextStyle = fyne.TextStyle{Bold: true}
	m.setCommune()
	title := widget.NewLabel(sh.T("app.title"))
	title.SizeName = theme.SizeNameCaptionText
	nav := container.NewBorder(container.NewVBox(title, m.Commune, widget.NewSeparator()), nil, nil, nil, m.Nav)
	m.body = container.NewStack()
	m.Content = container.NewBorder(nil, nil,
		container.NewHBox(container.New(widthLayout{navWidth}, nav), widget.NewSeparator()), nil, m.body)
	return m
}

// setCommune shows the commune's name above the navigation.
func (m *MainWindow) setCommune() {
	code := m.sh.Store().Commune()
	name := code
	if c, ok := data.CommuneByCode(code); ok {
		name = c.Name
	}
	m.Commune.SetText(name)
}

func (m *MainWindow) index(id string) int {
	for i, d := range m.defs {
		if d.ID == id {
			return i
		}
	}
	return -1
}

// show makes the screen id current, building it the first time, and
// refreshes it. It returns nil for an unknown id.
func (m *MainWindow) show(id string) Screen {
	i := m.index(id)
	if i < 0 {
		return nil
	}
	s := m.cache[id]
	if s == nil {
		s = m.defs[i].Make(m.sh)
		m.cache[id] = s
	}
	m.current = id
	m.body.Objects = []fyne.CanvasObject{s.Content()}
	m.body.Refresh()
	m.navigating = true
	m.Nav.Select(i)
	m.navigating = false
	s.Refresh()
	return s
}

// rebuild drops every screen and rebuilds the navigation and the current
// screen, in the shell's (new) language.
func (m *MainWindow) rebuild() {
	m.sh.forms = nil
	m.sh.installMenus()
	m.sh.relabelSyncLine()
	m.Nav.Refresh()
	m.reset(true)
}

// reset drops the built screens, all of them or all but the current one
// (after the store was reopened), and shows the current screen again.
func (m *MainWindow) reset(all bool) {
	cur := m.cache[m.current]
	m.cache = map[string]Screen{}
	if !all && cur != nil {
		m.cache[m.current] = cur
	}
	if m.current != "" {
		m.show(m.current)
	}
}

// ShowScreen makes the screen id ("dashboard", "concerns"…) current,
// building it the first time and refreshing it, and returns it; nil if
// there is no such screen or the main window is not shown yet.
func (sh *Shell) ShowScreen(id string) Screen {
	if sh.Main == nil {
		return nil
	}
	return sh.Main.show(id)
}

// Current returns the screen shown now, or nil.
func (sh *Shell) Current() Screen {
	if sh.Main == nil {
		return nil
	}
	return sh.Main.cache[sh.Main.current]
}

// CurrentID returns the id of the screen shown now, or "".
func (sh *Shell) CurrentID() string {
	if sh.Main == nil {
		return ""
	}
	return sh.Main.current
}

// ThemeIcon returns the current theme's icon name, looked up each time it
// is drawn. Screens registered from init should use it for
// ScreenDef.Icon: theme.HomeIcon() and the like, called before the app
// exists, log "Attempt to access current Fyne app when none is started".
func ThemeIcon(name fyne.ThemeIconName) fyne.Resource { return themeIcon(name) }

type themeIcon fyne.ThemeIconName

// Name returns the name of the current theme's icon.
func (n themeIcon) Name() string { return theme.Icon(fyne.ThemeIconName(n)).Name() }

// Content returns the current theme's icon.
func (n themeIcon) Content() []byte { return theme.Icon(fyne.ThemeIconName(n)).Content() }

// installMenus installs the keyboard commands with the "Tệp" menu, and
// the "Trợ giúp" menu with Giới thiệu (the About dialog).
func (sh *Shell) installMenus() {
	sh.installShortcuts()
	menu := sh.Win.MainMenu()
	if menu == nil {
		menu = fyne.NewMainMenu()
	}
	menu.Items = append(menu.Items, fyne.NewMenu(sh.T("menu.help"),
		fyne.NewMenuItem(sh.T("app.about")+"…", func() { sh.ShowAbout() })))
	sh.Win.SetMainMenu(menu)
}

// Lister is a screen with a list and pages under it (a record's detail,
// a form): ShowList goes back to the list.
type Lister interface{ ShowList() }

// navTap follows a tap on the navigation item of screen id: the screen,
// or, when it is shown already, back to its list (the way out of a
// detail page most users try first).
func (m *MainWindow) navTap(id string) {
	if m.current == id {
		if l, ok := m.cache[id].(Lister); ok {
			l.ShowList()
		}
		return
	}
	m.show(id)
}

// navRow is a navigation item: its icon and title. It takes the tap
// itself, so that a tap on the item already selected still counts.
type navRow struct {
	widget.BaseWidget
	icon  *widget.Icon
	label *widget.Label
	tap   func()
}

func newNavRow() *navRow {
	r := &navRow{icon: widget.NewIcon(nil), label: widget.NewLabel("Ý kiến – Kiến nghị")}
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer lays the icon and the title side by side.
func (r *navRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewHBox(r.icon, r.label))
}

// Tapped shows the item's screen (see MainWindow.navTap).
func (r *navRow) Tapped(*fyne.PointEvent) {
	if r.tap != nil {
		r.tap()
	}
}
