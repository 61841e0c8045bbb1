// Package sync moves records between a laptop's encrypted store and the
// provincial server, and holds that server's HTTP handlers and storage.
//
// The wire protocol is described in docs/sync-protocol.md. In short: a
// laptop enrolls once with a one-time code and gets a device token bound
// to one commune; it pushes its outbox in gzip batches of a few tens of
// KB, each with an Idempotency-Key, and pulls the server's changes since
// a server sequence cursor, committing each page and its cursor in one
// Badger transaction. Both sides merge with data.Merge.
//
// The package name shadows the standard library's sync inside this
// package; callers that need both import this one under another name.
package sync

import (
	"fmt"
	"time"

	"danvan/data"
)

// ProtocolVersion is the version of the wire protocol: the version of
// the push and pull paths and of their bodies (WireVersion). Health and
// enrolment kept their v1 form.
const ProtocolVersion = WireVersion

// The endpoints, relative to the server's base URL.
const (
	PathHealth = "/v1/health"
	PathEnroll = "/v1/enroll"
	PathPush   = "/v2/push"
	PathPull   = "/v2/pull"
)

// The endpoints of protocol version 1, answered 426 upgrade_required so
// that a laptop on the old protocol tells its user to update the app.
const (
	pathPushV1 = "/v1/push"
	pathPullV1 = "/v1/pull"
)

// upgradeMessage is the error text of a 426: the version 1 client shows
// a server's error text, so it is in Vietnamese first.
const upgradeMessage = "Phiên bản ứng dụng đã cũ, máy chủ không nhận nữa: hãy cập nhật ứng dụng Sổ tay Dân vận. (This app version is too old for the server: update the app.)"

// HeaderServerTime names the header in which the server states its clock
// (Unix milliseconds) in every answer; the laptop compares it with its
// own and warns the user beyond ClockWarnSkew.
const HeaderServerTime = "X-Danvan-Server-Time"

// ClockWarnSkew is how far apart the laptop's and the server's clocks
// may be before the laptop warns its user that a clock is wrong.
const ClockWarnSkew = 3 * time.Minute

// HeaderIdempotencyKey names the header that makes a push safe to retry.
const HeaderIdempotencyKey = "Idempotency-Key"

// Error codes in ErrorBody.Code and RecordError.Code.
const (
	CodeMalformedJSON     = "malformed_json"         // 400: the body is not the expected JSON
	CodeBadEncoding       = "bad_encoding"           // 400: the gzip stream is broken or the encoding unknown
	CodeUnknownKind       = "unknown_kind"           // 400: a record's kind is not one of data.Kinds
	CodeInvalidID         = "invalid_id"             // 400: a record id is not a canonical UUID
	CodeFutureStamp       = "future_stamp"           // 400: an HLC stamp is more than 24 h ahead of the server
	CodeInvalidRecord     = "invalid_record"         // 400: a record does not decode into its kind, or lacks its creation stamp
	CodeKindMismatch      = "kind_mismatch"          // 400: a record's kind differs from the stored record's
	CodeBadRequest        = "bad_request"            // 400: a missing or invalid parameter or header
	CodeUnauthorized      = "unauthorized"           // 401: no token, or an unknown one
	CodeRevoked           = "revoked"                // 401: the device's token was revoked
	CodeOtherCommune      = "other_commune"          // 403: a record belongs to another commune than the device's
	CodeReadOnly          = "read_only"              // 403: a province-level read token tried to write
	CodeCodeUnknown       = "code_unknown"           // 403: no such enrolment code
	CodeCodeUsed          = "code_used"              // 403: the enrolment code was already used
	CodeCodeExpired       = "code_expired"           // 403: the enrolment code is older than its validity
	CodeCommuneMismatch   = "commune_mismatch"       // 409: the code is for another commune than the laptop's store
	CodeCursorExpired     = "cursor_expired"         // 410: the cursor is older than the tombstone retention
	CodeCursorAhead       = "cursor_ahead"           // 410: the cursor is beyond the server's sequence (server restored)
	CodeTooLarge          = "too_large"              // 413: the body is above the server's limit
	CodeIdempotencyReused = "idempotency_key_reused" // 422: the key was used with a different body
	CodeNotFound          = "not_found"              // 404: no such endpoint
	CodeUpgradeRequired   = "upgrade_required"       // 426: the client speaks an older protocol version
	CodeNeedFull          = "need_full"              // 409: a partial record the server does not hold: send it whole
	CodeMethod            = "method_not_allowed"     // 405
	CodeUnavailable       = "unavailable"            // 503: the server is shutting down
	CodeInternal          = "internal"               // 500
)

// ErrorBody is the JSON body of every error response.
type ErrorBody struct {
	// Code is one of the Code constants.
	Code string `json:"code"`
	// Error says what failed, in English, without record content.
	Error string `json:"error"`
	// Records names the records of a push that were refused, when the
	// failure is theirs (400 or 403); the client quarantines them and
	// pushes the rest again.
	Records []RecordError `json:"records,omitempty"`
	// Resync is true on a 410: the client must pull from cursor 0.
	Resync bool `json:"resync,omitempty"`
}

// RecordError is why the server refused one record of a push.
type RecordError struct {
	// Index is the record's position in the pushed batch.
	Index int `json:"index"`
	// ID is the record's id as sent.
	ID string `json:"id"`
	// Code is one of the Code constants.
	Code string `json:"code"`
	// Error says what is wrong with the record.
	Error string `json:"error"`
}

// String describes the refused record in one line.
func (e RecordError) String() string {
	return fmt.Sprintf("record %d (%s): %s", e.Index, e.ID, e.Error)
}

// PushRequest is a decoded push (its body is a wbatch, zstd-compressed).
type PushRequest struct {
	// Records are the records to merge, at most 20,000.
	Records []data.Record `json:"records"`
	// Partial[i] is true when record i carries only the fields the
	// laptop believes the server lacks.
	Partial []bool `json:"-"`
}

// PushResponse answers a push per record: Seqs[i] is the server sequence
// the merged record i got, or 0 when merging it changed nothing (a
// replay). A 200 means every record of the batch was stored, atomically.
type PushResponse struct {
	// Seqs holds one server sequence per pushed record, in order.
	Seqs []uint64 `json:"seqs"`
	// Replayed is true when the answer is the stored answer to an
	// earlier request with the same Idempotency-Key.
	Replayed bool `json:"replayed,omitempty"`
}

// PullResponse is one page of GET /v2/pull, decoded: records changed
// after the cursor sent, oldest change first, the cursor to send next
// time, and whether more changes wait. On the wire the answer is a
// stream of such pages (wbatch, one JSON document per line).
type PullResponse struct {
	// Records are the changed records, oldest change first.
	Records []data.Record `json:"records"`
	// Bad are the records of the page whose compact form did not decode.
	Bad []wireDecodeError `json:"-"`
	// Waiting, on the first page of an answer, is about how many changes
	// waited after the cursor asked from (0 when the server cannot tell).
	Waiting int `json:"-"`
	// Cursor is the cursor to send next time.
	Cursor uint64 `json:"cursor"`
	// More is true when more changes wait after Cursor.
	More bool `json:"more"`
}

// EnrollRequest is the body of POST /v1/enroll.
type EnrollRequest struct {
	// Code is the one-time enrolment code, as typed (case, spaces and
	// dashes do not matter).
	Code string `json:"code"`
	// Device is the laptop store's own device id (for the admin's list).
	Device string `json:"device"`
	// Commune is the commune the laptop's store is bound to, or "" for a
	// new store; a code for another commune is refused with 409.
	Commune string `json:"commune,omitempty"`
}

// EnrollResponse answers a successful enrolment.
type EnrollResponse struct {
	// Token is the device token: 256 random bits, base64url. The server
	// keeps only its SHA-256.
	Token string `json:"token"`
	// DeviceID is the server's id for this enrolment (what the admin revokes).
	DeviceID string `json:"device_id"`
	// Commune is the commune the token is bound to.
	Commune string `json:"commune"`
	// Label is the admin's label of the enrolment ("Cán bộ A").
	Label string `json:"label"`
	// ServerID identifies the server's database: a cursor is only
	// meaningful for the same ServerID.
	ServerID string `json:"server_id"`
}

// HealthResponse is the body of GET /v1/health.
type HealthResponse struct {
	// OK is always true in a 200 answer.
	OK bool `json:"ok"`
	// ServerID identifies the server's database.
	ServerID string `json:"server_id"`
	// Version is the protocol version (ProtocolVersion).
	Version int `json:"version"`
}
