package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"danvan/data"
	"danvan/i18n"
	"danvan/imports"
	"danvan/report"
)

func init() { subcommands["import"] = (*Env).runImport }

// previewRows is how many planned rows "danvan import" shows.
const previewRows = 10

// runImport runs "danvan import households FILE": it reads the commune's
// household list (Excel or CSV), shows the columns it recognised, a
// preview, every bad row by line and column, and the duplicates, and
// saves the good rows only with --yes.
func (e *Env) runImport(args []string) int {
	usage := "Cách dùng: danvan import households TỆP.xlsx|TỆP.csv [--village TÊN] [--map chu_ho=B,nhan_khau=C,...] [--yes]"
	if len(args) == 0 || args[0] != "households" && args[0] != "ho" {
		fmt.Fprintln(e.Stderr, usage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return 0
		}
		fmt.Fprintln(e.Stderr, "\nLỗi: hãy cho biết danh sách cần nhập: households (danh sách hộ gia đình).")
		return 2
	}
	f := e.newReportFlags("danvan import households")
	village := f.fs.String("village", "", "thôn, làng của cả danh sách, khi tệp không có cột thôn")
	mapping := f.fs.String("map", "", "chọn cột cho từng trường, ví dụ head=B,members=D,village=C,phone=E (head: chủ hộ, members: nhân khẩu, village: thôn, phone, ethnicity, religion, notes)")
	yes := f.fs.Bool("yes", false, "lưu các dòng hợp lệ (không có --yes: chỉ xem trước, không lưu gì)")
	f.fs.Usage = func() {
		fmt.Fprintf(e.Stderr, "%s\n\nNhập danh sách hộ gia đình xã đang giữ (Excel hoặc CSV): nhận cột, xem trước, báo từng dòng lỗi và dòng trùng; chỉ lưu khi có --yes.\n\nTùy chọn:\n", usage)
		f.fs.PrintDefaults()
	}
	rest := args[1:]
	var file string
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		file, rest = rest[0], rest[1:]
	}
	if code := f.parse(rest); code >= 0 {
		return code
	}
	if file == "" && f.fs.NArg() > 0 {
		file = f.fs.Arg(0)
	}
	return e.reportResult(f, func() error {
		if file == "" {
			return badArg("Thiếu tệp danh sách (.xlsx hoặc .csv).")
		}
		tx := i18n.New(i18n.VI)
		tab, err := imports.ReadTable(file, imports.HouseholdFields)
		switch {
		case errors.Is(err, imports.ErrFormat):
			return badArg("Tệp %s không phải Excel (.xlsx) hay CSV (.csv).", file)
		case errors.Is(err, imports.ErrNoHeader):
			return fmt.Errorf("không tìm thấy dòng tiêu đề cột trong 10 dòng đầu của %s: cần ít nhất hai cột như “Chủ hộ”, “Thôn”, “Số nhân khẩu”", file)
		case err != nil:
			return err
		}
		m := imports.Guess(tab.Header, imports.HouseholdFields)
		if err := applyMapping(m, *mapping, tab.Header); err != nil {
			return err
		}
		s, err := e.openExisting(f)
		if err != nil {
			return err
		}
		defer s.Close()
		villageID := ""
		if *village != "" {
			if villageID, err = report.FindVillage(s, *village); err != nil {
				return badArg("Không có thôn, làng %q trong xã. Các thôn, làng hiện có: %s.", *village, villageNames(s))
			}
		}
		var cols []string
		for _, fl := range imports.HouseholdFields {
			if c, ok := m[fl.Key]; ok {
				cols = append(cols, fmt.Sprintf("%s = cột %s (%s)", tx.T(fl.LabelID), imports.ColumnName(c), tab.Header[c]))
			}
		}
		fmt.Fprintln(e.Stdout, tx.T("import.columns", "Columns", strings.Join(cols, "; ")))
		plan, err := imports.PlanHouseholds(s, tab, m, villageID)
		switch {
		case errors.Is(err, imports.ErrNoVillage):
			return badArg("Tệp không có cột thôn, làng: hãy cho biết thôn của cả danh sách bằng --village, hoặc chọn cột bằng --map village=CỘT.")
		case err != nil:
			return badArg("Không nhận ra cột chủ hộ: hãy chọn bằng --map head=CỘT (ví dụ head=B).")
		}
		villageName := func(id string) string {
			if r, ok := s.Row(id); ok {
				return r.Title
			}
			return id
		}
		fmt.Fprintln(e.Stdout, tx.T("import.preview", "N", previewRows))
		shown := 0
		for i := range plan.Rows {
			p := &plan.Rows[i]
			if !p.OK() || shown >= previewRows {
				continue
			}
			h := p.Household
			fmt.Fprintf(e.Stdout, "  %4d  %-28s %-20s %4d  %s\n", p.Line, h.Head, villageName(h.Village), h.Members, h.Phone)
			shown++
		}
		for i := range plan.Rows {
			p := &plan.Rows[i]
			for _, re := range p.Errors {
				fmt.Fprintln(e.Stdout, "  "+re.Text(tx))
			}
			if len(p.Errors) == 0 && p.Duplicate != "" {
				fmt.Fprintln(e.Stdout, "  "+p.DuplicateText(tx, villageName))
			}
		}
		ok, dup, bad := plan.Counts()
		fmt.Fprintln(e.Stdout, tx.T("import.summary", "OK", ok, "Dup", dup, "Bad", bad))
		if !*yes {
			fmt.Fprintln(e.Stdout, tx.T("import.not_saved", "OK", ok))
			return nil
		}
		n, err := plan.Save(s, nil)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.Stdout, tx.T("import.saved", "N", n))
		return nil
	}())
}

// applyMapping changes m by spec ("head=B,members=4"): a column by its
// letter, its number (1 for A) or its heading.
func applyMapping(m imports.Mapping, spec string, header []string) error {
	if strings.TrimSpace(spec) == "" {
		return nil
	}
	keys := map[string]bool{}
	for _, f := range imports.HouseholdFields {
		keys[f.Key] = true
	}
	for _, part := range strings.Split(spec, ",") {
		key, col, ok := strings.Cut(strings.TrimSpace(part), "=")
		key, col = strings.TrimSpace(key), strings.TrimSpace(col)
		if !ok || !keys[key] {
			return badArg("--map: %q không hợp lệ; dạng đúng là trường=cột, trường là head, village, members, phone, ethnicity, religion hoặc notes.", part)
		}
		c, found := columnOf(col, header)
		if !found {
			return badArg("--map: không có cột %q trong tệp.", col)
		}
		m[key] = c
	}
	return nil
}

// columnOf finds a column by letter, number or heading.
func columnOf(ref string, header []string) (int, bool) {
	if n, err := strconv.Atoi(ref); err == nil && n >= 1 && n <= len(header) {
		return n - 1, true
	}
	for c := range header {
		if strings.EqualFold(imports.ColumnName(c), ref) || data.Fold(header[c]) == data.Fold(ref) {
			return c, true
		}
	}
	return 0, false
}
