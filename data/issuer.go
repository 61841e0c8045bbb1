package data

import (
	"strings"
)

// UnitKind is the kind of body the cadre's unit is. It decides the
// heading of the documents the unit issues: a Party body's reports carry
// the Party heading, a state body's and a mass organisation's the
// national one.
type UnitKind string

// The unit kinds.
const (
	// UnitParty is a Party body, e.g. the commune Party committee's Ban
	// Xây dựng Đảng, which since the 2025 reform carries the commune's
	// dân vận work. Its documents follow Quy định 66-QĐ/TW and Hướng dẫn
	// 36-HD/VPTW: "ĐẢNG BỘ …" and the body on the left, "ĐẢNG CỘNG SẢN
	// VIỆT NAM" on the right, numbers written "Số 12-BC/BXDĐ".
	UnitParty UnitKind = "party"
	// UnitState is a state body, e.g. the commune People's Committee. Its
	// documents follow Nghị định 30/2020/NĐ-CP: the body on the left,
	// "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc"
	// on the right, numbers written "Số: 12/BC-UBND".
	UnitState UnitKind = "state"
	// UnitMass is the Vietnam Fatherland Front (MTTQ) or a mass
	// organisation under it; its documents use the national heading and
	// the state's number form.
	UnitMass UnitKind = "mass"
)

// UnitKinds are the unit kinds, in the order the profile offers them.
var UnitKinds = []UnitKind{UnitParty, UnitState, UnitMass}

// Valid reports whether k is one of UnitKinds.
func (k UnitKind) Valid() bool {
	for _, u := range UnitKinds {
		if k == u {
			return true
		}
	}
	return false
}

// Issuer is what a unit's documents carry besides their content: the
// heading's bodies, the number's symbol, who signs, and who receives it.
// It is part of the cadre's Profile.
type Issuer struct {
	UnitKind UnitKind `json:"unit_kind,omitempty"`
	// Parent is the body above the unit, on the heading's first line:
	// "Đảng bộ xã Đăk Long" above a ban of the commune Party committee.
	Parent string `json:"parent,omitempty"`
	// Symbol is the unit's abbreviation in document numbers: "BXDĐ" in
	// "Số   -BC/BXDĐ", "UBND" in "Số:   /BC-UBND".
	Symbol string `json:"symbol,omitempty"`
	// SignerRole is the signer's title above the signature, one line per
	// line: "Trưởng ban", or "K/T Trưởng ban\nPhó Trưởng ban".
	SignerRole string `json:"signer_role,omitempty"`
	// Signer is who signs; "" means the profile's Name.
	Signer string `json:"signer,omitempty"`
	// Recipients is the "Nơi nhận" list, one recipient per line.
	Recipients string `json:"recipients,omitempty"`
}

// communeWords splits a commune's name into its level and its proper
// name: "Xã Đăk Long" → "xã", "Đăk Long". A name without a level is
// taken as a xã's.
func communeWords(name string) (level, proper string) {
	name = strings.TrimSpace(name)
	for _, l := range []string{"Xã", "Phường", "Đặc khu", "Thị trấn"} {
		if rest, ok := strings.CutPrefix(name, l+" "); ok {
			return strings.ToLower(l), rest
		}
	}
	return "xã", name
}

// SuggestUnit returns the unit name and the issuer a unit of kind k in
// the commune named commune would most likely have, for the profile to
// offer: a Party body is the commune Party committee's Ban Xây dựng
// Đảng, a state body the commune People's Committee, a mass organisation
// the commune's Fatherland Front committee.
func SuggestUnit(k UnitKind, commune string) (unit string, is Issuer) {
	level, proper := communeWords(commune)
	place := level + " " + proper
	is.UnitKind = k
	switch k {
	case UnitParty:
		unit = "Ban Xây dựng Đảng Đảng ủy " + place
		is.Parent = "Đảng bộ " + place
		is.Symbol = "BXDĐ"
		is.SignerRole = "Trưởng ban"
		is.Recipients = "Ban Thường vụ Đảng ủy " + place + " (b/c)\nLưu Văn phòng Đảng ủy"
	case UnitState:
		unit = "Ủy ban nhân dân " + place
		is.Symbol = "UBND"
		is.SignerRole = "TM. Ủy ban nhân dân\nChủ tịch"
		is.Recipients = "Thường trực Đảng ủy " + place + " (b/c)\nLưu: VT"
	case UnitMass:
		unit = "Ủy ban Mặt trận Tổ quốc Việt Nam " + place
		is.Symbol = "MTTQ"
		is.SignerRole = "TM. Ban Thường trực\nChủ tịch"
		is.Recipients = "Thường trực Đảng ủy " + place + " (b/c)\nLưu: VT"
	}
	return unit, is
}

// HeadingBodies returns the lines of the heading's left part for unit:
// the body above it (not bold) and the unit itself (bold), as Quy định
// 66-QĐ/TW and Nghị định 30/2020/NĐ-CP place them. A Party ban named
// with its committee ("Ban Xây dựng Đảng Đảng ủy xã Đăk Long") is
// printed as "Ban Xây dựng Đảng" under "Đảng bộ xã Đăk Long": the
// committee is already the first line.
func (is Issuer) HeadingBodies(unit string) (parent, body string) {
	body = strings.TrimSpace(unit)
	parent = strings.TrimSpace(is.Parent)
	if is.UnitKind == UnitParty && parent != "" {
		if i := strings.Index(body, " Đảng ủy "); i > 0 {
			body = body[:i]
		}
	}
	return parent, body
}

// RecipientLines returns the "Nơi nhận" lines, each as "- name,", the
// last one ending with a full stop, as both document rules write them.
func (is Issuer) RecipientLines() []string {
	var out []string
	for _, l := range strings.Split(is.Recipients, "\n") {
		l = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(l), "-–•"))
		l = strings.TrimRight(l, ",.;")
		if l != "" {
			out = append(out, "- "+l+",")
		}
	}
	if n := len(out); n > 0 {
		out[n-1] = strings.TrimSuffix(out[n-1], ",") + "."
	}
	return out
}
