//go:build unix

package data

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
)

// lockStore takes the lock Badger takes on the database directory bdir
// (an exclusive flock on the directory), so that no process, this one
// included, has the store open while a restore swaps it. A missing bdir
// needs no lock. The returned function releases it and may be called
// more than once.
func lockStore(bdir string) (func(), error) {
	f, err := os.Open(bdir)
	if errors.Is(err, os.ErrNotExist) {
		return func() {}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", bdir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("lock %s: %w", bdir, ErrAlreadyOpen)
		}
		return nil, fmt.Errorf("lock %s: %w", bdir, err)
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
			f.Close()
		})
	}, nil
}
