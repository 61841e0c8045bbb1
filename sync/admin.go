package sync

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"danvan/data"
)

// DefaultCodeValidity is how long an enrolment code can be used.
const DefaultCodeValidity = 72 * time.Hour

// codeAlphabet is Crockford's base32: no I, L, O or U to misread.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newCode returns a random enrolment code of 12 characters (60 bits),
// grouped as XXXX-XXXX-XXXX for reading over the phone.
func newCode() string {
	raw := newRandom(12)
	var b strings.Builder
	for i, x := range raw {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(codeAlphabet[int(x)%32])
	}
	return b.String()
}

// NormalizeCode returns an enrolment code as the server hashes it:
// upper case, without spaces or dashes, with O read as 0 and I, L as 1.
func NormalizeCode(code string) string {
	var b strings.Builder
	for _, c := range strings.ToUpper(code) {
		switch {
		case c == '-' || c == ' ' || c == '\t':
			continue
		case c == 'O':
			c = '0'
		case c == 'I' || c == 'L':
			c = '1'
		}
		b.WriteRune(c)
	}
	return b.String()
}

func codeHash(normalized string) []byte {
	h := sha256.Sum256([]byte("danvan-enrol:" + normalized))
	return h[:]
}

// AdminAPI is what the provincial administrator does with danvan-server:
// make enrolment codes and province-level read tokens, list and revoke
// devices. *Admin works on an open Storage; *AdminClient asks a running
// server over its admin socket.
type AdminAPI interface {
	// NewEnrolmentCode makes a one-time code for a laptop of commune,
	// valid for validFor (DefaultCodeValidity when 0).
	NewEnrolmentCode(ctx context.Context, commune, label string, validFor time.Duration) (code string, expires time.Time, err error)
	// NewProvinceToken makes a read-only token that sees every commune.
	NewProvinceToken(ctx context.Context, label string) (token string, dev Device, err error)
	// Devices lists the enrolled devices.
	Devices(ctx context.Context) ([]Device, error)
	// Revoke revokes a device's token: its next request gets 401.
	Revoke(ctx context.Context, id string) error
	// Meta, SetMeta and MetaPrefix read and write the storage's keyed
	// values (the province dashboard's users and audit); see Storage.
	Meta(ctx context.Context, key string) ([]byte, error)
	// SetMeta stores or (nil) deletes a keyed value.
	SetMeta(ctx context.Context, key string, value []byte) error
	// MetaPrefix returns the keyed values under a prefix.
	MetaPrefix(ctx context.Context, prefix string) (map[string][]byte, error)
}

// Admin implements AdminAPI on a Storage.
type Admin struct {
	// Storage is the server's database.
	Storage Storage
	// Now is the clock (time.Now if nil).
	Now func() time.Time
}

func (a *Admin) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// NewEnrolmentCode makes a one-time enrolment code for commune.
func (a *Admin) NewEnrolmentCode(ctx context.Context, commune, label string, validFor time.Duration) (string, time.Time, error) {
	if _, ok := data.CommuneByCode(commune); !ok {
		return "", time.Time{}, fmt.Errorf("new enrolment code: commune %q is not in the official list", commune)
	}
	if validFor <= 0 {
		validFor = DefaultCodeValidity
	}
	code := newCode()
	now := a.now().UTC()
	e := Enrolment{CodeHash: codeHash(NormalizeCode(code)), Commune: commune, Label: data.NFC(strings.TrimSpace(label)), Created: now, Expires: now.Add(validFor)}
	if err := a.Storage.AddEnrolment(ctx, e); err != nil {
		return "", time.Time{}, err
	}
	return code, e.Expires, nil
}

// NewProvinceToken makes a province-level read token.
func (a *Admin) NewProvinceToken(ctx context.Context, label string) (string, Device, error) {
	token := base64.RawURLEncoding.EncodeToString(newRandom(32))
	th := sha256.Sum256([]byte(token))
	dev := Device{ID: data.NewID(), Label: data.NFC(strings.TrimSpace(label)), Role: RoleProvince, TokenHash: th[:], Enrolled: a.now().UTC()}
	if err := a.Storage.AddDevice(ctx, dev); err != nil {
		return "", Device{}, err
	}
	return token, dev, nil
}

// Devices lists the devices.
func (a *Admin) Devices(ctx context.Context) ([]Device, error) { return a.Storage.Devices(ctx) }

// Revoke revokes a device.
func (a *Admin) Revoke(ctx context.Context, id string) error {
	return a.Storage.RevokeDevice(ctx, id, a.now().UTC())
}

// Meta reads a keyed value of the storage.
func (a *Admin) Meta(ctx context.Context, key string) ([]byte, error) {
	return a.Storage.Meta(ctx, key)
}

// SetMeta writes a keyed value of the storage.
func (a *Admin) SetMeta(ctx context.Context, key string, value []byte) error {
	return a.Storage.SetMeta(ctx, key, value)
}

// MetaPrefix reads the keyed values under a prefix.
func (a *Admin) MetaPrefix(ctx context.Context, prefix string) (map[string][]byte, error) {
	return a.Storage.MetaPrefix(ctx, prefix)
}

// Admin socket paths (HTTP over a Unix socket in the data directory,
// which only the server's user can open).
const (
	adminEnroll   = "/admin/enroll"
	adminProvince = "/admin/province-token"
	adminDevices  = "/admin/devices"
	adminRevoke   = "/admin/revoke"
	adminMeta     = "/admin/meta"
)

// adminMetaMsg carries keyed values over the admin socket.
type adminMetaMsg struct {
	Key    string            `json:"key,omitempty"`
	Prefix string            `json:"prefix,omitempty"`
	Value  []byte            `json:"value,omitempty"`
	Delete bool              `json:"delete,omitempty"`
	Values map[string][]byte `json:"values,omitempty"`
	Found  bool              `json:"found,omitempty"`
}

type adminEnrollReq struct {
	Commune  string `json:"commune"`
	Label    string `json:"label"`
	ValidFor string `json:"valid_for,omitempty"`
}

type adminEnrollResp struct {
	Code    string    `json:"code"`
	Expires time.Time `json:"expires"`
}

type adminTokenResp struct {
	Token  string `json:"token"`
	Device Device `json:"device"`
}

// AdminHandler serves AdminAPI over HTTP, for the admin socket of a
// running server. It must never be exposed on a network address.
func AdminHandler(api AdminAPI) http.Handler {
	mux := http.NewServeMux()
	fail := func(w http.ResponseWriter, status int, err error) {
		b, _ := json.Marshal(ErrorBody{Code: CodeBadRequest, Error: err.Error()})
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(b)
	}
	ok := func(w http.ResponseWriter, v any) {
		b, _ := json.Marshal(v)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	}
	mux.HandleFunc("POST "+adminEnroll, func(w http.ResponseWriter, r *http.Request) {
		var req adminEnrollReq
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&req); err != nil {
			fail(w, http.StatusBadRequest, err)
			return
		}
		var d time.Duration
		if req.ValidFor != "" {
			var err error
			if d, err = time.ParseDuration(req.ValidFor); err != nil {
				fail(w, http.StatusBadRequest, err)
				return
			}
		}
		code, exp, err := api.NewEnrolmentCode(r.Context(), req.Commune, req.Label, d)
		if err != nil {
			fail(w, http.StatusBadRequest, err)
			return
		}
		ok(w, adminEnrollResp{Code: code, Expires: exp})
	})
	mux.HandleFunc("POST "+adminProvince, func(w http.ResponseWriter, r *http.Request) {
		var req adminEnrollReq
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&req); err != nil {
			fail(w, http.StatusBadRequest, err)
			return
		}
		token, dev, err := api.NewProvinceToken(r.Context(), req.Label)
		if err != nil {
			fail(w, http.StatusInternalServerError, err)
			return
		}
		ok(w, adminTokenResp{Token: token, Device: dev})
	})
	mux.HandleFunc("GET "+adminDevices, func(w http.ResponseWriter, r *http.Request) {
		devs, err := api.Devices(r.Context())
		if err != nil {
			fail(w, http.StatusInternalServerError, err)
			return
		}
		ok(w, devs)
	})
	mux.HandleFunc("POST "+adminRevoke, func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			ID string `json:"id"`
		}
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&req); err != nil {
			fail(w, http.StatusBadRequest, err)
			return
		}
		if err := api.Revoke(r.Context(), req.ID); err != nil {
			status := http.StatusInternalServerError
			if errors.Is(err, ErrNoDevice) {
				status = http.StatusNotFound
			}
			fail(w, status, err)
			return
		}
		ok(w, map[string]bool{"ok": true})
	})
	mux.HandleFunc("POST "+adminMeta, func(w http.ResponseWriter, r *http.Request) {
		var req adminMetaMsg
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
			fail(w, http.StatusBadRequest, err)
			return
		}
		var resp adminMetaMsg
		var err error
		switch {
		case req.Prefix != "":
			resp.Values, err = api.MetaPrefix(r.Context(), req.Prefix)
		case req.Delete:
			err = api.SetMeta(r.Context(), req.Key, nil)
		case req.Value != nil:
			err = api.SetMeta(r.Context(), req.Key, req.Value)
		default:
			resp.Value, err = api.Meta(r.Context(), req.Key)
			resp.Found = err == nil
			if errors.Is(err, ErrNoMeta) {
				err = nil
			}
		}
		if err != nil {
			fail(w, http.StatusInternalServerError, err)
			return
		}
		ok(w, resp)
	})
	return mux
}

// AdminClient implements AdminAPI by calling a running server's admin
// socket.
type AdminClient struct {
	socket string
	hc     *http.Client
}

// NewAdminClient returns a client for the admin socket at path.
func NewAdminClient(path string) *AdminClient {
	tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", path)
	}}
	return &AdminClient{socket: path, hc: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

func (c *AdminClient) call(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://admin"+path, body)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("admin socket %s: %w", c.socket, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return fmt.Errorf("admin socket %s: %w", c.socket, err)
	}
	if resp.StatusCode != http.StatusOK {
		var eb ErrorBody
		_ = json.Unmarshal(b, &eb)
		if resp.StatusCode == http.StatusNotFound && path == adminRevoke {
			return fmt.Errorf("%s: %w", eb.Error, ErrNoDevice)
		}
		return fmt.Errorf("admin %s: %s", path, eb.Error)
	}
	return json.Unmarshal(b, out)
}

// NewEnrolmentCode asks the server for an enrolment code.
func (c *AdminClient) NewEnrolmentCode(ctx context.Context, commune, label string, validFor time.Duration) (string, time.Time, error) {
	var out adminEnrollResp
	req := adminEnrollReq{Commune: commune, Label: label}
	if validFor > 0 {
		req.ValidFor = validFor.String()
	}
	err := c.call(ctx, http.MethodPost, adminEnroll, req, &out)
	return out.Code, out.Expires, err
}

// NewProvinceToken asks the server for a province-level read token.
func (c *AdminClient) NewProvinceToken(ctx context.Context, label string) (string, Device, error) {
	var out adminTokenResp
	err := c.call(ctx, http.MethodPost, adminProvince, adminEnrollReq{Label: label}, &out)
	return out.Token, out.Device, err
}

// Devices asks the server for its devices.
func (c *AdminClient) Devices(ctx context.Context) ([]Device, error) {
	var out []Device
	err := c.call(ctx, http.MethodGet, adminDevices, nil, &out)
	return out, err
}

// Revoke asks the server to revoke a device.
func (c *AdminClient) Revoke(ctx context.Context, id string) error {
	var out map[string]bool
	return c.call(ctx, http.MethodPost, adminRevoke, map[string]string{"id": id}, &out)
}

// Meta asks the server for a keyed value (ErrNoMeta when there is none).
func (c *AdminClient) Meta(ctx context.Context, key string) ([]byte, error) {
	var out adminMetaMsg
	if err := c.call(ctx, http.MethodPost, adminMeta, adminMetaMsg{Key: key}, &out); err != nil {
		return nil, err
	}
	if !out.Found {
		return nil, fmt.Errorf("meta %s: %w", key, ErrNoMeta)
	}
	return out.Value, nil
}

// SetMeta asks the server to store (or, with nil, delete) a keyed value.
func (c *AdminClient) SetMeta(ctx context.Context, key string, value []byte) error {
	var out adminMetaMsg
	return c.call(ctx, http.MethodPost, adminMeta, adminMetaMsg{Key: key, Value: value, Delete: value == nil}, &out)
}

// MetaPrefix asks the server for the keyed values under a prefix.
func (c *AdminClient) MetaPrefix(ctx context.Context, prefix string) (map[string][]byte, error) {
	var out adminMetaMsg
	if err := c.call(ctx, http.MethodPost, adminMeta, adminMetaMsg{Prefix: prefix}, &out); err != nil {
		return nil, err
	}
	if out.Values == nil {
		out.Values = map[string][]byte{}
	}
	return out.Values, nil
}
