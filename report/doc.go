// Package report makes the printed and exported outputs of Sổ tay Dân
// vận: the village summary ("báo cáo tóm tắt tình hình thôn") and the
// commune periodic report ("báo cáo định kỳ"), as PDF (A4, Noto Sans
// embedded, for printing) and XLSX (real numbers and dates, for the
// province to add up), the CSV exports of every list, and the monthly
// chart that both reports and the Báo cáo screen show.
//
// A report is built in two steps: NewVillageSummary or NewCommuneReport
// gathers the figures from the store (reusing data.Store.Stats, so a
// report always prints what the store counts), then WritePDF or
// WriteXLSX lays them out. The figures of a built report can be shown as
// a preview before anything is written.
//
// Confidentiality is enforced here as well as in package data: a tố
// cáo's denouncer is never read (data.Store.Denouncer is never called)
// and every raiser of a tố cáo is printed as data.RedactedIdentity;
// individual households' ethnicity and religion are dropped when the
// report is gathered unless Options.IncludeSensitive is set, and setting
// it writes a data.AuditSensitive entry to the audit trail.
//
// Report labels live in this package (labels.go), keyed by i18n.Lang:
// the i18n package embeds only its active.*.toml files.
//
// The package never imports Fyne: the UI calls it from a goroutine and
// follows Options.Progress.
package report
