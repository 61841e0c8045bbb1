package data

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	stdsync "sync"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Wire limits: what a record received from elsewhere (pushed to the
// server, pulled by a laptop) may hold. They are far above what the app
// writes (a concern's content is a few KB) and far below what would make
// a page or a laptop choke.
const (
	MaxWireValue   = 64 << 10  // bytes of one field, list entry or review value
	MaxWireRecord  = 512 << 10 // bytes of all values of a record
	MaxWireEntries = 2000      // entries of one list, writes of one review field
	MaxWireName    = 64        // bytes of a field name, device id or list entry id
	maxCommuneLen  = 10
)

// WireError says which part of a received record is wrong. Field is the
// record's field ("f.members", "created", "id"), and Label, when the
// record's own Validate refused it, the i18n label of that field.
type WireError struct {
	Field  string
	Label  string
	Reason string
}

// Error names the field and the reason.
func (e *WireError) Error() string { return e.Field + ": " + e.Reason }

func wireErr(field, format string, args ...any) *WireError {
	return &WireError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// knownFields returns the names a record of kind may carry: the JSON
// names of its object's fields, and the tombstone.
var knownFields = stdsync.OnceValue(func() map[Kind]map[string]bool {
	out := map[Kind]map[string]bool{}
	for _, k := range Kinds {
		names := map[string]bool{deletedField: true}
		if obj := NewObject(k); obj != nil {
			jsonNames(reflect.TypeOf(obj).Elem(), names)
		}
		out[k] = names
	}
	return out
})

func jsonNames(t reflect.Type, into map[string]bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if f.Anonymous && tag == "" {
			if ft := f.Type; ft.Kind() == reflect.Struct {
				jsonNames(ft, into)
			}
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		into[name] = true
	}
}

// CheckWire checks a record received over the wire, beyond what JSON
// decoding already ensured: a canonical, non-nil UUID; a commune code; a
// creation stamp; stamps with no negative wall time and device ids of
// at most MaxWireName bytes; field names the kind knows; values that are
// valid UTF-8, hold no NUL and stay within the size limits; values that
// decode into the kind; and, for a record that is not deleted, the same
// rules as Validate (without the village check, which needs the
// commune's store). It returns a *WireError naming the first bad field.
// The server runs it on every pushed record, a laptop on every pulled
// one.
func CheckWire(r *Record) error { return checkWire(r, true) }

// CheckWirePart applies the structural checks of CheckWire to a record
// that carries only some of its fields (a partial push): every check but
// Validate, which needs the whole record.
func CheckWirePart(r *Record) error { return checkWire(r, false) }

func checkWire(r *Record, whole bool) error {
	if u, err := uuid.Parse(r.ID); err != nil || u.String() != r.ID {
		return wireErr("id", "not a canonical lower-case UUID")
	} else if u == uuid.Nil {
		return wireErr("id", "nil UUID")
	}
	if !r.Kind.Valid() {
		return wireErr("kind", "unknown kind %q", clipWire(string(r.Kind), 32))
	}
	if n := len(r.Commune); n == 0 || n > maxCommuneLen || strings.Trim(r.Commune, "0123456789") != "" {
		return wireErr("commune", "not a commune code")
	}
	if err := wireStamp("created", r.Created); err != nil {
		return err
	}
	if r.Created.Wall <= 0 {
		return wireErr("created", "no creation time")
	}
	known := knownFields()[r.Kind]
	total := 0
	value := func(where string, v json.RawMessage, required bool) error {
		if len(v) == 0 {
			if required {
				return wireErr(where, "no value")
			}
			return nil
		}
		total += len(v)
		switch {
		case len(v) > MaxWireValue:
			return wireErr(where, "value of %d bytes, above %d", len(v), MaxWireValue)
		case total > MaxWireRecord:
			return wireErr(where, "record values above %d bytes", MaxWireRecord)
		case !utf8.Valid(v):
			return wireErr(where, "invalid UTF-8")
		case bytes.IndexByte(v, 0) >= 0 || bytes.Contains(v, []byte(`\u0000`)):
			return wireErr(where, "NUL character")
		}
		return nil
	}
	name := func(prefix, n string) (string, error) {
		where := prefix + clipWire(n, MaxWireName)
		if !utf8.ValidString(n) || strings.IndexByte(n, 0) >= 0 {
			return where, wireErr(prefix+"?", "field name is not valid UTF-8")
		}
		if !known[n] {
			return where, wireErr(where, "unknown field of a %s", r.Kind)
		}
		return where, nil
	}
	for n, f := range r.Fields {
		where, err := name("f.", n)
		if err != nil {
			return err
		}
		if err := wireStamp(where, f.S); err != nil {
			return err
		}
		if err := value(where, f.V, true); err != nil {
			return err
		}
	}
	for n, l := range r.Lists {
		where, err := name("l.", n)
		if err != nil {
			return err
		}
		if len(l) > MaxWireEntries {
			return wireErr(where, "%d entries, above %d", len(l), MaxWireEntries)
		}
		for id, e := range l {
			if len(id) > MaxWireName || !utf8.ValidString(id) || strings.IndexByte(id, 0) >= 0 {
				return wireErr(where, "bad entry id")
			}
			if err := wireStamp(where, e.S); err != nil {
				return err
			}
			if err := wireStamp(where, e.O); err != nil {
				return err
			}
			if err := value(where, e.V, !e.D); err != nil {
				return err
			}
		}
	}
	for n, ws := range r.Reviews {
		where, err := name("r.", n)
		if err != nil {
			return err
		}
		if len(ws) > MaxWireEntries {
			return wireErr(where, "%d writes, above %d", len(ws), MaxWireEntries)
		}
		for _, w := range ws {
			if err := wireStamp(where, w.S); err != nil {
				return err
			}
			if err := wireStamp(where, w.B); err != nil {
				return err
			}
			if err := value(where, w.V, true); err != nil {
				return err
			}
		}
	}
	obj, err := DecodeRecord(r)
	if err != nil {
		return wireErr("record", "values do not decode as a %s: %v", r.Kind, err)
	}
	if r.Deleted() || !whole {
		return nil
	}
	if err := Validate(obj, nil); err != nil {
		if v, ok := AsValidation(err); ok && len(v.Fields) > 0 {
			fe := v.Fields[0]
			return &WireError{Field: wireFieldOf(fe.Field), Label: fe.Field, Reason: fe.Msg}
		}
		return wireErr("record", "%v", err)
	}
	return nil
}

// wireFieldOf turns a field label id ("field.household.members") into
// the record field it names ("f.members").
func wireFieldOf(label string) string {
	if i := strings.LastIndexByte(label, '.'); i >= 0 {
		return "f." + label[i+1:]
	}
	return label
}

func wireStamp(where string, h HLC) error {
	switch {
	case h.Wall < 0:
		return wireErr(where, "negative stamp time")
	case len(h.Device) > MaxWireName || !utf8.ValidString(h.Device) || strings.IndexByte(h.Device, 0) >= 0:
		return wireErr(where, "bad stamp device")
	}
	return nil
}

func clipWire(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
