//go:build !unix

package data

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// lockStore checks that no process has the Badger database in bdir open.
// On Windows Badger holds its LOCK file open without sharing (and
// deletes it on close), so it can be opened only while no Badger has the
// database. The check takes no lock of its own: Windows refuses to rename
// a directory holding an open file, which keeps a store that an app opens
// meanwhile from being swapped.
func lockStore(bdir string) (func(), error) {
	f, err := os.Open(filepath.Join(bdir, "LOCK"))
	switch {
	case err == nil:
		f.Close()
	case errors.Is(err, os.ErrNotExist):
	default:
		return nil, fmt.Errorf("lock %s: %v: %w", bdir, err, ErrAlreadyOpen)
	}
	return func() {}, nil
}
