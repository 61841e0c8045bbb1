// Package guitest drives the real app (the cgo build with Fyne's OpenGL
// driver) in a real X window under Xvfb, with xdotool as the keyboard and the mouse. It
// has no code of its own, only tests. They need Xvfb, xdotool and xmodmap
// ("make deps" installs them): without them the tests skip, saying why,
// except in CI, where that is a failure.
package guitest
