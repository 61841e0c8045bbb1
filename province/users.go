package province

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	stdsync "sync"
	"time"

	"golang.org/x/crypto/argon2"

	"danvan/data"
	dsync "danvan/sync"
)

// MetaStore is where users, sessions and the audit are kept: the server's
// storage, or the running server's admin socket (both implement it).
type MetaStore interface {
	Meta(ctx context.Context, key string) ([]byte, error)
	SetMeta(ctx context.Context, key string, value []byte) error
	MetaPrefix(ctx context.Context, prefix string) (map[string][]byte, error)
}

// User is a province user of the dashboard.
type User struct {
	// Name is what the user signs in with (kept as typed, matched folded).
	Name string `json:"name"`
	// Hash is the argon2id hash of the password, in the PHC string form;
	// the password itself is never stored.
	Hash string `json:"hash"`
	// Communes limits the user to these communes' pages; empty means the
	// whole province.
	Communes []string `json:"communes,omitempty"`
	// Sensitive allows the user to see households' ethnicity and religion
	// (each view is audited).
	Sensitive bool `json:"sensitive,omitempty"`
	// Created is when the user was added.
	Created time.Time `json:"created"`
	// Failed counts the failed sign-ins since the last good one, and
	// LockedUntil is when a lock-out after MaxFailures ends.
	Failed      int       `json:"failed,omitempty"`
	LockedUntil time.Time `json:"locked_until,omitzero"`
}

// Sees reports whether the user may open commune code's pages.
func (u *User) Sees(code string) bool {
	if len(u.Communes) == 0 {
		return true
	}
	for _, c := range u.Communes {
		if c == code {
			return true
		}
	}
	return false
}

// Lock-out: after MaxFailures failed sign-ins in a row, the user cannot
// sign in for LockFor, whatever the password.
const (
	MaxFailures = 5
	LockFor     = 15 * time.Minute
)

// Sign-in errors.
var (
	// ErrBadLogin: no such user, or a wrong password (the page does not
	// say which).
	ErrBadLogin = errors.New("wrong user name or password")
	// ErrLocked: too many failed sign-ins; wait for the lock to end.
	ErrLocked = errors.New("user locked after too many failed sign-ins")
	// ErrUserExists: a user of that name exists already.
	ErrUserExists = errors.New("a user of that name exists already")
)

// argon2id parameters for passwords (OWASP's minimum: 19 MiB, 2 passes).
const (
	pwTime    = 2
	pwMemory  = 19 * 1024
	pwThreads = 1
	pwKeyLen  = 32
)

func userKey(name string) string { return "user/" + data.Fold(strings.TrimSpace(name)) }

// HashPassword returns the argon2id hash of password in PHC form.
func HashPassword(password string) string {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	key := argon2.IDKey([]byte(data.NFC(password)), salt, pwTime, pwMemory, pwThreads, pwKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, pwMemory, pwTime, pwThreads, enc.EncodeToString(salt), enc.EncodeToString(key))
}

// CheckPassword reports whether password matches a HashPassword hash.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > 256*1024 || t > 10 || p == 0 || p > 8 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(data.NFC(password)), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// AddUser stores a new user with the password's hash. communes are
// 5-digit codes; none means the whole province.
func AddUser(ctx context.Context, ms MetaStore, name, password string, communes []string, sensitive bool) (User, error) {
	name = data.NFC(strings.TrimSpace(name))
	if name == "" || len(name) > 64 {
		return User{}, fmt.Errorf("add user: the name must have 1 to 64 bytes, not %d", len(name))
	}
	if len([]rune(password)) < 10 {
		return User{}, fmt.Errorf("add user %s: the password must have at least 10 characters", name)
	}
	for _, c := range communes {
		if _, ok := data.CommuneByCode(c); !ok {
			return User{}, fmt.Errorf("add user %s: %q is not a commune code of the 2025 list", name, c)
		}
	}
	if _, err := ms.Meta(ctx, userKey(name)); err == nil {
		return User{}, fmt.Errorf("add user %s: %w", name, ErrUserExists)
	} else if !errors.Is(err, dsync.ErrNoMeta) {
		return User{}, fmt.Errorf("add user %s: %w", name, err)
	}
	u := User{Name: name, Hash: HashPassword(password), Communes: communes, Sensitive: sensitive, Created: time.Now().UTC()}
	if err := putUser(ctx, ms, &u); err != nil {
		return User{}, err
	}
	return u, nil
}

// Users lists the users by name.
func Users(ctx context.Context, ms MetaStore) ([]User, error) {
	m, err := ms.MetaPrefix(ctx, "user/")
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	out := make([]User, 0, len(m))
	for k, v := range m {
		var u User
		if err := json.Unmarshal(v, &u); err != nil {
			return nil, fmt.Errorf("list users: %s: %w", k, err)
		}
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return data.CompareVietnamese(out[i].Name, out[j].Name) < 0 })
	return out, nil
}

// RemoveUser deletes a user; its sessions end at their next request.
func RemoveUser(ctx context.Context, ms MetaStore, name string) error {
	if _, err := getUser(ctx, ms, name); err != nil {
		return err
	}
	return ms.SetMeta(ctx, userKey(name), nil)
}

func getUser(ctx context.Context, ms MetaStore, name string) (*User, error) {
	v, err := ms.Meta(ctx, userKey(name))
	if errors.Is(err, dsync.ErrNoMeta) {
		return nil, fmt.Errorf("user %q: %w", name, ErrBadLogin)
	}
	if err != nil {
		return nil, fmt.Errorf("user %q: %w", name, err)
	}
	var u User
	if err := json.Unmarshal(v, &u); err != nil {
		return nil, fmt.Errorf("user %q: %w", name, err)
	}
	return &u, nil
}

func putUser(ctx context.Context, ms MetaStore, u *User) error {
	b, _ := json.Marshal(u)
	if err := ms.SetMeta(ctx, userKey(u.Name), b); err != nil {
		return fmt.Errorf("save user %s: %w", u.Name, err)
	}
	return nil
}

// SignIn checks a user's password at now. A wrong one counts a failure;
// the MaxFailures-th locks the user for LockFor (ErrLocked, even with
// the right password, until it ends); a right one clears the count.
func SignIn(ctx context.Context, ms MetaStore, name, password string, now time.Time) (*User, error) {
	u, err := getUser(ctx, ms, name)
	if err != nil {
		// Spend the same time as a real check, so that timing does not
		// tell which names exist.
		CheckPassword(dummyHash(), password)
		return nil, err
	}
	if now.Before(u.LockedUntil) {
		return nil, fmt.Errorf("sign in %s until %s: %w", u.Name, u.LockedUntil.Format(time.RFC3339), ErrLocked)
	}
	if !CheckPassword(u.Hash, password) {
		u.Failed++
		if u.Failed >= MaxFailures {
			u.Failed, u.LockedUntil = 0, now.Add(LockFor)
		}
		if err := putUser(ctx, ms, u); err != nil {
			return nil, err
		}
		if !u.LockedUntil.IsZero() && now.Before(u.LockedUntil) {
			return nil, fmt.Errorf("sign in %s: %w", u.Name, ErrLocked)
		}
		return nil, fmt.Errorf("sign in %s: %w", u.Name, ErrBadLogin)
	}
	if u.Failed != 0 || !u.LockedUntil.IsZero() {
		u.Failed, u.LockedUntil = 0, time.Time{}
		if err := putUser(ctx, ms, u); err != nil {
			return nil, err
		}
	}
	return u, nil
}

var dummyHash = stdsync.OnceValue(func() string { return HashPassword("not a password of anyone") })
