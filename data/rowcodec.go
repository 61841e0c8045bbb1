package data

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Index rows are stored in a compact binary form: loading 100k of them
// at open must take a fraction of a second, which JSON cannot do.
// Layout: version byte, flags byte, varint N, varint Updated, then
// length-prefixed strings in a fixed order, then the actions, then a
// concern's status history by day (version 3; version 4 adds the
// deadline inputs: thụ lý date, complexity, extension days; version 5 a
// household's or person's phone number, for the lists; version 6 sorts
// persons' names given name first, which changes their keys).

const rowCodecVersion = 6

// errOldRow marks a row written by an older codec: the index is rebuilt
// from the records.
var errOldRow = errors.New("index row of an older version")

const (
	rowDeleted = 1 << iota
	rowConflict
	rowRemote
	rowScreenExt
)

func appendStr(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// encodeRow returns the binary form of r.
func encodeRow(r *Row) []byte {
	b := make([]byte, 0, 96+len(r.Title)+len(r.Fold)+len(r.Key))
	var flags byte
	if r.Deleted {
		flags |= rowDeleted
	}
	if r.Conflict {
		flags |= rowConflict
	}
	if r.Remote {
		flags |= rowRemote
	}
	if r.ScreenExt {
		flags |= rowScreenExt
	}
	b = append(b, rowCodecVersion, flags)
	b = binary.AppendVarint(b, int64(r.N))
	b = binary.AppendVarint(b, r.Updated)
	for _, s := range []string{r.ID, string(r.Kind), r.Village, r.Title, string(r.Date), string(r.End), r.Sub, r.Status, r.Topic, string(r.Deadline), r.Fold, string(r.Key), string(r.Resolved), string(r.Forwarded), r.Channel, string(r.Accepted), r.Complexity, r.Phone} {
		b = appendStr(b, s)
	}
	b = binary.AppendVarint(b, int64(r.ExtDays))
	b = binary.AppendUvarint(b, uint64(len(r.Actions)))
	for _, a := range r.Actions {
		for _, s := range []string{a.ID, a.Text, a.Owner, string(a.Due)} {
			b = appendStr(b, s)
		}
		if a.Done {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(r.History)))
	for _, h := range r.History {
		b = appendStr(appendStr(b, string(h.Day)), string(h.Status))
	}
	return b
}

var errRowCodec = errors.New("corrupt index row")

// rowDecoder decodes rows, sharing the memory of repeated short strings
// (village ids, kinds, statuses, dates) between rows.
type rowDecoder struct {
	intern map[string]string
}

func newRowDecoder() *rowDecoder { return &rowDecoder{intern: make(map[string]string, 1024)} }

type rowReader struct {
	b   []byte
	err error
}

func (r *rowReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errRowCodec
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *rowReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errRowCodec
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *rowReader) bytes() []byte {
	n := r.uvarint()
	if r.err != nil || uint64(len(r.b)) < n {
		r.err = errRowCodec
		return nil
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}

// str copies the next string; shared ones come from the intern table.
func (d *rowDecoder) str(r *rowReader, share bool) string {
	b := r.bytes()
	if !share {
		return string(b)
	}
	if s, ok := d.intern[string(b)]; ok {
		return s
	}
	s := string(b)
	d.intern[s] = s
	return s
}

// decode parses the binary form of a row.
func (d *rowDecoder) decode(b []byte) (*Row, error) {
	if len(b) >= 1 && b[0] < rowCodecVersion {
		return nil, errOldRow
	}
	if len(b) < 2 || b[0] != rowCodecVersion {
		return nil, fmt.Errorf("decode index row: version %v: %w", b[:min(1, len(b))], errRowCodec)
	}
	flags := b[1]
	r := &rowReader{b: b[2:]}
	row := &Row{Deleted: flags&rowDeleted != 0, Conflict: flags&rowConflict != 0, Remote: flags&rowRemote != 0, ScreenExt: flags&rowScreenExt != 0}
	row.N = int(r.varint())
	row.Updated = r.varint()
	row.ID = d.str(r, false)
	row.Kind = Kind(d.str(r, true))
	row.Village = d.str(r, true)
	row.Title = d.str(r, false)
	row.Date = Date(d.str(r, true))
	row.End = Date(d.str(r, true))
	row.Sub = d.str(r, true)
	row.Status = d.str(r, true)
	row.Topic = d.str(r, true)
	row.Deadline = Date(d.str(r, true))
	row.Fold = d.str(r, false)
	row.Key = append([]byte(nil), r.bytes()...)
	row.Resolved = Date(d.str(r, true))
	row.Forwarded = Date(d.str(r, true))
	row.Channel = d.str(r, true)
	row.Accepted = Date(d.str(r, true))
	row.Complexity = d.str(r, true)
	row.Phone = d.str(r, false)
	row.ExtDays = int(r.varint())
	n := r.uvarint()
	if n > 0 && r.err == nil {
		row.Actions = make([]ActionRow, 0, min(n, 64))
		for i := uint64(0); i < n && r.err == nil; i++ {
			a := ActionRow{ID: d.str(r, false), Text: d.str(r, false), Owner: d.str(r, true), Due: Date(d.str(r, true))}
			if len(r.b) < 1 {
				r.err = errRowCodec
				break
			}
			a.Done = r.b[0] == 1
			r.b = r.b[1:]
			row.Actions = append(row.Actions, a)
		}
	}
	if n := r.uvarint(); n > 0 && r.err == nil {
		row.History = make([]StatusAt, 0, min(n, 64))
		for i := uint64(0); i < n && r.err == nil; i++ {
			row.History = append(row.History, StatusAt{Day: Date(d.str(r, true)), Status: ConcernStatus(d.str(r, true))})
		}
	}
	if r.err != nil {
		return nil, fmt.Errorf("decode index row: %w", r.err)
	}
	return row, nil
}
