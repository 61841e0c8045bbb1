package sync

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// ServerKeyLen is the length of the server's store key (AES-256).
const ServerKeyLen = 32

// NewServerKeyFile writes a new random server key to path, as 64 hex
// digits and a newline, readable only by its owner. It refuses to
// overwrite an existing file: losing a key loses the data it encrypts.
func NewServerKeyFile(path string) error {
	key := make([]byte, ServerKeyLen)
	if _, err := rand.Read(key); err != nil {
		return fmt.Errorf("make server key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("write server key %s: %w", path, err)
	}
	if _, err := fmt.Fprintf(f, "%s\n", hex.EncodeToString(key)); err != nil {
		f.Close()
		return fmt.Errorf("write server key %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("write server key %s: %w", path, err)
	}
	return f.Close()
}

// ReadServerKeyFile reads a key file written by NewServerKeyFile.
func ReadServerKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read server key: %w", err)
	}
	key, err := hex.DecodeString(string(bytes.TrimSpace(b)))
	if err != nil || len(key) != ServerKeyLen {
		return nil, fmt.Errorf("read server key %s: not %d hex digits (a file made by danvan-server keygen)", path, 2*ServerKeyLen)
	}
	return key, nil
}

// DataDirIsNew reports whether dir holds no server database yet.
func DataDirIsNew(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "MANIFEST"))
	return errors.Is(err, os.ErrNotExist)
}

// RotateServerKey re-encrypts the data keys of the stopped server
// database in dir from oldKey to newKey. Only Badger's key registry is
// rewritten (the data itself is encrypted with data keys, which the
// registry holds encrypted with the server key), so it takes a moment
// whatever the size of the database. The old key no longer opens it.
func RotateServerKey(dir string, oldKey, newKey []byte) error {
	if len(oldKey) != ServerKeyLen || len(newKey) != ServerKeyLen {
		return fmt.Errorf("rotate server key of %s: keys must be %d bytes", dir, ServerKeyLen)
	}
	// Opening checks the old key and that no server holds the directory.
	st, err := OpenBadgerStorageKey(dir, nil, oldKey)
	if err != nil {
		return fmt.Errorf("rotate server key: %w", err)
	}
	if err := st.Close(); err != nil {
		return fmt.Errorf("rotate server key: %w", err)
	}
	opt := badger.KeyRegistryOptions{Dir: dir, ReadOnly: true, EncryptionKey: oldKey,
		EncryptionKeyRotationDuration: 30 * 24 * time.Hour}
	kr, err := badger.OpenKeyRegistry(opt)
	if err != nil {
		return fmt.Errorf("rotate server key of %s: %w", dir, err)
	}
	opt.EncryptionKey = newKey
	if err := badger.WriteKeyRegistry(kr, opt); err != nil {
		kr.Close()
		return fmt.Errorf("rotate server key of %s: %w", dir, err)
	}
	return kr.Close()
}

// EncryptDataDir copies the unencrypted, stopped server database in
// oldDir into a new database in newDir encrypted with key (every key and
// version Badger holds, with the server id and sequence): the way to
// encrypt a data directory made before encryption. oldDir is left as it
// was; delete it (and its backups) once the new one serves.
func EncryptDataDir(oldDir, newDir string, key []byte) error {
	if !DataDirIsNew(newDir) {
		return fmt.Errorf("encrypt %s: %s already holds a database", oldDir, newDir)
	}
	src, err := OpenBadgerStorage(oldDir, nil)
	if err != nil {
		return fmt.Errorf("encrypt %s: %w", oldDir, err)
	}
	defer src.Close()
	dst, err := OpenBadgerStorageKey(newDir, nil, key)
	if err != nil {
		return fmt.Errorf("encrypt %s: %w", oldDir, err)
	}
	pr, pw := io.Pipe()
	go func() { _, err := src.db.Backup(pw, 0); pw.CloseWithError(err) }()
	// The copy brings the old server id and sequence: drop what the new
	// database made for itself first, then load.
	if err := dst.seq.Release(); err != nil {
		dst.Close()
		return fmt.Errorf("encrypt %s: %w", oldDir, err)
	}
	dst.seq = nil
	if err := dst.db.Load(pr, 256); err != nil {
		pr.CloseWithError(err)
		dst.Close()
		return fmt.Errorf("encrypt %s into %s: %w", oldDir, newDir, err)
	}
	return dst.Close()
}
