// Package fonts embeds the Noto Sans fonts that Sổ tay Dân vận uses to
// print Vietnamese (PDF reports and report charts), with their licence.
//
// The fonts are Noto Sans, Version 2.000, © 2015 Google Inc., under the
// SIL Open Font License 1.1 (see License and README.md).
package fonts

import _ "embed"

// Regular is NotoSans-Regular.ttf, a TrueType font with full Vietnamese
// coverage.
//
//go:embed NotoSans-Regular.ttf
var Regular []byte

// Bold is NotoSans-Bold.ttf.
//
//go:embed NotoSans-Bold.ttf
var Bold []byte

// Italic is NotoSans-Italic.ttf.
//
//go:embed NotoSans-Italic.ttf
var Italic []byte

// License is the SIL Open Font License 1.1 text of the fonts, with their
// copyright notice. It must ship with any copy of the font files.
//
//go:embed OFL.txt
var License []byte
