// Package assets embeds the static data files shipped with Sổ tay Dân vận:
// the 2025 list of Vietnam's administrative units and its licence.
//
// See ATTRIBUTION.md for the source and licence of the data.
package assets

import _ "embed"

// ProvincesCSV is vn-provinces-2025.csv: the 34 provinces and
// centrally-run cities in force from 1 July 2025, UTF-8 (NFC) CSV with the
// header "province_code,province_name" and 2-digit codes
// (QĐ 19/2025/QĐ-TTg).
//
//go:embed vn-provinces-2025.csv
var ProvincesCSV []byte

// CommunesCSV is vn-communes-2025.csv: the 3,321 communes, wards and special
// zones in force from 1 July 2025, UTF-8 (NFC) CSV with the header
// "commune_code,commune_name,province_code" and 5-digit commune codes
// (QĐ 19/2025/QĐ-TTg).
//
//go:embed vn-communes-2025.csv
var CommunesCSV []byte

// UnitsLicence is the MIT licence text of the "vietnamese-provinces-database"
// dataset by Thang Le Quoc, from which ProvincesCSV and CommunesCSV are
// extracted. It must be shown or shipped with the data.
//
//go:embed LICENSE-vietnamese-provinces-database.txt
var UnitsLicence []byte

// Attribution is ATTRIBUTION.md: the human-readable credit for the embedded
// data, suitable for an "About" screen.
//
//go:embed ATTRIBUTION.md
var Attribution []byte
