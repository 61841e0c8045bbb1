package sync

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"danvan/data"
)

// The compact wire form of records, protocol version 2 (see
// docs/sync-protocol.md, "Wire format"). A data.Record spells out a stamp
// {"w","c","d":"<36-character device id>"} on every field; here a batch
// names each device once (Devices), a stamp is [wall, counter, device
// index], and a record has one default stamp ("s") that every field,
// entry and write without a stamp of its own shares. A record pushed
// with only the fields the server lacks is marked partial ("p").

// wstamp is an HLC on the wire: [wall ms, counter, device index].
type wstamp [3]int64

// wref is a stamp other than the record's default: a bare number is the
// default stamp with that counter (the ticks of one save), an array a
// whole wstamp.
type wref struct {
	counter bool
	s       wstamp
}

// MarshalJSON writes the number or the array.
func (r wref) MarshalJSON() ([]byte, error) {
	if r.counter {
		return []byte(strconv.FormatInt(r.s[1], 10)), nil
	}
	return json.Marshal(r.s)
}

// UnmarshalJSON reads a number or an array of three numbers.
func (r *wref) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] != '[' {
		n, err := strconv.ParseInt(string(b), 10, 64)
		if err != nil {
			return fmt.Errorf("stamp %q: not a counter or [wall, counter, device]", clipString(string(b), 24))
		}
		*r = wref{counter: true, s: wstamp{0, n, 0}}
		return nil
	}
	*r = wref{}
	return json.Unmarshal(b, &r.s)
}

// wentry is a list entry: S nil means the record's default stamp, O nil
// means the same as S.
type wentry struct {
	V json.RawMessage `json:"v,omitempty"`
	S *wref           `json:"s,omitempty"`
	O *wref           `json:"o,omitempty"`
	D bool            `json:"d,omitempty"`
}

// wwrite is a review write: S nil means the default stamp, B nil the
// zero stamp (the writer had seen no value).
type wwrite struct {
	V json.RawMessage `json:"v"`
	S *wref           `json:"s,omitempty"`
	B *wref           `json:"b,omitempty"`
}

// wrecord is one record on the wire.
type wrecord struct {
	ID      string                       `json:"i"`
	Kind    data.Kind                    `json:"k"`
	Commune string                       `json:"c,omitempty"` // "" means the batch's commune
	Created *wref                        `json:"cr,omitempty"`
	S       *wstamp                      `json:"s,omitempty"`
	F       map[string]json.RawMessage   `json:"f,omitempty"`
	FS      map[string]wref              `json:"fs,omitempty"`
	L       map[string]map[string]wentry `json:"l,omitempty"`
	R       map[string][]wwrite          `json:"r,omitempty"`
	Partial bool                         `json:"p,omitempty"`
}

// wbatch is a push body, and one page of a pull stream.
type wbatch struct {
	// V is the wire version, WireVersion.
	V int `json:"v"`
	// Commune is the commune of records that name none.
	Commune string `json:"c,omitempty"`
	// Records are the records, in order.
	Records []wrecord `json:"records"`
	// Devices are the device ids the stamps index.
	Devices []string `json:"dev"`
	// Cursor and More are set on pull pages.
	Cursor uint64 `json:"cursor,omitempty"`
	More   bool   `json:"more,omitempty"`
	// Waiting, on the first page of a pull answer, is about how many
	// changes waited after the cursor asked from (for the laptop's
	// progress and time left).
	Waiting int `json:"waiting,omitempty"`
}

// WireVersion is the version of the record encoding and of the push and
// pull paths ("/v2/...").
const WireVersion = 2

// wireEncoder turns records into their compact form, interning device
// ids; one encoder serves one batch or page.
type wireEncoder struct {
	commune string
	dev     map[string]int64
	devs    []string
}

func newWireEncoder(commune string) *wireEncoder {
	return &wireEncoder{commune: commune, dev: map[string]int64{}}
}

func (e *wireEncoder) stamp(h data.HLC) wstamp {
	i, ok := e.dev[h.Device]
	if !ok {
		i = int64(len(e.devs))
		e.dev[h.Device] = i
		e.devs = append(e.devs, h.Device)
	}
	return wstamp{h.Wall, int64(h.Counter), i}
}

// record encodes r. With since non-zero only the fields, entries and
// writes stamped after since are kept, and the record is marked partial.
func (e *wireEncoder) record(r *data.Record, since data.HLC) wrecord {
	keep := func(h data.HLC) bool { return since.IsZero() || h.Compare(since) > 0 }
	// the default stamp: the most frequent among what is sent
	count := map[data.HLC]int{}
	for _, f := range r.Fields {
		if keep(f.S) {
			count[f.S]++
		}
	}
	for _, l := range r.Lists {
		for _, en := range l {
			if keep(en.S) {
				count[en.S]++
			}
		}
	}
	for _, ws := range r.Reviews {
		for _, w := range ws {
			if keep(w.S) {
				count[w.S]++
			}
		}
	}
	def, best := r.Created, 0
	for h, n := range count {
		if n > best || (n == best && h.Compare(def) < 0) {
			def, best = h, n
		}
	}
	out := wrecord{ID: r.ID, Kind: r.Kind, Partial: !since.IsZero()}
	if r.Commune != e.commune {
		out.Commune = r.Commune
	}
	ds := e.stamp(def)
	out.S = &ds
	ref := func(h data.HLC) *wref {
		switch {
		case h == def:
			return nil
		case h.Wall == def.Wall && h.Device == def.Device:
			return &wref{counter: true, s: wstamp{0, int64(h.Counter), 0}}
		}
		return &wref{s: e.stamp(h)}
	}
	out.Created = ref(r.Created)
	for n, f := range r.Fields {
		if !keep(f.S) {
			continue
		}
		if out.F == nil {
			out.F = map[string]json.RawMessage{}
		}
		out.F[n] = f.V
		if f.S != def {
			if out.FS == nil {
				out.FS = map[string]wref{}
			}
			out.FS[n] = *ref(f.S)
		}
	}
	for n, l := range r.Lists {
		for id, en := range l {
			if !keep(en.S) {
				continue
			}
			if out.L == nil {
				out.L = map[string]map[string]wentry{}
			}
			if out.L[n] == nil {
				out.L[n] = map[string]wentry{}
			}
			we := wentry{V: en.V, S: ref(en.S), D: en.D}
			if en.O != en.S {
				if en.O == def {
					we.O = &wref{s: e.stamp(def)} // nil would mean "as S"
				} else {
					we.O = ref(en.O)
				}
			}
			out.L[n][id] = we
		}
	}
	for n, ws := range r.Reviews {
		for _, w := range ws {
			if !keep(w.S) {
				continue
			}
			if out.R == nil {
				out.R = map[string][]wwrite{}
			}
			ww := wwrite{V: w.V, S: ref(w.S)}
			if !w.B.IsZero() {
				if w.B == def {
					ww.B = &wref{s: e.stamp(def)} // nil would mean "zero"
				} else {
					ww.B = ref(w.B)
				}
			}
			out.R[n] = append(out.R[n], ww)
		}
	}
	return out
}

// wireDecodeError is a record of a batch whose compact form is wrong: a
// stamp out of range or naming no device of the batch.
type wireDecodeError struct {
	Index int
	ID    string
	Err   string
}

// decodeRecords turns a batch's compact records back into data.Records;
// partial[i] says whether record i carries only changed fields. Records
// whose stamps do not decode are named in bad, and left out of recs'
// meaning (their slot holds what could be decoded).
func (b *wbatch) decodeRecords() (recs []data.Record, partial []bool, bad []wireDecodeError) {
	recs = make([]data.Record, len(b.Records))
	partial = make([]bool, len(b.Records))
	for i := range b.Records {
		r, err := b.decodeRecord(&b.Records[i])
		if err != nil {
			bad = append(bad, wireDecodeError{Index: i, ID: b.Records[i].ID, Err: err.Error()})
		}
		recs[i], partial[i] = r, b.Records[i].Partial
	}
	return recs, partial, bad
}

func (b *wbatch) decodeRecord(w *wrecord) (data.Record, error) {
	var failed error
	stamp := func(where string, s wstamp) data.HLC {
		switch {
		case s[0] < 0:
			failed = fmt.Errorf("%s: negative stamp time", where)
		case s[1] < 0 || s[1] > math.MaxUint32:
			failed = fmt.Errorf("%s: stamp counter %d out of range", where, s[1])
		case s[2] < 0 || s[2] >= int64(len(b.Devices)):
			failed = fmt.Errorf("%s: stamp device %d is not in the batch's device list", where, s[2])
		default:
			return data.HLC{Wall: s[0], Counter: uint32(s[1]), Device: b.Devices[s[2]]}
		}
		return data.HLC{}
	}
	if w.S == nil {
		return data.Record{}, fmt.Errorf("s: no default stamp")
	}
	def := stamp("s", *w.S)
	ref := func(where string, s *wref, dflt data.HLC) data.HLC {
		switch {
		case s == nil:
			return dflt
		case s.counter:
			if s.s[1] < 0 || s.s[1] > math.MaxUint32 {
				failed = fmt.Errorf("%s: stamp counter %d out of range", where, s.s[1])
				return data.HLC{}
			}
			return data.HLC{Wall: def.Wall, Counter: uint32(s.s[1]), Device: def.Device}
		}
		return stamp(where, s.s)
	}
	r := data.Record{ID: w.ID, Kind: w.Kind, Commune: w.Commune, Created: ref("cr", w.Created, def)}
	if r.Commune == "" {
		r.Commune = b.Commune
	}
	if len(w.F) > 0 {
		r.Fields = make(map[string]data.Field, len(w.F))
		for n, v := range w.F {
			s := def
			if fs, ok := w.FS[n]; ok {
				s = ref("f."+n, &fs, def)
			}
			r.Fields[n] = data.Field{V: v, S: s}
		}
	}
	for n := range w.FS {
		if _, ok := w.F[n]; !ok {
			return r, fmt.Errorf("fs.%s: a stamp for no field", clipString(n, 64))
		}
	}
	if len(w.L) > 0 {
		r.Lists = make(map[string]map[string]data.Entry, len(w.L))
		for n, l := range w.L {
			m := make(map[string]data.Entry, len(l))
			for id, e := range l {
				s := ref("l."+n, e.S, def)
				m[id] = data.Entry{V: e.V, S: s, O: ref("l."+n, e.O, s), D: e.D}
			}
			r.Lists[n] = m
		}
	}
	if len(w.R) > 0 {
		r.Reviews = make(map[string][]data.Write, len(w.R))
		for n, ws := range w.R {
			out := make([]data.Write, len(ws))
			for i, x := range ws {
				out[i] = data.Write{V: x.V, S: ref("r."+n, x.S, def), B: ref("r."+n, x.B, data.HLC{})}
			}
			r.Reviews[n] = out
		}
	}
	return r, failed
}

// EncodePush returns the body of a push of recs, each sent whole, before
// compression (wire version 2); records of another commune than commune
// name theirs.
func EncodePush(commune string, recs []data.Record) []byte {
	e := newWireEncoder(commune)
	wb := wbatch{V: WireVersion, Commune: commune, Records: make([]wrecord, 0, len(recs))}
	for i := range recs {
		wb.Records = append(wb.Records, e.record(&recs[i], data.HLC{}))
	}
	wb.Devices = append([]string{}, e.devs...)
	b, _ := json.Marshal(wb)
	return b
}
