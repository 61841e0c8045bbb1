package data

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// The processing record and the breach log that the Law on Personal
// Data Protection (Luật Bảo vệ dữ liệu cá nhân, Luật 91/2025/QH15) and
// Nghị định 356/2025/NĐ-CP ask of whoever processes personal data: what
// data is kept, why, who sees it and where it goes; and every breach,
// with the notice to the authority due within 72 hours of its discovery.

// Processing is one kind of personal data the app keeps, as the record
// of processing lists it. The texts are label ids of the catalogue.
type Processing struct {
	// Data names the data ("Chủ hộ, số điện thoại"); Sensitive says it is
	// sensitive personal data (ethnicity, religion, a denouncer's
	// identity), which is shown only on request and audited.
	Data      string
	Sensitive bool
	// Purpose, Who and Where are why it is kept, who sees it, and where
	// it goes beyond this laptop.
	Purpose, Who, Where string
}

// ProcessingRecord is the app's record of processing, one entry per kind
// of personal data, as the code handles each: households' ethnicity and
// religion are gated (report.Options.IncludeSensitive, the province's
// --sensitive users), a denouncer's identity never leaves the laptop
// (Concern.Denouncer is not in the record's JSON: it is kept apart, see
// Store.Denouncer), the rest syncs to the province.
var ProcessingRecord = []Processing{
	{Data: "privacy.data.households", Purpose: "privacy.purpose.households", Who: "privacy.who.commune", Where: "privacy.where.province"},
	{Data: "privacy.data.ethnicity", Sensitive: true, Purpose: "privacy.purpose.ethnicity", Who: "privacy.who.sensitive", Where: "privacy.where.province_sensitive"},
	{Data: "privacy.data.persons", Purpose: "privacy.purpose.persons", Who: "privacy.who.commune", Where: "privacy.where.province"},
	{Data: "privacy.data.raisers", Purpose: "privacy.purpose.raisers", Who: "privacy.who.commune", Where: "privacy.where.province"},
	{Data: "privacy.data.denouncers", Sensitive: true, Purpose: "privacy.purpose.denouncers", Who: "privacy.who.handler", Where: "privacy.where.never"},
	{Data: "privacy.data.cadres", Purpose: "privacy.purpose.cadres", Who: "privacy.who.commune", Where: "privacy.where.province"},
}

// BreachNotice is the time within which a breach must be notified to
// the authority, from its discovery (Nghị định 356/2025/NĐ-CP).
const BreachNotice = 72 * time.Hour

// Breach is a personal-data breach as the log keeps it.
type Breach struct {
	ID         string    `json:"id"`
	Discovered time.Time `json:"discovered"`
	What       string    `json:"what"`
	// Affected is the data concerned; People how many persons.
	Affected string `json:"affected,omitempty"`
	People   int    `json:"people,omitempty"`
	// Notified is when the authority was told (zero: not yet), and To
	// which authority.
	Notified time.Time `json:"notified,omitempty"`
	To       string    `json:"to,omitempty"`
	Actions  string    `json:"actions,omitempty"`
	By       string    `json:"by,omitempty"`
}

// Due is when the notice is due.
func (b *Breach) Due() time.Time { return b.Discovered.Add(BreachNotice) }

// Late reports whether the notice was not given in time, as of now:
// given after it was due, or not given and now past due.
func (b *Breach) Late(now time.Time) bool {
	if !b.Notified.IsZero() {
		return b.Notified.After(b.Due())
	}
	return now.After(b.Due())
}

// ErrBreachNotFound is returned for a breach id the log does not hold.
var ErrBreachNotFound = errors.New("no such breach in the log")

const metaBreaches = "privacy/breaches"

// Breaches returns the log, the latest discovery first.
func (s *Store) Breaches() ([]Breach, error) {
	var out []Breach
	if b := s.Meta(metaBreaches); b != nil {
		if err := json.Unmarshal(b, &out); err != nil {
			return nil, fmt.Errorf("read the breach log: %w", err)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Discovered.After(out[j].Discovered) })
	return out, nil
}

// SaveBreach adds b to the log, or replaces the entry with its id. It is
// refused, naming the field, without a discovery time or a description,
// with a notice before the discovery, or with a negative count.
func (s *Store) SaveBreach(b Breach) error {
	b.What, b.Affected, b.To, b.Actions = NFC(strings.TrimSpace(b.What)), NFC(strings.TrimSpace(b.Affected)), NFC(strings.TrimSpace(b.To)), NFC(strings.TrimSpace(b.Actions))
	var errs []FieldError
	if b.Discovered.IsZero() {
		errs = append(errs, FieldError{Field: "privacy.field.discovered", Msg: MsgRequired})
	}
	if b.What == "" {
		errs = append(errs, FieldError{Field: "privacy.field.what", Msg: MsgRequired})
	}
	if b.People < 0 {
		errs = append(errs, FieldError{Field: "privacy.field.people", Msg: MsgNegative})
	}
	if !b.Notified.IsZero() && !b.Discovered.IsZero() && b.Notified.Before(b.Discovered) {
		errs = append(errs, FieldError{Field: "privacy.field.notified", Msg: MsgDateOrder, Other: "privacy.field.discovered"})
	}
	if len(errs) > 0 {
		return &ValidationError{Kind: "breach", Fields: errs}
	}
	log, err := s.Breaches()
	if err != nil {
		return err
	}
	if b.ID == "" {
		b.ID = NewID()
	}
	if b.By == "" {
		b.By = s.Actor()
	}
	replaced := false
	for i := range log {
		if log[i].ID == b.ID {
			log[i], replaced = b, true
		}
	}
	if !replaced {
		log = append(log, b)
	}
	v, err := json.Marshal(log)
	if err != nil {
		return fmt.Errorf("save the breach log: %w", err)
	}
	if err := s.SetMeta(metaBreaches, v); err != nil {
		return err
	}
	return s.LogAudit(b.ID, "breach", AuditBreach)
}
