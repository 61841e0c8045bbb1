package province

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync/atomic"
	"time"

	dsync "danvan/sync"
)

// SessionFor is how long a sign-in lasts without a request.
const SessionFor = 8 * time.Hour

// session is a signed-in user's session, kept under the SHA-256 of its
// cookie token (the token itself is never stored).
type session struct {
	User    string    `json:"user"`
	CSRF    string    `json:"csrf"`
	Expires time.Time `json:"expires"`
}

func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func sessionKey(token string) string {
	h := sha256.Sum256([]byte(token))
	return "session/" + hex.EncodeToString(h[:])
}

// newSession stores a session for user and returns its cookie token;
// it first removes the sessions that have expired.
func newSession(ctx context.Context, ms MetaStore, user string, now time.Time) (string, *session, error) {
	if all, err := ms.MetaPrefix(ctx, "session/"); err == nil {
		for k, v := range all {
			var old session
			if json.Unmarshal(v, &old) != nil || !now.Before(old.Expires) {
				_ = ms.SetMeta(ctx, k, nil)
			}
		}
	}
	token := newToken()
	s := &session{User: user, CSRF: newToken(), Expires: now.Add(SessionFor)}
	b, _ := json.Marshal(s)
	if err := ms.SetMeta(ctx, sessionKey(token), b); err != nil {
		return "", nil, fmt.Errorf("start session of %s: %w", user, err)
	}
	return token, s, nil
}

// errNoSession: no session, or an expired one.
var errNoSession = errors.New("not signed in")

// getSession returns the live session of token at now, extending it
// when more than a quarter of its life has passed.
func getSession(ctx context.Context, ms MetaStore, token string, now time.Time) (*session, error) {
	if token == "" {
		return nil, errNoSession
	}
	v, err := ms.Meta(ctx, sessionKey(token))
	if errors.Is(err, dsync.ErrNoMeta) {
		return nil, errNoSession
	}
	if err != nil {
		return nil, fmt.Errorf("read session: %w", err)
	}
	var s session
	if err := json.Unmarshal(v, &s); err != nil {
		return nil, fmt.Errorf("read session: %w", err)
	}
	if !now.Before(s.Expires) {
		_ = ms.SetMeta(ctx, sessionKey(token), nil)
		return nil, errNoSession
	}
	if s.Expires.Sub(now) < SessionFor*3/4 {
		s.Expires = now.Add(SessionFor)
		b, _ := json.Marshal(&s)
		_ = ms.SetMeta(ctx, sessionKey(token), b)
	}
	return &s, nil
}

func endSession(ctx context.Context, ms MetaStore, token string) error {
	return ms.SetMeta(ctx, sessionKey(token), nil)
}

// AuditEntry is one line of the dashboard's audit: sign-ins and every
// view of sensitive fields.
type AuditEntry struct {
	When    time.Time `json:"when"`
	User    string    `json:"user"`
	Action  string    `json:"action"`
	Commune string    `json:"commune,omitempty"`
	Village string    `json:"village,omitempty"`
	From    string    `json:"from,omitempty"`
}

// The audited actions.
const (
	AuditSignIn        = "sign_in"
	AuditSignInFailed  = "sign_in_failed"
	AuditLocked        = "locked"
	AuditViewSensitive = "view_sensitive"
	AuditPDFSensitive  = "pdf_sensitive"
)

var auditSeq atomic.Int64

func audit(ctx context.Context, ms MetaStore, e AuditEntry) error {
	b, _ := json.Marshal(e)
	// Keyed by the real time and a counter, so the audit reads in order.
	key := fmt.Sprintf("audit/%s-%06d-%s", time.Now().UTC().Format("20060102T150405.000000000"), auditSeq.Add(1)%1000000, newToken()[:6])
	if err := ms.SetMeta(ctx, key, b); err != nil {
		return fmt.Errorf("audit %s of %s: %w", e.Action, e.User, err)
	}
	return nil
}

// Audit returns the audit entries, oldest first.
func Audit(ctx context.Context, ms MetaStore) ([]AuditEntry, error) {
	m, err := ms.MetaPrefix(ctx, "audit/")
	if err != nil {
		return nil, fmt.Errorf("read audit: %w", err)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]AuditEntry, 0, len(keys))
	for _, k := range keys {
		var e AuditEntry
		if err := json.Unmarshal(m[k], &e); err != nil {
			return nil, fmt.Errorf("read audit %s: %w", k, err)
		}
		out = append(out, e)
	}
	return out, nil
}
