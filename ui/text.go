package ui

import (
	"errors"
	"strconv"
	"strings"

	"danvan/data"
	"danvan/i18n"
)

// localText holds the strings this package needs that the i18n catalogue
// does not have yet, keyed by the id they should get there. T looks in the
// catalogue first, so an id added to i18n takes over from this map.
var localText = map[string]string{
	"auth.create":           "Tạo sổ tay",
	"auth.create_intro":     "Đặt mật khẩu để mã hóa sổ tay trên máy tính này (ít nhất {{.Min}} ký tự).",
	"auth.unlock_intro":     "Nhập mật khẩu để mở sổ tay.",
	"auth.skip":             "Bỏ qua",
	"auth.skip_confirm":     "Vẫn bỏ qua mật khẩu",
	"auth.skip_warning":     "Không có mật khẩu, sổ tay vẫn được mã hóa nhưng chỉ được bảo vệ bằng một tệp khóa lưu trên chính máy tính này: ai dùng được máy này đều mở được dữ liệu. Chỉ nên bỏ qua trên máy tính riêng, có mật khẩu đăng nhập.",
	"btn.retry":             "Thử lại",
	"commune.choose":        "Chọn xã này",
	"commune.intro":         "Chọn xã, phường nơi anh/chị công tác. Sổ tay chỉ gắn với một xã và không đổi được sau khi chọn.",
	"commune.selected":      "Đã chọn: {{.Name}} (mã {{.Code}})",
	"commune.none_selected": "Gõ một phần tên xã, có dấu hoặc không dấu, rồi chọn trong danh sách.",
	"overview.store":        "Kho dữ liệu: {{.Dir}}",
	"kind.household":        "Hộ gia đình",
	"kind.person":           "Người có uy tín, cốt cán",
}

// kindLabel names each record kind shown on the overview: an existing
// screen title where there is one, else a proposed kind.* id.
var kindLabel = map[data.Kind]string{
	data.KindVillage:   "screen.villages",
	data.KindHousehold: "kind.household",
	data.KindPerson:    "kind.person",
	data.KindConcern:   "screen.concerns",
	data.KindMeeting:   "screen.meetings",
	data.KindVisit:     "screen.visits",
	data.KindModel:     "screen.models",
}

// minPassphrase is the shortest passphrase a new store accepts.
const minPassphrase = 8

// texts translates ids through the i18n catalogue, falling back to
// localText for ids the catalogue lacks.
type texts struct{ loc *i18n.Localizer }

// T returns the text of id with the given key/value template arguments.
func (t texts) T(id string, args ...any) string {
	if s := t.loc.T(id, args...); s != id {
		return s
	}
	s, ok := localText[id]
	if !ok {
		return id
	}
	for i := 0; i+1 < len(args); i += 2 {
		if k, ok := args[i].(string); ok {
			s = strings.ReplaceAll(s, "{{."+k+"}}", toString(args[i+1]))
		}
	}
	return s
}

func toString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	default:
		return ""
	}
}

// errorText is the message the user sees for an error from the store.
func (t texts) errorText(err error) string {
	switch {
	case errors.Is(err, data.ErrWrongPassphrase):
		return t.T("err.wrong_passphrase")
	case errors.Is(err, data.ErrAlreadyOpen):
		return t.T("err.already_open")
	case errors.Is(err, data.ErrNewerSchema):
		return t.T("err.newer_version")
	default:
		return t.T("err.generic") + "\n" + t.T("err.detail", "Detail", err.Error())
	}
}

// formatCount writes n with dots between thousands, as Vietnamese does:
// 12345 → "12.345".
func formatCount(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
