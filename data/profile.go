package data

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	badger "github.com/dgraph-io/badger/v4"
)

// Profile is the cadre who uses this laptop, and their preferences.
type Profile struct {
	Name string `json:"name"`
	Unit string `json:"unit"`
	// Lang is the interface language: "vi" (default) or "en".
	Lang string `json:"lang"`
	// Issuer is how the unit's documents are headed and signed.
	Issuer
}

const metaProfile = "profile"

// Profile returns the cadre profile, and false before the first run set it.
func (s *Store) Profile() (Profile, bool) {
	var p Profile
	b := s.Meta(metaProfile)
	if b == nil || json.Unmarshal(b, &p) != nil {
		return Profile{Lang: "vi"}, false
	}
	return p, true
}

// SetProfile stores the cadre profile and makes its name the actor of
// later changes.
func (s *Store) SetProfile(p Profile) error {
	p.Name, p.Unit = NFC(strings.TrimSpace(p.Name)), NFC(strings.TrimSpace(p.Unit))
	is := &p.Issuer
	is.Parent, is.Symbol, is.Signer = NFC(strings.TrimSpace(is.Parent)), NFC(strings.TrimSpace(is.Symbol)), NFC(strings.TrimSpace(is.Signer))
	is.SignerRole, is.Recipients = NFC(strings.TrimSpace(is.SignerRole)), NFC(strings.TrimSpace(is.Recipients))
	var errs []FieldError
	if p.Name == "" {
		errs = append(errs, FieldError{Field: "field.profile.name", Msg: MsgRequired})
	}
	if is.UnitKind != "" && !is.UnitKind.Valid() {
		errs = append(errs, FieldError{Field: "field.profile.unit_kind", Msg: MsgInvalid})
	}
	if len(errs) > 0 {
		return &ValidationError{Kind: "profile", Fields: errs}
	}
	b, _ := json.Marshal(p)
	if err := s.SetMeta(metaProfile, b); err != nil {
		return err
	}
	s.SetActor(p.Name)
	return nil
}

// Checklist returns the commune's "cùng" and "bám" items: the stored ones,
// or the defaults before anyone edited them.
func (s *Store) Checklist() *Checklist {
	var c Checklist
	if err := s.Load(ChecklistID(s.commune), &c); err == nil && !c.Deleted {
		return &c
	}
	d := DefaultChecklist()
	d.ID = ChecklistID(s.commune)
	return d
}

// SaveChecklist stores edited checklist items (they sync like any record).
func (s *Store) SaveChecklist(c *Checklist) error {
	c.ID = ChecklistID(s.commune)
	if _, err := s.Record(c.ID); errors.Is(err, ErrNotFound) {
		// first edit: create the record with the given id
		return s.Save(c)
	}
	return s.Save(c)
}

// ChangePassphrase re-locks the closed store in dir under a new passphrase
// (or, with newPass "", under a random key kept beside it). The data files
// are not rewritten: Badger's data keys are re-encrypted under the new
// master key. A wrong old passphrase gives ErrWrongPassphrase and changes
// nothing.
func ChangePassphrase(dir, oldPass, newPass string) error {
	kf, err := readKeyFile(dir)
	if err != nil {
		return fmt.Errorf("change passphrase of %s: %w", dir, err)
	}
	oldKey, err := kf.deriveKey(oldPass)
	if err != nil {
		return fmt.Errorf("change passphrase of %s: %w", dir, err)
	}
	bdir := filepath.Join(dir, storeSubdir)
	kr, err := badger.OpenKeyRegistry(badger.KeyRegistryOptions{Dir: bdir, ReadOnly: true, EncryptionKey: oldKey})
	if err != nil {
		if errors.Is(err, badger.ErrEncryptionKeyMismatch) || strings.Contains(err.Error(), "mismatch") {
			return fmt.Errorf("change passphrase of %s: %w", dir, ErrWrongPassphrase)
		}
		return fmt.Errorf("change passphrase of %s: %w", dir, err)
	}
	defer kr.Close()
	nkf, err := newKeyFile(newPass)
	if err != nil {
		return err
	}
	newKey, err := nkf.deriveKey(newPass)
	if err != nil {
		return err
	}
	if err := badger.WriteKeyRegistry(kr, badger.KeyRegistryOptions{Dir: bdir, EncryptionKey: newKey}); err != nil {
		return fmt.Errorf("change passphrase of %s: rewrite key registry: %w", dir, err)
	}
	if err := writeKeyFile(dir, nkf); err != nil {
		return fmt.Errorf("change passphrase of %s: %w", dir, err)
	}
	return nil
}

// DefaultDir returns where the app keeps its store: the user's config
// directory (%AppData% on Windows, $XDG_CONFIG_HOME on Linux).
func DefaultDir() (string, error) {
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find config dir: %w", err)
	}
	return filepath.Join(d, "danvan", "store"), nil
}
