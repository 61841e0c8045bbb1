package sync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	stdsync "sync"
	"time"

	"danvan/data"
)

// Storage is everything the server's handlers need from a database. The
// embedded Badger implementation is BadgerStorage; another backend (such
// as PostgreSQL) implements the same methods and the handlers do not
// change. Implementations must be safe for concurrent use.
type Storage interface {
	// ServerID identifies this database; it never changes.
	ServerID() string

	// AddEnrolment stores a new one-time enrolment code (by its hash).
	AddEnrolment(ctx context.Context, e Enrolment) error
	// RedeemEnrolment marks the code with codeHash used and adds dev for
	// its commune and label, atomically. It fails with ErrCodeUnknown,
	// ErrCodeUsed, ErrCodeExpired (at now), or ErrCommuneMismatch when
	// wantCommune is not "" and differs from the code's commune; a code
	// that fails is not consumed.
	RedeemEnrolment(ctx context.Context, codeHash []byte, now time.Time, wantCommune string, dev Device) (Device, error)
	// AddDevice stores a device directly (province-level read tokens).
	AddDevice(ctx context.Context, dev Device) error
	// DeviceByToken returns the device whose token has the given
	// SHA-256, revoked or not, or ErrNoDevice.
	DeviceByToken(ctx context.Context, tokenHash []byte) (Device, error)
	// Devices lists every device, oldest enrolment first.
	Devices(ctx context.Context) ([]Device, error)
	// RevokeDevice revokes a device at the given time, or fails with ErrNoDevice.
	RevokeDevice(ctx context.Context, id string, at time.Time) error
	// TouchDevice records when a device was last seen.
	TouchDevice(ctx context.Context, id string, at time.Time) error
	// Enrolments lists the enrolment codes (hashes only), newest first.
	Enrolments(ctx context.Context) ([]Enrolment, error)

	// Apply merges a pushed batch into the stored records, atomically:
	// either every record is stored or none is. See ApplyRequest.
	Apply(ctx context.Context, req ApplyRequest) (ApplyResult, error)
	// Pull returns a page of records changed after a cursor. See PullRequest.
	Pull(ctx context.Context, req PullRequest) (PullPage, error)
	// PurgeTombstones removes records deleted before the given time, for
	// good, and remembers the highest sequence it removed: a later Pull
	// from a cursor below it fails with ErrCursorExpired.
	PurgeTombstones(ctx context.Context, deletedBefore time.Time) (int, error)
	// Stats counts records per commune (for the admin and for tests).
	Stats(ctx context.Context) (map[string]int, error)

	// Meta returns the value SetMeta stored under key, or ErrNoMeta. The
	// province's dashboard keeps its users, sessions and audit there.
	Meta(ctx context.Context, key string) ([]byte, error)
	// SetMeta stores value under key, sealed like the records; a nil
	// value deletes the key.
	SetMeta(ctx context.Context, key string, value []byte) error
	// MetaPrefix returns every key that starts with prefix, with its value.
	MetaPrefix(ctx context.Context, prefix string) (map[string][]byte, error)

	// Close waits for the operations in progress and closes the database.
	Close() error
}

// Role is what a device token may do.
type Role string

// The roles.
const (
	// RoleCommune reads and writes the records of one commune.
	RoleCommune Role = "commune"
	// RoleProvince reads the records of every commune, and writes none.
	RoleProvince Role = "province"
)

// Device is an enrolled laptop, or a province-level reader.
type Device struct {
	// ID is the server's id of the enrolment.
	ID string `json:"id"`
	// Label is the admin's label ("Cán bộ A").
	Label string `json:"label"`
	// Role says what the token may do.
	Role Role `json:"role"`
	// Commune is the only commune a RoleCommune device reads and writes.
	Commune string `json:"commune,omitempty"`
	// TokenHash is the SHA-256 of the device token; the token itself is
	// never stored.
	TokenHash []byte `json:"token_hash"`
	// StoreDevice is the laptop store's own device id, as it reported it.
	StoreDevice string `json:"store_device,omitempty"`
	// Enrolled is when the device got its token.
	Enrolled time.Time `json:"enrolled"`
	// Revoked is when the token was revoked (zero while valid).
	Revoked time.Time `json:"revoked,omitzero"`
	// LastSeen is about when the device last made a request.
	LastSeen time.Time `json:"last_seen,omitzero"`
}

// Active reports whether the device's token is valid.
func (d Device) Active() bool { return d.Revoked.IsZero() }

// Enrolment is a one-time enrolment code, kept only as its hash.
type Enrolment struct {
	// CodeHash is the SHA-256 of the normalised code; the code itself is
	// never stored.
	CodeHash []byte `json:"code_hash"`
	// Commune is the commune the device will be bound to; Label is the
	// admin's label for it.
	Commune string `json:"commune"`
	Label   string `json:"label"`
	// Created and Expires bound the code's validity.
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
	// Used is when the code was redeemed (zero while unused), and UsedBy
	// the device it became.
	Used   time.Time `json:"used,omitzero"`
	UsedBy string    `json:"used_by,omitempty"`
}

// MergeFunc merges record i of a pushed batch, in, into the stored
// version (old is nil for a new record). It returns the record to store
// and its JSON (json.Marshal of it), and own: whether that record is
// exactly what the device sent (then the device already has it and is
// not sent it back). A *RejectError refuses the batch.
type MergeFunc func(i int, old *data.Record, in data.Record) (merged data.Record, js []byte, own bool, err error)

// ApplyRequest is one push to store.
type ApplyRequest struct {
	// Device is the pushing device's id: the origin of what it stores.
	Device string
	// Key and BodyHash are the push's Idempotency-Key and the SHA-256 of
	// its decompressed body. A key seen before from the same device with
	// the same hash returns the stored result, Replayed; with another
	// hash, ErrIdempotencyMismatch. Keys are kept for IdempotencyTTL.
	Key string
	// BodyHash is the SHA-256 of the decompressed body.
	BodyHash []byte
	// Records are the decoded, checked records, in request order.
	Records []data.Record
	// Merge is called for every record inside the transaction.
	Merge MergeFunc
}

// ApplyResult is the outcome of an Apply.
type ApplyResult struct {
	// Seqs is the server sequence each record got, in request order; 0
	// when merging changed nothing.
	Seqs []uint64 `json:"seqs"`
	// Replayed is true when the answer is the stored one of an earlier
	// push with the same key.
	Replayed bool `json:"-"`
}

// PullRequest asks for the records changed after a cursor.
type PullRequest struct {
	// Commune selects one commune; "" selects every commune.
	Commune string
	// Since is the cursor: the highest server sequence already seen.
	Since uint64
	// Limit caps the records of the page; MaxBytes caps their JSON size
	// (at least one record is returned when any is due).
	Limit int
	// MaxBytes caps the page's record JSON.
	MaxBytes int
	// Exclude skips records whose stored version came unchanged from this
	// device: it has them already.
	Exclude string
}

// PullPage is a page of changed records.
type PullPage struct {
	// Records are the records' JSON, oldest change first.
	Records []json.RawMessage
	// Cursor is the cursor to ask from next time.
	Cursor uint64
	// More is true when changes after Cursor are already waiting.
	More bool
}

// IdempotencyTTL is how long the server remembers a push's
// Idempotency-Key and answer.
const IdempotencyTTL = 48 * time.Hour

// Storage errors.
var (
	// ErrNoDevice: no device with that id or token.
	ErrNoDevice = errors.New("no such device")
	// ErrCodeUnknown: no enrolment code with that hash.
	ErrCodeUnknown = errors.New("enrolment code unknown")
	// ErrCodeUsed: the enrolment code was already redeemed.
	ErrCodeUsed = errors.New("enrolment code already used")
	// ErrCodeExpired: the enrolment code's validity has passed.
	ErrCodeExpired = errors.New("enrolment code expired")
	// ErrCommuneMismatch: the code is for another commune than asked.
	ErrCommuneMismatch = errors.New("enrolment code is for another commune")
	// ErrIdempotencyMismatch: an Idempotency-Key reused with another body.
	ErrIdempotencyMismatch = errors.New("idempotency key reused with a different body")
	// ErrCursorExpired: the cursor is below the purged tombstones.
	ErrCursorExpired = errors.New("cursor is older than the tombstone retention")
	// ErrCursorAhead: the cursor is beyond the server's sequence.
	ErrCursorAhead = errors.New("cursor is ahead of the server's sequence")
	// ErrNoMeta: no value under that key (see Storage.Meta).
	ErrNoMeta = errors.New("no such key")
	// ErrClosed: the storage is closed (the server is stopping).
	ErrClosed = errors.New("storage closed")
)

// RejectError is a MergeFunc's refusal of one record, which refuses the
// whole batch; Storage implementations set Record.Index to the record's
// position in the batch.
type RejectError struct {
	// Status is the HTTP status of the refusal (400 or 403).
	Status int
	// Record names the record and the reason.
	Record RecordError
}

// Error describes the refused record.
func (e *RejectError) Error() string { return e.Record.String() }

// redeem applies the rules of a one-time code to e at now, for a laptop
// whose store is bound to wantCommune ("" for a new store): an unused,
// unexpired code of that commune makes dev a commune device and is marked
// used by it. Every storage calls it inside the transaction that stores
// both.
func (e *Enrolment) redeem(now time.Time, wantCommune string, dev *Device) error {
	switch {
	case !e.Used.IsZero():
		return ErrCodeUsed
	case !now.Before(e.Expires):
		return ErrCodeExpired
	case wantCommune != "" && wantCommune != e.Commune:
		return fmt.Errorf("code is for %s, store is bound to %s: %w", e.Commune, wantCommune, ErrCommuneMismatch)
	}
	dev.Commune, dev.Label, dev.Role = e.Commune, e.Label, RoleCommune
	e.Used, e.UsedBy = now, dev.ID
	return nil
}

// touchGate lets a storage write a device's "last seen" at most once
// every touchEvery per device and process: every request touches it.
type touchGate struct {
	mu   stdsync.Mutex
	last map[string]int64 // device id -> last write (unix s)
}

// touchEvery is how stale a stored "last seen" may be.
const touchEvery = 300 // seconds

// due reports whether the "last seen" of device id should be written for
// at, and if so remembers it.
func (g *touchGate) due(id string, at time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if last, ok := g.last[id]; ok && at.Unix()-last < touchEvery {
		return false
	}
	if g.last == nil {
		g.last = map[string]int64{}
	}
	g.last[id] = at.Unix()
	return true
}
