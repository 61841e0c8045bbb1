// Package imports reads the lists a commune already keeps in Excel or
// CSV (the household list of each village) into records: it finds the
// header row and guesses which column holds which field, lets the caller
// change that mapping, and plans the import row by row (the record, or
// why the row cannot be taken, or which record it duplicates) before
// anything is saved.
package imports

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"danvan/data"
)

// ErrFormat is returned for a file that is neither .xlsx nor .csv.
var ErrFormat = errors.New("the file is neither an Excel workbook (.xlsx) nor a CSV file")

// ErrNoHeader is returned when no row of the file's first ten names at
// least two of the fields.
var ErrNoHeader = errors.New("no header row naming the columns was found")

// Table is a sheet of a file: its header row and the rows under it.
type Table struct {
	// Header holds the column names; HeaderLine is its line in the file
	// (1 for the first), so that row i of Rows is line HeaderLine+1+i.
	Header     []string
	HeaderLine int
	Rows       [][]string
}

// Line is the file line of row i (1-based, as Excel numbers rows).
func (t *Table) Line(i int) int { return t.HeaderLine + 1 + i }

// Cell returns row i's value in column col ("" past its end), trimmed.
func (t *Table) Cell(i, col int) string {
	if col < 0 || col >= len(t.Rows[i]) {
		return ""
	}
	return data.NFC(strings.TrimSpace(t.Rows[i][col]))
}

// ColumnName is column col as Excel names it: A, B, …, Z, AA, ….
func ColumnName(col int) string {
	name := ""
	for col++; col > 0; col = (col - 1) / 26 {
		name = string(rune('A'+(col-1)%26)) + name
	}
	return name
}

// ReadTable reads path, an .xlsx workbook (its sheet with the most rows)
// or a .csv file (UTF-8, with or without a BOM, separated by commas or
// semicolons), and finds its header row among the first ten with fields.
func ReadTable(path string, fields []Field) (*Table, error) {
	var rows [][]string
	var err error
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm":
		rows, err = readXLSX(path)
	case ".csv", ".txt":
		rows, err = readCSV(path)
	default:
		return nil, fmt.Errorf("read %s: %w", path, ErrFormat)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	for i := 0; i < len(rows) && i < 10; i++ {
		if len(Guess(rows[i], fields)) >= 2 {
			return &Table{Header: rows[i], HeaderLine: i + 1, Rows: rows[i+1:]}, nil
		}
	}
	return nil, fmt.Errorf("read %s: %w", path, ErrNoHeader)
}

func readXLSX(path string) ([][]string, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var best [][]string
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name)
		if err != nil {
			return nil, err
		}
		if len(rows) > len(best) {
			best = rows
		}
	}
	return best, nil
}

func readCSV(path string) ([][]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	first, _, _ := bytes.Cut(b, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(b))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	return r.ReadAll()
}
