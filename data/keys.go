package data

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: the OWASP minimum (19 MiB, 2 passes, 1 lane), which
// keeps unlocking under a second and the memory peak small on old laptops.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	keyLen       = 32 // AES-256
)

// keyFile is kept beside the Badger directory. It holds the Argon2id salt
// and parameters; only when the user explicitly chose no passphrase does
// it hold the key itself.
type keyFile struct {
	Version    int    `json:"version"`
	Mode       string `json:"mode"` // "passphrase" or "none"
	Salt       []byte `json:"salt"`
	Time       uint32 `json:"time"`
	Memory     uint32 `json:"memory"`
	Threads    uint8  `json:"threads"`
	Key        []byte `json:"key,omitempty"`
	DeviceHint string `json:"device_hint,omitempty"`
}

const keyFileName = "key.json"

// StoreExists reports whether dir holds a store.
func StoreExists(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, keyFileName))
	return err == nil
}

// HasPassphrase reports whether the store in dir is locked by a
// passphrase (false when the user chose to go without one).
func HasPassphrase(dir string) bool {
	kf, err := readKeyFile(dir)
	return err == nil && kf.Mode == "passphrase"
}

func readKeyFile(dir string) (*keyFile, error) {
	b, err := os.ReadFile(filepath.Join(dir, keyFileName))
	if err != nil {
		return nil, err
	}
	var kf keyFile
	if err := json.Unmarshal(b, &kf); err != nil {
		return nil, fmt.Errorf("read key file in %s: %w: %v", dir, ErrStoreCorrupt, err)
	}
	if err := kf.check(); err != nil {
		return nil, fmt.Errorf("read key file in %s: %w: %v", dir, ErrStoreCorrupt, err)
	}
	return &kf, nil
}

// Bounds of the Argon2id parameters a key file may ask for. A damaged
// file must not make argon2 panic (time 0) or allocate gigabytes: far
// above what this program ever writes, far below what kills a laptop.
const (
	maxArgonTime   = 64
	maxArgonMemory = 1 << 20 // KiB: 1 GiB
	maxArgonLanes  = 64
	minSaltLen     = 8
)

// ErrStoreCorrupt: the store's key file (key.json) is damaged, so the
// store cannot be opened; restore it from a backup.
var ErrStoreCorrupt = errors.New("kho bị hỏng (tệp khóa key.json không hợp lệ): hãy khôi phục từ bản sao lưu")

// check refuses a key file whose parameters this program would never
// write: an unknown version or mode, Argon2id parameters out of bounds,
// a short salt, or (without passphrase) a key of the wrong length.
func (kf *keyFile) check() error {
	if kf.Version != 1 {
		return fmt.Errorf("version %d", kf.Version)
	}
	switch kf.Mode {
	case "passphrase":
		if kf.Time < 1 || kf.Time > maxArgonTime {
			return fmt.Errorf("argon2 time %d out of 1..%d", kf.Time, maxArgonTime)
		}
		if kf.Threads < 1 || kf.Threads > maxArgonLanes {
			return fmt.Errorf("argon2 threads %d out of 1..%d", kf.Threads, maxArgonLanes)
		}
		if kf.Memory < 8*uint32(kf.Threads) || kf.Memory > maxArgonMemory {
			return fmt.Errorf("argon2 memory %d KiB out of %d..%d", kf.Memory, 8*uint32(kf.Threads), maxArgonMemory)
		}
		if len(kf.Salt) < minSaltLen {
			return fmt.Errorf("salt of %d bytes", len(kf.Salt))
		}
	case "none":
		if len(kf.Key) != keyLen {
			return fmt.Errorf("key of %d bytes", len(kf.Key))
		}
	default:
		return fmt.Errorf("mode %q", kf.Mode)
	}
	return nil
}

func writeKeyFile(dir string, kf *keyFile) error {
	b, err := json.MarshalIndent(kf, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, keyFileName+".tmp")
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("write key file in %s: %w", dir, err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("write key file in %s: %w", dir, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync key file in %s: %w", dir, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, keyFileName)); err != nil {
		return fmt.Errorf("write key file in %s: %w", dir, err)
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil // NTFS renames are journaled; directories cannot be fsynced
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync dir %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("sync dir %s: %w", dir, err)
	}
	return nil
}

// newKeyFile makes the key file for a new store: with a passphrase, a
// fresh salt; without one, a random key stored in the file.
func newKeyFile(passphrase string) (*keyFile, error) {
	kf := &keyFile{Version: 1, Time: argonTime, Memory: argonMemory, Threads: argonThreads, Salt: make([]byte, 16)}
	if _, err := rand.Read(kf.Salt); err != nil {
		return nil, fmt.Errorf("make salt: %w", err)
	}
	if passphrase == "" {
		kf.Mode = "none"
		kf.Key = make([]byte, keyLen)
		if _, err := rand.Read(kf.Key); err != nil {
			return nil, fmt.Errorf("make key: %w", err)
		}
	} else {
		kf.Mode = "passphrase"
	}
	return kf, nil
}

// deriveKey returns the store key for passphrase under kf.
func (kf *keyFile) deriveKey(passphrase string) ([]byte, error) {
	if kf.Mode == "none" {
		if len(kf.Key) != keyLen {
			return nil, errors.New("key file holds no valid key")
		}
		return kf.Key, nil
	}
	if passphrase == "" {
		return nil, ErrWrongPassphrase
	}
	return argon2.IDKey([]byte(NFC(passphrase)), kf.Salt, kf.Time, kf.Memory, kf.Threads, keyLen), nil
}
