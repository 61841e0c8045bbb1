package sync

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"danvan/data"
)

// Bundles carry a sync over a USB stick, for villages without any signal.
//
// A laptop writes its outbox (every change the server has not
// acknowledged) and its pull cursor into an export bundle. Whoever has
// signal imports it on the server (danvan-server bundle import), or
// forwards it from any enrolled laptop of the same commune (POST
// /v1/bundle). The server applies it exactly like a push and answers with
// a reply bundle: the acknowledged outbox sequences and every record the
// device has not pulled yet. Importing the reply on the laptop completes
// the round trip. Both directions are idempotent, and replies applied in
// any order converge (see docs/sync-protocol.md, "Bundles").
//
// File layout (.dvb):
//
//	magic "DVBUNDLE" | format uint16 | header length uint32 | header JSON
//	| HMAC-SHA256 of everything before it (32 bytes)
//	| AES-256-GCM of gzip(payload JSON), nonce in the header, the MAC as
//	  additional data
//
// The header is readable without a key (kind, ids, commune, outbox range,
// cursors, counts: never record content). The key: the server keeps only
// SHA-256(token) of a device token, so the bundle key is derived from that
// hash, which the laptop (holding the token) and the server (holding the
// hash) both know and nobody else does: HKDF-SHA256 with the token hash
// as secret, a random per-file salt, and one label for the header MAC
// and one for the payload. The hash is not the bearer credential (the
// HTTP API wants the token itself, and SHA-256 cannot be inverted), so
// deriving from it gives a file key without the server ever holding the
// token; the price is that someone who has read the server's database can
// also read and forge that device's bundles, which is no more than that
// database already holds.

// BundleExt is the file name extension of sync bundles.
const BundleExt = ".dvb"

// PathBundle is the endpoint through which an enrolled laptop forwards
// another laptop's export bundle and gets its reply bundle back.
const PathBundle = "/v1/bundle"

// MaxBundleBytes is the largest bundle file read.
const MaxBundleBytes = 256 << 20

// maxForwardBytes is the largest bundle accepted by PathBundle.
const maxForwardBytes = 64 << 20

// The kinds of bundle (BundleHeader.Kind).
const (
	// BundleExport is written by a laptop and imported by the server.
	BundleExport = "export"
	// BundleReply is written by the server and imported by the laptop.
	BundleReply = "reply"
)

// Error codes of PathBundle and of the admin socket's bundle import.
const (
	CodeBundleInvalid = "bundle_invalid" // 400: not a bundle, damaged, truncated, altered, or the wrong kind
	CodeBundleForeign = "bundle_foreign" // 403: for another server, device or commune, or of a revoked device
)

const (
	bundleMagic     = "DVBUNDLE"
	bundleFormat    = 1
	bundleMaxHeader = 64 << 10
	bundleMaxPlain  = 1 << 30 // decompressed payload
	bundleApplySize = 2000    // records per Apply
	metaBundleIn    = "sync/bundle/in/"
)

// Bundle errors. Every failure to read or accept a bundle wraps one of
// them, and nothing is changed when one is returned.
var (
	// ErrBundleCorrupt: the file is not a sync bundle, or it was damaged,
	// truncated or altered after it was written (or forged without the
	// device's key).
	ErrBundleCorrupt = errors.New("sync bundle is damaged, truncated or altered")
	// ErrBundleForeign: the bundle belongs to another server, device or
	// commune, or its device was revoked. A *ForeignBundleError says which.
	ErrBundleForeign = errors.New("sync bundle is not for here")
	// ErrBundleNotReply: a laptop was given an export bundle, which goes
	// to the server.
	ErrBundleNotReply = errors.New("this is a laptop's export bundle, not a reply: take it to the server")
	// ErrBundleNotExport: the server was given a reply bundle, which goes
	// back to its laptop.
	ErrBundleNotExport = errors.New("this is a server's reply bundle: import it on the laptop it is for")
)

// ForeignBundleError says why a bundle is not for here. It matches
// ErrBundleForeign with errors.Is.
type ForeignBundleError struct {
	// Field is what differs: "server", "device", "commune", "forwarder"
	// (a laptop of another commune forwarded it), "revoked", or "remote"
	// (the running server refused it; Detail says why).
	Field string
	// Bundle is the bundle's value, Here this side's.
	Bundle, Here string
	// Detail says it in a sentence.
	Detail string
}

// Error says what differs.
func (e *ForeignBundleError) Error() string { return e.Detail }

// Is makes errors.Is(err, ErrBundleForeign) true.
func (e *ForeignBundleError) Is(target error) bool { return target == ErrBundleForeign }

func foreign(field, bundle, here, format string, args ...any) error {
	return &ForeignBundleError{Field: field, Bundle: bundle, Here: here, Detail: fmt.Sprintf(format, args...)}
}

func corrupt(format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, ErrBundleCorrupt)...)
}

// BundleHeader is the readable, authenticated header of a bundle.
type BundleHeader struct {
	// Format is the file format version (1).
	Format int `json:"format"`
	// Kind is BundleExport or BundleReply.
	Kind string `json:"kind"`
	// ID identifies the bundle (a UUIDv7); the server imports an export
	// under it, so importing the same file twice changes nothing.
	ID string `json:"id"`
	// InReplyTo is, on a reply, the ID of the export it answers.
	InReplyTo string `json:"in_reply_to,omitempty"`
	// Created is when the bundle was written.
	Created time.Time `json:"created"`
	// ServerID is the server database the device is enrolled with.
	ServerID string `json:"server_id"`
	// Device is the server's id of the device (its enrolment), whose
	// token hash keys the bundle; StoreDevice is the laptop store's own id.
	Device      string `json:"device"`
	StoreDevice string `json:"store_device,omitempty"`
	// Commune is the device's commune.
	Commune string `json:"commune"`
	// OutboxFirst and OutboxLast are the outbox range of an export: the
	// lowest and highest outbox sequence it carries (0 when empty).
	OutboxFirst uint64 `json:"outbox_first,omitempty"`
	OutboxLast  uint64 `json:"outbox_last,omitempty"`
	// Entries counts outbox entries: carried by an export, acknowledged
	// by a reply.
	Entries int `json:"entries"`
	// Records counts the records of the payload: the outbox's records in
	// an export, the records pulled for the device in a reply.
	Records int `json:"records"`
	// Since is the pull cursor: in an export, the laptop's cursor; in a
	// reply, the cursor its records follow (0 after a resync).
	Since uint64 `json:"since"`
	// Cursor is, in a reply, the cursor after its records.
	Cursor uint64 `json:"cursor,omitempty"`
	// Resync is, in a reply, "expired" or "ahead" when the server could
	// not serve the export's cursor and sent every record (see the pull
	// endpoint's 410).
	Resync string `json:"resync,omitempty"`
	// Stored and Refused count, in a reply, the exported records the
	// server stored and refused.
	Stored  int `json:"stored,omitempty"`
	Refused int `json:"refused,omitempty"`
	// Salt is the HKDF salt and Nonce the AES-GCM nonce of this file.
	Salt  []byte `json:"salt"`
	Nonce []byte `json:"nonce"`
}

// bundlePayload is the encrypted part of a bundle.
type bundlePayload struct {
	// Records are records' JSON (data.Record): an export's outbox
	// records, a reply's pulled records.
	Records []json.RawMessage `json:"records"`
	// Seqs are, in an export, the outbox sequences of Records[i].
	Seqs [][]uint64 `json:"seqs,omitempty"`
	// Orphans are, in an export, outbox entries whose record is gone
	// (acknowledged with the rest).
	Orphans []uint64 `json:"orphans,omitempty"`
	// Acks are, in a reply, the outbox sequences to remove.
	Acks []uint64 `json:"acks,omitempty"`
	// Accepted are, in a reply, the ids of the exported records stored.
	Accepted []string `json:"accepted,omitempty"`
	// Refused are, in a reply, the exported records refused for good
	// (the laptop quarantines them).
	Refused []RecordError `json:"refused,omitempty"`
}

// bundleKeys derives the payload cipher and the header MAC key of a file
// from the device's token hash (SHA-256 of the token) and the file's salt.
func bundleKeys(tokenHash, salt []byte) (cipher.AEAD, []byte, error) {
	if len(tokenHash) != sha256.Size {
		return nil, nil, errors.New("derive bundle key: token hash has the wrong length")
	}
	ek, err := hkdf.Key(sha256.New, tokenHash, salt, "danvan bundle v1: payload", 32)
	if err != nil {
		return nil, nil, fmt.Errorf("derive bundle key: %w", err)
	}
	mk, err := hkdf.Key(sha256.New, tokenHash, salt, "danvan bundle v1: header", 32)
	if err != nil {
		return nil, nil, fmt.Errorf("derive bundle key: %w", err)
	}
	block, err := aes.NewCipher(ek)
	if err != nil {
		return nil, nil, fmt.Errorf("derive bundle key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, nil, fmt.Errorf("derive bundle key: %w", err)
	}
	return aead, mk, nil
}

// sealBundle writes a bundle of header h and payload p, keyed by the
// device's token hash; it fills h's format, salt and nonce.
func sealBundle(h *BundleHeader, tokenHash []byte, p *bundlePayload) ([]byte, error) {
	h.Format = bundleFormat
	h.Salt, h.Nonce = newRandom(32), newRandom(12)
	aead, macKey, err := bundleKeys(tokenHash, h.Salt)
	if err != nil {
		return nil, err
	}
	hj, err := json.Marshal(h)
	if err != nil {
		return nil, fmt.Errorf("encode bundle header: %w", err)
	}
	var plain bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&plain)
	err = json.NewEncoder(zw).Encode(p)
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	gzipWriters.Put(zw)
	if err != nil {
		return nil, fmt.Errorf("encode bundle payload: %w", err)
	}
	out := make([]byte, 0, len(bundleMagic)+6+len(hj)+sha256.Size+plain.Len()+aead.Overhead())
	out = append(out, bundleMagic...)
	out = binary.BigEndian.AppendUint16(out, bundleFormat)
	out = binary.BigEndian.AppendUint32(out, uint32(len(hj)))
	out = append(out, hj...)
	m := hmac.New(sha256.New, macKey)
	m.Write(out)
	mac := m.Sum(nil)
	out = append(out, mac...)
	return aead.Seal(out, h.Nonce, plain.Bytes(), mac), nil
}

// sealedBundle is a parsed bundle whose header is not yet authenticated.
type sealedBundle struct {
	h            BundleHeader
	covered, mac []byte
	ct           []byte
}

// parseBundle splits raw into its header and sealed payload. The header
// is not authenticated yet: only open proves it.
func parseBundle(raw []byte) (*sealedBundle, error) {
	const fixed = len(bundleMagic) + 6
	if len(raw) < fixed || string(raw[:len(bundleMagic)]) != bundleMagic {
		if len(raw) > 0 && len(raw) < fixed && strings.HasPrefix(bundleMagic, string(raw)) {
			return nil, corrupt("the file ends after %d bytes", len(raw))
		}
		return nil, corrupt("not a sync bundle (no %s mark at the start)", bundleMagic)
	}
	if f := binary.BigEndian.Uint16(raw[len(bundleMagic):]); f != bundleFormat {
		return nil, corrupt("bundle format %d is not known to this version (which reads format %d)", f, bundleFormat)
	}
	hl := int(binary.BigEndian.Uint32(raw[len(bundleMagic)+2:]))
	if hl > bundleMaxHeader {
		return nil, corrupt("header of %d bytes is too large", hl)
	}
	if len(raw) < fixed+hl+sha256.Size {
		return nil, corrupt("the file ends inside its header (%d bytes)", len(raw))
	}
	sb := &sealedBundle{covered: raw[:fixed+hl], mac: raw[fixed+hl : fixed+hl+sha256.Size], ct: raw[fixed+hl+sha256.Size:]}
	if err := json.Unmarshal(raw[fixed:fixed+hl], &sb.h); err != nil {
		return nil, corrupt("header does not decode")
	}
	h := &sb.h
	switch {
	case h.Kind != BundleExport && h.Kind != BundleReply:
		return nil, corrupt("unknown bundle kind %q", clipString(h.Kind, 16))
	case len(h.Salt) != 32 || len(h.Nonce) != 12:
		return nil, corrupt("header has no valid salt or nonce")
	case h.Device == "" || h.ServerID == "" || h.Commune == "" || h.ID == "":
		return nil, corrupt("header lacks its device, server, commune or id")
	}
	return sb, nil
}

// open authenticates the header and decrypts the payload with the
// device's token hash.
func (sb *sealedBundle) open(tokenHash []byte) (*bundlePayload, error) {
	aead, macKey, err := bundleKeys(tokenHash, sb.h.Salt)
	if err != nil {
		return nil, err
	}
	m := hmac.New(sha256.New, macKey)
	m.Write(sb.covered)
	if !hmac.Equal(m.Sum(nil), sb.mac) {
		return nil, corrupt("header does not authenticate with device %s's key (altered, or not written for that device)", sb.h.Device)
	}
	plain, err := aead.Open(nil, sb.h.Nonce, sb.ct, sb.mac)
	if err != nil {
		return nil, corrupt("content does not authenticate (the file is truncated or was altered)")
	}
	zr, err := gzip.NewReader(bytes.NewReader(plain))
	if err != nil {
		return nil, corrupt("content does not decompress")
	}
	js, err := io.ReadAll(io.LimitReader(zr, bundleMaxPlain+1))
	if err != nil || len(js) > bundleMaxPlain {
		return nil, corrupt("content does not decompress")
	}
	var p bundlePayload
	if err := json.Unmarshal(js, &p); err != nil {
		return nil, corrupt("content does not decode: %v", err)
	}
	if len(p.Records) != sb.h.Records {
		return nil, corrupt("content holds %d records, header says %d", len(p.Records), sb.h.Records)
	}
	return &p, nil
}

// ReadBundleHeader returns what the header of the bundle raw says,
// without authenticating it (only importing does): for showing which
// device, commune and range a file is about.
func ReadBundleHeader(raw []byte) (BundleHeader, error) {
	sb, err := parseBundle(raw)
	if err != nil {
		return BundleHeader{}, err
	}
	return sb.h, nil
}

// ReadBundleFile reads a bundle file, refusing one larger than
// MaxBundleBytes.
func ReadBundleFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read sync bundle: %w", err)
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, MaxBundleBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read sync bundle %s: %w", path, err)
	}
	if len(raw) > MaxBundleBytes {
		return nil, corrupt("read sync bundle %s: larger than %d MB", path, MaxBundleBytes>>20)
	}
	return raw, nil
}

// WriteBundleFile writes a bundle to path durably: into a temporary file
// beside it, synced, then renamed over path, so a pulled USB stick
// leaves either the old file or the whole new one.
func WriteBundleFile(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".dongbo-*.tmp")
	if err != nil {
		return fmt.Errorf("write sync bundle %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(b)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("write sync bundle %s: %w", path, err)
	}
	return nil
}

// ReplyPath is the default name of the reply to the bundle at path:
// dongbo.dvb → dongbo-phanhoi.dvb.
func ReplyPath(path string) string {
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "-phanhoi" + BundleExt
}

// --- laptop side ---

// laptopKey is what a laptop needs to write and read its bundles.
type laptopKey struct {
	server, token, device, serverID string
	tokenHash                       []byte
}

func laptopIdentity(st *data.Store) (laptopKey, error) {
	k := laptopKey{server: string(st.Meta(metaServer)), token: string(st.Meta(metaToken)),
		device: string(st.Meta(metaDeviceID)), serverID: string(st.Meta(metaServerID))}
	if k.token == "" || k.device == "" || k.serverID == "" || st.Commune() == "" {
		return k, ErrNotEnrolled
	}
	sum := sha256.Sum256([]byte(k.token))
	k.tokenHash = sum[:]
	return k, nil
}

// ExportBundle writes an export bundle of st to w: every outbox entry
// (each changed record once, as stored now) and the pull cursor, sealed
// with the key of st's device token. It changes nothing in the store:
// the outbox is acknowledged only by importing the reply.
func ExportBundle(st *data.Store, w io.Writer) (BundleHeader, error) {
	unlock := lockStore(st)
	defer unlock()
	start := time.Now()
	h, b, err := exportBundle(st, start)
	a := Attempt{Start: start.UTC(), Duration: time.Since(start), Trigger: "bundle-export", OK: err == nil, Sent: int64(len(b))}
	if err == nil {
		if _, err = w.Write(b); err != nil {
			err = fmt.Errorf("write sync bundle: %w", err)
		}
	}
	if err != nil {
		a.OK, a.Error = false, err.Error()
	}
	if !errors.Is(err, ErrNotEnrolled) {
		appendLog(st, a)
	}
	return h, err
}

// ExportBundleFile is ExportBundle into the file at path, written
// durably (see WriteBundleFile).
func ExportBundleFile(st *data.Store, path string) (BundleHeader, error) {
	var buf bytes.Buffer
	h, err := ExportBundle(st, &buf)
	if err != nil {
		return h, err
	}
	return h, WriteBundleFile(path, buf.Bytes())
}

func exportBundle(st *data.Store, now time.Time) (BundleHeader, []byte, error) {
	k, err := laptopIdentity(st)
	if err != nil {
		return BundleHeader{}, nil, fmt.Errorf("export sync bundle: %w", err)
	}
	if r := st.Meta(metaRevoked); len(r) > 0 {
		return BundleHeader{}, nil, fmt.Errorf("export sync bundle: %w (%s)", ErrNeedsEnrolment, r)
	}
	// The outbox is read before the records: a record saved in between
	// is sent in its newer state, which covers every entry read.
	entries, err := st.Outbox(0, 0)
	if err != nil {
		return BundleHeader{}, nil, fmt.Errorf("export sync bundle: %w", err)
	}
	var ids []string
	seqs := map[string][]uint64{}
	for _, e := range entries {
		if _, ok := seqs[e.Record]; !ok {
			ids = append(ids, e.Record)
		}
		seqs[e.Record] = append(seqs[e.Record], e.Seq)
	}
	raws, err := st.RecordsJSON(ids)
	if err != nil {
		return BundleHeader{}, nil, fmt.Errorf("export sync bundle: %w", err)
	}
	p := &bundlePayload{Records: []json.RawMessage{}}
	for i, id := range ids {
		if raws[i] == nil {
			p.Orphans = append(p.Orphans, seqs[id]...)
			continue
		}
		if !json.Valid(raws[i]) {
			return BundleHeader{}, nil, fmt.Errorf("export sync bundle: record %s in the store is not valid JSON", id)
		}
		p.Records = append(p.Records, raws[i])
		p.Seqs = append(p.Seqs, seqs[id])
	}
	h := BundleHeader{Kind: BundleExport, ID: data.NewID(), Created: now.UTC().Truncate(time.Millisecond),
		ServerID: k.serverID, Device: k.device, StoreDevice: st.Device(), Commune: st.Commune(),
		Entries: len(entries), Records: len(p.Records), Since: readUint(st, metaCursor)}
	if len(entries) > 0 {
		h.OutboxFirst, h.OutboxLast = entries[0].Seq, entries[len(entries)-1].Seq
	}
	b, err := sealBundle(&h, k.tokenHash, p)
	if err != nil {
		return BundleHeader{}, nil, fmt.Errorf("export sync bundle: %w", err)
	}
	return h, b, nil
}

// ReplyResult says what importing a reply bundle did on the laptop.
type ReplyResult struct {
	// Reply is the reply's header.
	Reply BundleHeader
	// Acked counts the outbox entries acknowledged, and Pushed the
	// exported records the server stored.
	Acked  int
	Pushed int
	// Pulled counts the records received (merged; those the laptop
	// already had change nothing).
	Pulled int
	// Quarantined lists the records the server refused for good, and
	// received records this laptop could not apply.
	Quarantined []Quarantined
	// Cursor is the pull cursor after the import; CursorMoved is false
	// when the reply was older than what the laptop already had, or did
	// not follow on from it (its records were merged all the same).
	Cursor      uint64
	CursorMoved bool
	// Trashed counts local records moved to the trash because the server
	// purged their deletion (a reply with Resync "expired").
	Trashed int
	// Requeued counts the records queued again because the server lost
	// them (a reply with Resync "ahead"): the next export carries them.
	Requeued int
	// AlreadyImported is true when this reply had been imported before
	// (importing it again changed nothing).
	AlreadyImported bool
}

// ImportReply imports a reply bundle into st: it quarantines the records
// the server refused, acknowledges the outbox entries, and merges the
// pulled records with the new cursor in one transaction. A damaged,
// altered or foreign file, or an export bundle, is refused before
// anything changes. Importing the same reply again, or an older reply
// after a newer one, is harmless: merges are idempotent, and the cursor
// never moves past records the laptop does not have.
func ImportReply(st *data.Store, raw []byte) (ReplyResult, error) {
	unlock := lockStore(st)
	defer unlock()
	start := time.Now()
	res, err := importReply(st, raw)
	if errors.Is(err, ErrNotEnrolled) {
		return res, err
	}
	a := Attempt{Start: start.UTC(), Duration: time.Since(start), Trigger: "bundle-import", OK: err == nil,
		Pushed: res.Pushed, Pulled: res.Pulled, Quarantined: len(res.Quarantined), Received: int64(len(raw))}
	if err != nil {
		a.Error = err.Error()
	}
	appendLog(st, a)
	return res, err
}

// ImportReplyFile is ImportReply of the file at path.
func ImportReplyFile(st *data.Store, path string) (ReplyResult, error) {
	raw, err := ReadBundleFile(path)
	if err != nil {
		return ReplyResult{}, err
	}
	return ImportReply(st, raw)
}

func importReply(st *data.Store, raw []byte) (ReplyResult, error) {
	var res ReplyResult
	k, err := laptopIdentity(st)
	if err != nil {
		return res, fmt.Errorf("import sync reply: %w", err)
	}
	sb, err := parseBundle(raw)
	if err != nil {
		return res, fmt.Errorf("import sync reply: %w", err)
	}
	h := sb.h
	res.Reply = h
	switch {
	case h.Kind != BundleReply:
		return res, fmt.Errorf("import sync reply: %w", ErrBundleNotReply)
	case h.ServerID != k.serverID:
		return res, fmt.Errorf("import sync reply: %w", foreign("server", h.ServerID, k.serverID,
			"the reply comes from server %s; this laptop is enrolled with server %s", h.ServerID, k.serverID))
	case h.Commune != st.Commune():
		return res, fmt.Errorf("import sync reply: %w", foreign("commune", h.Commune, st.Commune(),
			"the reply is for commune %s; this laptop's store is commune %s", h.Commune, st.Commune()))
	case h.Device != k.device:
		return res, fmt.Errorf("import sync reply: %w", foreign("device", h.Device, k.device,
			"the reply is for device %s; this laptop is device %s", h.Device, k.device))
	}
	p, err := sb.open(k.tokenHash)
	if err != nil {
		return res, fmt.Errorf("import sync reply: %w", err)
	}
	if len(p.Acks) != h.Entries {
		return res, fmt.Errorf("import sync reply: %w", corrupt("content holds %d acknowledgements, header says %d", len(p.Acks), h.Entries))
	}
	s := &session{st: st, rep: &Report{}, quar: map[string]bool{}}
	q, err := st.MetaPrefix(prefixQuar)
	if err != nil {
		return res, fmt.Errorf("import sync reply: %w", err)
	}
	for key := range q {
		s.quar[strings.TrimPrefix(key, prefixQuar)] = true
	}
	res.AlreadyImported = st.Meta(metaBundleIn+h.ID) != nil
	// Everything is checked; from here on the reply is applied. Each
	// step is idempotent, and acknowledging before merging is safe (the
	// server has those records whatever happens next), so a reply
	// interrupted half-way is completed by importing it again.
	recs := make([]data.Record, 0, len(p.Records))
	for i, js := range p.Records {
		var r data.Record
		if err := json.Unmarshal(js, &r); err != nil || r.ID == "" {
			q := Quarantined{ID: fmt.Sprintf("reply-%s-record-%d", h.ID, i), Code: CodeMalformedJSON,
				Reason: fmt.Sprintf("record of the reply does not decode: %v", err), Direction: "pull", At: time.Now().UTC()}
			if err := s.putQuarantine(q); err != nil {
				return res, fmt.Errorf("import sync reply: %w", err)
			}
			continue
		}
		recs = append(recs, r)
	}
	for _, re := range p.Refused {
		kind := data.Kind("")
		if r, err := st.Record(re.ID); err == nil {
			kind = r.Kind
		}
		q := Quarantined{ID: re.ID, Kind: kind, Code: re.Code, Reason: re.Error, Direction: "push", At: time.Now().UTC()}
		if err := s.putQuarantine(q); err != nil {
			return res, fmt.Errorf("import sync reply: %w", err)
		}
	}
	var cleared []string
	for _, id := range p.Accepted {
		if s.quar[id] && !slices.ContainsFunc(p.Refused, func(re RecordError) bool { return re.ID == id }) {
			cleared = append(cleared, prefixQuar+id)
			delete(s.quar, id)
		}
	}
	if err := st.DeleteMeta(cleared...); err != nil {
		return res, fmt.Errorf("import sync reply: %w", err)
	}
	if err := st.Ack(p.Acks...); err != nil {
		return res, fmt.Errorf("import sync reply: %w", err)
	}
	res.Acked, res.Pushed = len(p.Acks), len(p.Accepted)
	if h.Resync == resyncAhead {
		// The server lost records (restored from a backup): every local
		// record goes out with the next export.
		ids, err := st.RecordIDs()
		if err != nil {
			return res, fmt.Errorf("import sync reply: %w", err)
		}
		if res.Requeued, err = st.Requeue(ids...); err != nil {
			return res, fmt.Errorf("import sync reply: %w", err)
		}
	}
	// The cursor moves only forward, and only when the reply follows on
	// from the records this laptop has (its Since is not beyond the
	// cursor): otherwise the records between would be skipped. A resync
	// reply starts from 0, so it always follows on; it may move the
	// cursor back, which only means pulling some records again.
	cur := readUint(st, metaCursor)
	newest := h.Cursor >= cur
	next := cur
	switch {
	case h.Resync != "":
		next = h.Cursor
	case h.Since <= cur && h.Cursor > cur:
		next = h.Cursor
	}
	extra := map[string][]byte{metaCursor: []byte(strconv.FormatUint(next, 10))}
	if !res.AlreadyImported {
		extra[metaBundleIn+h.ID] = []byte(time.Now().UTC().Format(time.RFC3339))
	}
	if recs, err = s.hold(recs, extra); err != nil {
		return res, fmt.Errorf("import sync reply: %w", err)
	}
	if err := s.apply(recs, extra); err != nil {
		return res, fmt.Errorf("import sync reply: %w", err)
	}
	res.Pulled, res.Cursor, res.CursorMoved = len(recs), next, next != cur
	if h.Resync == resyncExpired && newest {
		// The reply holds every record the server has: local records
		// beyond it, that wait in no queue, had their deletion purged on
		// the server while this laptop was away. Only a reply at least as
		// new as what the laptop had may decide that.
		n, err := trashPurged(s, recs)
		if err != nil {
			return res, fmt.Errorf("import sync reply: %w", err)
		}
		res.Trashed = n
	}
	res.Quarantined = s.rep.Quarantined
	return res, nil
}

// trashPurged moves to the trash the local records that are not in the
// complete set seen, wait in no queue, and are not quarantined.
func trashPurged(s *session, seen []data.Record) (int, error) {
	have := make(map[string]bool, len(seen))
	for _, r := range seen {
		have[r.ID] = true
	}
	ids, err := s.st.RecordIDs()
	if err != nil {
		return 0, err
	}
	entries, err := s.st.Outbox(0, 0)
	if err != nil {
		return 0, err
	}
	pending := map[string]bool{}
	for _, e := range entries {
		pending[e.Record] = true
	}
	var gone []string
	for _, id := range ids {
		if !have[id] && !pending[id] && !s.quar[id] {
			gone = append(gone, id)
		}
	}
	sort.Strings(gone)
	return s.st.TrashLocal(gone...)
}

// ForwardBundle sends another laptop's export bundle to the server from
// st, an enrolled laptop of the same commune with signal, over st's own
// token, and returns the reply bundle to carry back. The bundle stays
// sealed for its own device: st can neither read nor change it.
func ForwardBundle(ctx context.Context, st *data.Store, bundle []byte) ([]byte, BundleHeader, error) {
	k, err := laptopIdentity(st)
	if err != nil || k.server == "" {
		return nil, BundleHeader{}, fmt.Errorf("forward sync bundle: %w", ErrNotEnrolled)
	}
	sb, err := parseBundle(bundle)
	if err != nil {
		return nil, BundleHeader{}, fmt.Errorf("forward sync bundle: %w", err)
	}
	switch {
	case sb.h.Kind != BundleExport:
		return nil, BundleHeader{}, fmt.Errorf("forward sync bundle: %w", ErrBundleNotExport)
	case sb.h.ServerID != k.serverID:
		return nil, BundleHeader{}, fmt.Errorf("forward sync bundle: %w", foreign("server", sb.h.ServerID, k.serverID,
			"the bundle is for server %s; this laptop is enrolled with server %s", sb.h.ServerID, k.serverID))
	case sb.h.Commune != st.Commune():
		return nil, BundleHeader{}, fmt.Errorf("forward sync bundle: %w", foreign("forwarder", sb.h.Commune, st.Commune(),
			"the bundle is of commune %s; only a laptop of that commune may forward it, this one is of %s", sb.h.Commune, st.Commune()))
	}
	cfg := Config{}.withDefaults()
	tr := newTransports(cfg.StallTimeout)
	defer tr.closeIdle()
	reply, err := tr.client(k.server, k.token).do(ctx, "bundle", http.MethodPost, PathBundle, bundle, "",
		map[string]string{"Content-Type": "application/octet-stream"}, nil, nil)
	var se *StatusError
	if errors.As(err, &se) {
		switch {
		case se.Status == http.StatusUnauthorized:
			return nil, BundleHeader{}, fmt.Errorf("forward sync bundle: %w", needsEnrolment(se))
		case remoteBundleError(se.Body) != nil:
			return nil, BundleHeader{}, fmt.Errorf("forward sync bundle: the server refused it: %w", remoteBundleError(se.Body))
		}
	}
	if err != nil {
		return nil, BundleHeader{}, fmt.Errorf("forward sync bundle: %w", err)
	}
	rh, err := ReadBundleHeader(reply)
	if err != nil {
		return nil, BundleHeader{}, fmt.Errorf("forward sync bundle: the server's answer: %w", err)
	}
	if rh.Kind != BundleReply || rh.InReplyTo != sb.h.ID || rh.Device != sb.h.Device {
		return nil, BundleHeader{}, fmt.Errorf("forward sync bundle: the server's answer is not the reply to bundle %s: %w", sb.h.ID, ErrBundleCorrupt)
	}
	return reply, rh, nil
}

// --- server side ---

// BundleImport says what the server did with an export bundle.
type BundleImport struct {
	// Bundle is the imported bundle's header, and Reply the header of
	// the reply bundle written for it.
	Bundle BundleHeader `json:"bundle"`
	Reply  BundleHeader `json:"reply"`
	// DeviceLabel is the admin's label of the bundle's device.
	DeviceLabel string `json:"device_label"`
	// Via is the device that forwarded the bundle ("" when imported on
	// the server itself).
	Via string `json:"via,omitempty"`
	// Stored counts the records whose merge changed the server,
	// Unchanged those it already had (all of them on a second import).
	Stored    int `json:"stored"`
	Unchanged int `json:"unchanged"`
	// Refused lists the records refused for good, by the same checks as
	// a push; the reply tells the laptop to quarantine them.
	Refused []RecordError `json:"refused,omitempty"`
}

// ImportBundle imports a laptop's export bundle into the server's
// storage, exactly like pushes of its records by its device (the same
// checks, commune scoping and merge, under an idempotency key made of the
// bundle's id), and returns the reply bundle for that device:
// acknowledgements and every record it has not pulled. The bundle must be
// for this server, of an active device, and authenticate with that
// device's key; otherwise nothing is changed. Records refused by the
// push checks are left out and listed; the rest are stored. Importing the
// same bundle again stores nothing.
func ImportBundle(ctx context.Context, st Storage, bundle []byte, now time.Time) (BundleImport, []byte, error) {
	return importBundle(ctx, st, bundle, now, nil)
}

func importBundle(ctx context.Context, st Storage, raw []byte, now time.Time, via *Device) (BundleImport, []byte, error) {
	var res BundleImport
	wrap := func(err error) error { return fmt.Errorf("import sync bundle: %w", err) }
	sb, err := parseBundle(raw)
	if err != nil {
		return res, nil, wrap(err)
	}
	h := sb.h
	res.Bundle = h
	if h.Kind != BundleExport {
		return res, nil, wrap(ErrBundleNotExport)
	}
	if h.ServerID != st.ServerID() {
		return res, nil, wrap(foreign("server", h.ServerID, st.ServerID(),
			"the bundle was written for server %s; this server is %s", h.ServerID, st.ServerID()))
	}
	dev, err := deviceByID(ctx, st, h.Device)
	if errors.Is(err, ErrNoDevice) {
		return res, nil, wrap(foreign("device", h.Device, "", "device %s is not enrolled on this server", h.Device))
	} else if err != nil {
		return res, nil, wrap(err)
	}
	res.DeviceLabel = dev.Label
	p, err := sb.open(dev.TokenHash)
	if err != nil {
		return res, nil, wrap(err)
	}
	switch {
	case !dev.Active():
		return res, nil, wrap(foreign("revoked", dev.ID, "", "device %s (%s) was revoked on %s: the laptop must enroll again",
			dev.ID, dev.Label, dev.Revoked.UTC().Format(time.RFC3339)))
	case dev.Role != RoleCommune:
		return res, nil, wrap(foreign("device", dev.ID, "", "device %s is a %s token, which cannot write", dev.ID, dev.Role))
	case h.Commune != dev.Commune:
		return res, nil, wrap(foreign("commune", h.Commune, dev.Commune, "the bundle claims commune %s; device %s is bound to commune %s", h.Commune, dev.ID, dev.Commune))
	case via != nil && via.Commune != dev.Commune:
		res.Via = via.ID
		return res, nil, wrap(foreign("forwarder", dev.Commune, via.Commune,
			"the bundle is of commune %s and may be forwarded only by a laptop of that commune; device %s is of commune %s", dev.Commune, via.ID, via.Commune))
	case len(p.Seqs) != len(p.Records):
		return res, nil, wrap(corrupt("content holds %d records and %d outbox lists", len(p.Records), len(p.Seqs)))
	}
	if via != nil {
		res.Via = via.ID
	}

	// The push checks, per record: refused records are left out.
	type item struct {
		i   int
		rec data.Record
		js  []byte
	}
	var items []item
	var refused []RecordError
	for i, js := range p.Records {
		var r data.Record
		if err := json.Unmarshal(js, &r); err != nil {
			refused = append(refused, RecordError{Index: i, ID: recordID(js), Code: CodeMalformedJSON, Error: fmt.Sprintf("record does not decode: %v", err)})
			continue
		}
		if code, msg := checkRecord(&r, now); code != "" {
			refused = append(refused, RecordError{Index: i, ID: r.ID, Code: code, Error: msg})
			continue
		}
		if r.Commune != dev.Commune {
			refused = append(refused, RecordError{Index: i, ID: r.ID, Code: CodeOtherCommune,
				Error: fmt.Sprintf("record is of commune %s; this device may write only %s", clipString(r.Commune, 16), dev.Commune)})
			continue
		}
		items = append(items, item{i: i, rec: r, js: js})
	}

	// Apply in batches, each atomic and under an idempotency key of the
	// bundle's id and the batch's content.
	size := bundleApplySize
	for len(items) > 0 {
		n := min(size, len(items))
		batch := items[:n]
		recs := make([]data.Record, n)
		hash := sha256.New()
		for j, it := range batch {
			recs[j] = it.rec
			hash.Write(it.js)
			hash.Write([]byte{'\n'})
		}
		sum := hash.Sum(nil)
		merge, err := mergeFor(dev, recs, nil)
		if err != nil {
			return res, nil, wrap(err)
		}
		ar, err := st.Apply(ctx, ApplyRequest{Device: dev.ID, Key: "bundle/" + h.ID + "/" + hex.EncodeToString(sum[:12]),
			BodyHash: sum, Records: recs, Merge: merge})
		var rej *RejectError
		switch {
		case errors.As(err, &rej) && rej.Record.Index >= 0 && rej.Record.Index < n:
			bad := batch[rej.Record.Index]
			re := rej.Record
			re.Index = bad.i
			refused = append(refused, re)
			items = slices.Delete(items, rej.Record.Index, rej.Record.Index+1)
			continue
		case errors.Is(err, ErrBatchTooBig) && n > 1:
			size = n / 2
			continue
		case errors.Is(err, ErrBatchTooBig):
			refused = append(refused, RecordError{Index: batch[0].i, ID: batch[0].rec.ID, Code: CodeTooLarge, Error: "record does not fit one transaction"})
			items = items[1:]
			continue
		case err != nil:
			return res, nil, wrap(fmt.Errorf("store records (the bundle's earlier batches are stored; importing it again completes it): %w", err))
		}
		for _, q := range ar.Seqs {
			if q == 0 || ar.Replayed {
				res.Unchanged++
			} else {
				res.Stored++
			}
		}
		items = items[n:]
	}
	sort.Slice(refused, func(a, b int) bool { return refused[a].Index < refused[b].Index })
	res.Refused = refused

	// The reply: every outbox entry is acknowledged (refused records are
	// quarantined on the laptop, as after a push), then what the device
	// has not pulled.
	rp := &bundlePayload{Acks: slices.Clone(p.Orphans), Refused: refused}
	isRefused := make(map[int]bool, len(refused))
	for _, re := range refused {
		isRefused[re.Index] = true
	}
	for i, js := range p.Records {
		rp.Acks = append(rp.Acks, p.Seqs[i]...)
		if !isRefused[i] {
			rp.Accepted = append(rp.Accepted, recordID(js))
		}
	}
	slices.Sort(rp.Acks)
	since, cursor, resync, pulled, err := pullFor(ctx, st, dev, h.Since)
	if err != nil {
		return res, nil, wrap(err)
	}
	rp.Records = pulled
	if rp.Records == nil {
		rp.Records = []json.RawMessage{}
	}
	rh := BundleHeader{Kind: BundleReply, ID: data.NewID(), InReplyTo: h.ID, Created: now.UTC().Truncate(time.Millisecond),
		ServerID: st.ServerID(), Device: dev.ID, StoreDevice: h.StoreDevice, Commune: dev.Commune,
		OutboxFirst: h.OutboxFirst, OutboxLast: h.OutboxLast, Entries: len(rp.Acks), Records: len(rp.Records),
		Since: since, Cursor: cursor, Resync: resync, Stored: res.Stored, Refused: len(refused)}
	reply, err := sealBundle(&rh, dev.TokenHash, rp)
	if err != nil {
		return res, nil, wrap(err)
	}
	res.Reply = rh
	if err := st.TouchDevice(ctx, dev.ID, now); err != nil && !errors.Is(err, ErrClosed) {
		return res, nil, wrap(err)
	}
	return res, reply, nil
}

// recordID returns the "id" of a record's JSON, or "" when there is none.
func recordID(js []byte) string {
	var head struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(js, &head)
	return clipString(head.ID, 64)
}

// deviceByID finds a device by its server id.
func deviceByID(ctx context.Context, st Storage, id string) (Device, error) {
	devs, err := st.Devices(ctx)
	if err != nil {
		return Device{}, err
	}
	for _, d := range devs {
		if d.ID == id {
			return d, nil
		}
	}
	return Device{}, ErrNoDevice
}

// pullFor collects every record dev has not pulled after since, the way
// the pull endpoint serves it, following a 410 like the client does:
// from 0, with the device's own records too after an expired cursor.
func pullFor(ctx context.Context, st Storage, dev Device, since uint64) (from, cursor uint64, resync string, recs []json.RawMessage, err error) {
	from, cursor = since, since
	exclude := dev.ID
	for {
		page, err := st.Pull(ctx, PullRequest{Commune: dev.Commune, Since: cursor, Limit: DefaultPageLimit, MaxBytes: DefaultPageBytes, Exclude: exclude})
		if resync == "" && (errors.Is(err, ErrCursorExpired) || errors.Is(err, ErrCursorAhead)) {
			resync = resyncAhead
			if errors.Is(err, ErrCursorExpired) {
				resync, exclude = resyncExpired, ""
			}
			from, cursor, recs = 0, 0, nil
			continue
		}
		if err != nil {
			return 0, 0, "", nil, fmt.Errorf("collect records for device %s: %w", dev.ID, err)
		}
		recs = append(recs, page.Records...)
		cursor = page.Cursor
		if !page.More {
			return from, cursor, resync, recs, nil
		}
	}
}

// remoteBundleError turns the server's refusal of a bundle back into
// the error it was (nil when the answer is not a bundle refusal).
func remoteBundleError(eb ErrorBody) error {
	msg := strings.TrimPrefix(eb.Error, "import sync bundle: ")
	switch {
	case eb.Code == CodeBundleForeign:
		return &ForeignBundleError{Field: "remote", Detail: msg}
	case eb.Code != CodeBundleInvalid:
		return nil
	case strings.Contains(msg, ErrBundleNotExport.Error()):
		return ErrBundleNotExport
	case strings.Contains(msg, ErrBundleNotReply.Error()):
		return ErrBundleNotReply
	}
	return fmt.Errorf("%s: %w", strings.TrimSuffix(msg, ": "+ErrBundleCorrupt.Error()), ErrBundleCorrupt)
}

// bundleAPIError maps an import error to the answer of PathBundle and of
// the admin socket.
func bundleAPIError(err error) (status int, code string, ok bool) {
	switch {
	case errors.Is(err, ErrBundleForeign):
		return http.StatusForbidden, CodeBundleForeign, true
	case errors.Is(err, ErrBundleCorrupt), errors.Is(err, ErrBundleNotExport), errors.Is(err, ErrBundleNotReply):
		return http.StatusBadRequest, CodeBundleInvalid, true
	}
	return 0, "", false
}

// handleBundle serves POST /v1/bundle: an enrolled laptop of the bundle's
// commune forwards another laptop's export bundle (raw bytes) and gets
// the reply bundle back (application/octet-stream).
func (s *Server) handleBundle(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeError(w, r, newAPIError(http.StatusMethodNotAllowed, CodeMethod, "use POST"))
		return
	}
	via, aerr := s.authenticate(r)
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if via.Role != RoleCommune {
		writeError(w, r, newAPIError(http.StatusForbidden, CodeReadOnly, "a %s token cannot write", via.Role))
		return
	}
	body, aerr := readBody(http.MaxBytesReader(w, r.Body, maxForwardBytes), r.Header.Get("Content-Encoding"), maxForwardBytes)
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	res, reply, err := importBundle(r.Context(), s.cfg.Storage, body, s.cfg.Now(), &via)
	if err != nil {
		if status, code, ok := bundleAPIError(err); ok {
			writeError(w, r, newAPIError(status, code, "%v", err))
			return
		}
		writeError(w, r, s.storageError("bundle", err))
		return
	}
	info(r).records = res.Bundle.Records
	s.log.Info("bundle imported", "bundle", res.Bundle.ID, "device", res.Bundle.Device, "via", via.ID,
		"records", res.Bundle.Records, "stored", res.Stored, "refused", len(res.Refused), "reply_records", res.Reply.Records)
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(reply)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(reply)
}

// --- admin socket ---

// BundleImporter imports export bundles on the server: *Admin on an open
// Storage, *AdminClient through a running server's admin socket.
type BundleImporter interface {
	// ImportBundle imports an export bundle and returns what it did and
	// the reply bundle. See the function ImportBundle.
	ImportBundle(ctx context.Context, bundle []byte) (BundleImport, []byte, error)
}

// ImportBundle imports an export bundle into the Storage.
func (a *Admin) ImportBundle(ctx context.Context, bundle []byte) (BundleImport, []byte, error) {
	return ImportBundle(ctx, a.Storage, bundle, a.now())
}

// adminBundle is the admin socket's bundle import path.
const adminBundle = "/admin/bundle-import"

type adminBundleResp struct {
	Import BundleImport `json:"import"`
	Reply  []byte       `json:"reply"`
}

// WithBundleImport adds the bundle import of imp to the admin socket's
// handler admin (see AdminHandler): the bundle is the request body, the
// answer the import's result and the reply bundle.
func WithBundleImport(admin http.Handler, imp BundleImporter) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+adminBundle, func(w http.ResponseWriter, r *http.Request) {
		fail := func(status int, code string, err error) {
			b, _ := json.Marshal(ErrorBody{Code: code, Error: err.Error()})
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write(b)
		}
		raw, err := io.ReadAll(io.LimitReader(r.Body, MaxBundleBytes+1))
		if err != nil {
			fail(http.StatusBadRequest, CodeBadRequest, fmt.Errorf("read bundle: %w", err))
			return
		}
		if len(raw) > MaxBundleBytes {
			fail(http.StatusRequestEntityTooLarge, CodeTooLarge, fmt.Errorf("bundle is larger than %d MB", MaxBundleBytes>>20))
			return
		}
		res, reply, err := imp.ImportBundle(r.Context(), raw)
		if err != nil {
			status, code, ok := bundleAPIError(err)
			if !ok {
				status, code = http.StatusInternalServerError, CodeInternal
			}
			fail(status, code, err)
			return
		}
		b, _ := json.Marshal(adminBundleResp{Import: res, Reply: reply})
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	})
	mux.Handle("/", admin)
	return mux
}

// ImportBundle asks the running server to import an export bundle.
func (c *AdminClient) ImportBundle(ctx context.Context, bundle []byte) (BundleImport, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://admin"+adminBundle, bytes.NewReader(bundle))
	if err != nil {
		return BundleImport{}, nil, err
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	hc := *c.hc
	hc.Timeout = 15 * time.Minute // a large bundle takes longer than an admin call
	resp, err := hc.Do(req)
	if err != nil {
		return BundleImport{}, nil, fmt.Errorf("admin socket %s: %w", c.socket, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 2*MaxBundleBytes))
	if err != nil {
		return BundleImport{}, nil, fmt.Errorf("admin socket %s: %w", c.socket, err)
	}
	if resp.StatusCode != http.StatusOK {
		var eb ErrorBody
		_ = json.Unmarshal(b, &eb)
		if err := remoteBundleError(eb); err != nil {
			return BundleImport{}, nil, err
		}
		return BundleImport{}, nil, fmt.Errorf("admin %s: %s", adminBundle, eb.Error)
	}
	var out adminBundleResp
	if err := json.Unmarshal(b, &out); err != nil {
		return BundleImport{}, nil, fmt.Errorf("admin %s: decode answer: %w", adminBundle, err)
	}
	return out.Import, out.Reply, nil
}

// Refresh re-reads the sync state from the store (pending changes,
// quarantine, log) and tells the listeners, for changes made beside the
// worker: a bundle exported or imported, say.
func (w *Worker) Refresh() { w.refresh(func(*Status) {}) }
