package data

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDamagedKeyFileSaysStoreDamaged damages key.json in the ways a bad
// disk or a careless edit would: the store must refuse to open with
// "kho bị hỏng" (ErrStoreCorrupt), never panic in argon2 (time 0) nor
// try to allocate 4 GiB.
func TestDamagedKeyFileSaysStoreDamaged(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{Passphrase: "mật khẩu dài"})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	orig, err := os.ReadFile(filepath.Join(dir, keyFileName))
	if err != nil {
		t.Fatal(err)
	}
	var good map[string]any
	if err := json.Unmarshal(orig, &good); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		field string
		value any
		raw   string
	}{
		{name: "time 0", field: "time", value: 0},
		{name: "memory 4 GiB", field: "memory", value: uint32(4<<20) - 1},
		{name: "memory 0", field: "memory", value: 0},
		{name: "threads 0", field: "threads", value: 0},
		{name: "no salt", field: "salt", value: ""},
		{name: "unknown mode", field: "mode", value: "rot13"},
		{name: "version 9", field: "version", value: 9},
		{name: "not JSON", raw: "{\"version\":1,\x00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := []byte(tc.raw)
			if tc.raw == "" {
				m := map[string]any{}
				for k, v := range good {
					m[k] = v
				}
				m[tc.field] = tc.value
				b, _ = json.Marshal(m)
			}
			if err := os.WriteFile(filepath.Join(dir, keyFileName), b, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Open(dir, Options{Passphrase: "mật khẩu dài"})
			if !errors.Is(err, ErrStoreCorrupt) || !strings.Contains(err.Error(), "kho bị hỏng") {
				t.Fatalf("open with %s: %v, want ErrStoreCorrupt saying kho bị hỏng", tc.name, err)
			}
		})
	}
	if err := os.WriteFile(filepath.Join(dir, keyFileName), orig, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err = Open(dir, Options{Passphrase: "mật khẩu dài"})
	if err != nil {
		t.Fatalf("the restored key file does not open: %v", err)
	}
	s.Close()
}
