package data

import (
	"bufio"
	"compress/gzip"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/pb"
	"google.golang.org/protobuf/proto"
)

// A backup file (.dvbak) holds a whole store: its keys and values in the
// stream format of Badger's DB.Backup (which DB.Load reads back),
// gzip-compressed, then encrypted with AES-256-GCM in chunks under a key
// derived from the store key. Layout:
//
//	magic "DVBACKUP" | format uint16 | header length uint32 | header JSON
//	| HMAC-SHA256 of everything before it (32 bytes)
//	| chunks: length uint32 (top bit set on the last chunk) | AES-GCM sealed chunk
//
// The header is readable without a key (when, which device and commune,
// schema) and carries the store's key-file parameters (mode, Argon2id salt
// and costs, never a key), so the passphrase in force when the backup was
// made decrypts it on any laptop. A store without a passphrase keeps its
// random key only in its key.json: its backups open only where that
// key.json is.
//
// Each file has its own random salt; HKDF-SHA256 turns store key and salt
// into the chunk key and the header MAC key. A chunk's nonce is its index
// and the last-chunk flag, and its additional data is the header MAC, so
// a changed, reordered, truncated or extended file, or one spliced from two
// backups, fails to decrypt.

// BackupExt is the file name extension of backups.
const BackupExt = ".dvbak"

const (
	backupMagic     = "DVBACKUP"
	backupFormat    = 1
	backupChunk     = 64 << 10 // plaintext bytes per chunk
	backupLastChunk = 1 << 31
	backupMaxHeader = 64 << 10
	restoreMarker   = ".restore-verified"
)

// KeepBackups is how many daily automatic backups AutoBackup keeps.
const KeepBackups = 7

// Backup errors; the UI and the command line show each as a Vietnamese
// message.
var (
	// ErrBackupCorrupt: the file is not a backup, or it was damaged,
	// truncated or altered after it was made.
	ErrBackupCorrupt = errors.New("backup file is damaged, truncated or altered")
	// ErrBackupKey: the backup was made from a store without a passphrase,
	// and the key.json holding that store's key is not where the restore
	// looked for it.
	ErrBackupKey = errors.New("the key of this backup (from a store without passphrase) is not on this computer")
)

// BackupInfo describes a backup file: what its unencrypted header says.
type BackupInfo struct {
	// Path is the file, when the backup is a file.
	Path string `json:"-"`
	// Created is when the backup was made.
	Created time.Time `json:"created"`
	// Device is the id of the device whose store was backed up.
	Device string `json:"device"`
	// Commune is the commune code of that store ("" before it was set).
	Commune string `json:"commune"`
	// Schema is the store schema version of the backed-up data.
	Schema int `json:"schema"`
	// Passphrase is true when the backup opens with the store's
	// passphrase, false when it opens only with that store's key.json.
	Passphrase bool `json:"passphrase"`
}

// backupHeader is the JSON header of a backup file.
type backupHeader struct {
	BackupInfo
	Compression string  `json:"compression"`
	Salt        []byte  `json:"salt"` // HKDF salt of this file
	Key         keyFile `json:"key"`  // the store's key-file parameters, never a key
}

// backupKeys are the keys of one backup file.
type backupKeys struct {
	aead cipher.AEAD
	mac  []byte
}

func deriveBackupKeys(storeKey, salt []byte) (*backupKeys, error) {
	if len(storeKey) != keyLen {
		return nil, errors.New("derive backup key: store key has the wrong length")
	}
	ek, err := hkdf.Key(sha256.New, storeKey, salt, "danvan backup v1: chunks", 32)
	if err != nil {
		return nil, fmt.Errorf("derive backup key: %w", err)
	}
	mk, err := hkdf.Key(sha256.New, storeKey, salt, "danvan backup v1: header", 32)
	if err != nil {
		return nil, fmt.Errorf("derive backup key: %w", err)
	}
	block, err := aes.NewCipher(ek)
	if err != nil {
		return nil, fmt.Errorf("derive backup key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("derive backup key: %w", err)
	}
	return &backupKeys{aead: aead, mac: mk}, nil
}

func chunkNonce(n uint64, last bool) []byte {
	nonce := make([]byte, 12)
	binary.BigEndian.PutUint64(nonce[3:11], n)
	if last {
		nonce[11] = 1
	}
	return nonce
}

// chunkWriter encrypts what is written to it in chunks; Close seals the
// last chunk (possibly empty).
type chunkWriter struct {
	w    io.Writer
	keys *backupKeys
	ad   []byte
	buf  []byte
	out  []byte
	n    uint64
}

func (cw *chunkWriter) Write(p []byte) (int, error) {
	written := len(p)
	for len(p) > 0 {
		// A full chunk is sealed only once more data follows, so that
		// the last chunk is always the one Close seals.
		if len(cw.buf) == backupChunk {
			if err := cw.seal(false); err != nil {
				return 0, err
			}
		}
		take := min(backupChunk-len(cw.buf), len(p))
		cw.buf = append(cw.buf, p[:take]...)
		p = p[take:]
	}
	return written, nil
}

func (cw *chunkWriter) seal(last bool) error {
	cw.out = cw.keys.aead.Seal(cw.out[:0], chunkNonce(cw.n, last), cw.buf, cw.ad)
	var hdr [4]byte
	l := uint32(len(cw.out))
	if last {
		l |= backupLastChunk
	}
	binary.BigEndian.PutUint32(hdr[:], l)
	if _, err := cw.w.Write(hdr[:]); err != nil {
		return err
	}
	if _, err := cw.w.Write(cw.out); err != nil {
		return err
	}
	cw.n++
	cw.buf = cw.buf[:0]
	return nil
}

func (cw *chunkWriter) Close() error { return cw.seal(true) }

// chunkReader decrypts a chunk stream. It returns io.EOF only after the
// last chunk authenticated and nothing follows it; any other fault is
// ErrBackupCorrupt.
type chunkReader struct {
	r     *bufio.Reader
	keys  *backupKeys
	ad    []byte
	plain []byte
	off   int
	n     uint64
	done  bool
	err   error
	ct    []byte
}

func (cr *chunkReader) Read(p []byte) (int, error) {
	for cr.off == len(cr.plain) {
		if cr.err != nil {
			return 0, cr.err
		}
		if cr.done {
			return 0, io.EOF
		}
		cr.err = cr.next()
	}
	n := copy(p, cr.plain[cr.off:])
	cr.off += n
	return n, nil
}

func (cr *chunkReader) next() error {
	var hdr [4]byte
	if _, err := io.ReadFull(cr.r, hdr[:]); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("chunk %d: file ends early: %w", cr.n, ErrBackupCorrupt)
		}
		return fmt.Errorf("read chunk %d: %w", cr.n, err)
	}
	l := binary.BigEndian.Uint32(hdr[:])
	last := l&backupLastChunk != 0
	l &^= backupLastChunk
	if int(l) > backupChunk+cr.keys.aead.Overhead() || int(l) < cr.keys.aead.Overhead() {
		return fmt.Errorf("chunk %d: bad length %d: %w", cr.n, l, ErrBackupCorrupt)
	}
	if cap(cr.ct) < int(l) {
		cr.ct = make([]byte, l)
	}
	cr.ct = cr.ct[:l]
	if _, err := io.ReadFull(cr.r, cr.ct); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("chunk %d: file ends early: %w", cr.n, ErrBackupCorrupt)
		}
		return fmt.Errorf("read chunk %d: %w", cr.n, err)
	}
	plain, err := cr.keys.aead.Open(cr.plain[:0], chunkNonce(cr.n, last), cr.ct, cr.ad)
	if err != nil {
		return fmt.Errorf("chunk %d does not authenticate: %w", cr.n, ErrBackupCorrupt)
	}
	cr.plain, cr.off = plain, 0
	cr.n++
	if last {
		if _, err := cr.r.Peek(1); !errors.Is(err, io.EOF) {
			return fmt.Errorf("data after the last chunk: %w", ErrBackupCorrupt)
		}
		cr.done = true
	}
	return nil
}

// storeMeta reads the device, commune and schema version straight from
// the database (usable before Store.init).
func storeMeta(db *badger.DB) (device, commune string, schema int, err error) {
	err = db.View(func(txn *badger.Txn) error {
		if v, err := getBytes(txn, keyDevice); err == nil {
			device = string(v)
		}
		if v, err := getBytes(txn, keyCommune); err == nil {
			commune = string(v)
		}
		if v, err := getBytes(txn, keySchema); err == nil && len(v) == 4 {
			schema = int(binary.BigEndian.Uint32(v))
		} else {
			schema = SchemaVersion
		}
		return nil
	})
	return
}

// storeKeyFile returns the store's key-file parameters (without the key)
// and its key, and checks that they belong together.
func (s *Store) storeKeyFile() (keyFile, []byte, error) {
	key := s.db.Opts().EncryptionKey
	kf, err := readKeyFile(s.dir)
	if err != nil {
		return keyFile{}, nil, fmt.Errorf("read key file of %s: %w", s.dir, err)
	}
	if kf.Mode == "none" && !hmac.Equal(kf.Key, key) {
		return keyFile{}, nil, fmt.Errorf("key file of %s does not match the open store", s.dir)
	}
	params := *kf
	params.Key = nil
	params.DeviceHint = ""
	return params, key, nil
}

// writeBackupStream writes every live key of the store to w in the
// format of Badger's DB.Backup (length-prefixed protobuf KVLists), which
// DB.Load reads back. It does not call DB.Backup: Badger's Stream reads
// with 8 goroutines into 32 MB buffers queued 16 deep, over 700 MB
// resident for a 100k-record store, where this single pass over one
// snapshot stays near the app's own size. The internal keys Badger keeps
// for itself are skipped, as DB.Backup skips them.
func (s *Store) writeBackupStream(w io.Writer) error {
	return s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, PrefetchSize: 64})
		defer it.Close()
		list := &pb.KVList{}
		size := 0
		var lenBuf [8]byte
		flush := func() error {
			b, err := proto.Marshal(list)
			if err != nil {
				return err
			}
			binary.LittleEndian.PutUint64(lenBuf[:], uint64(len(b)))
			if _, err := w.Write(lenBuf[:]); err != nil {
				return err
			}
			if _, err := w.Write(b); err != nil {
				return err
			}
			list.Kv, size = list.Kv[:0], 0
			return nil
		}
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			if item.IsDeletedOrExpired() {
				continue
			}
			v, err := item.ValueCopy(nil)
			if err != nil {
				return fmt.Errorf("read %q: %w", item.Key(), err)
			}
			k := item.KeyCopy(nil)
			list.Kv = append(list.Kv, &pb.KV{Key: k, Value: v, UserMeta: []byte{item.UserMeta()},
				Version: item.Version(), ExpiresAt: item.ExpiresAt(), Meta: []byte{0}})
			if size += len(k) + len(v); size >= 1<<20 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if len(list.Kv) > 0 {
			return flush()
		}
		return nil
	})
}

// Backup writes an encrypted backup of the whole store to w. It reads a
// consistent snapshot and may run while the store is in use.
func (s *Store) Backup(w io.Writer) (BackupInfo, error) {
	info, err := s.backup(w, time.Now())
	if err != nil {
		return info, fmt.Errorf("back up store %s: %w", s.dir, err)
	}
	return info, nil
}

func (s *Store) backup(w io.Writer, now time.Time) (BackupInfo, error) {
	kf, key, err := s.storeKeyFile()
	if err != nil {
		return BackupInfo{}, err
	}
	dev, commune, schema, err := storeMeta(s.db)
	if err != nil {
		return BackupInfo{}, err
	}
	h := backupHeader{
		BackupInfo: BackupInfo{Created: now.UTC().Truncate(time.Second), Device: dev, Commune: commune,
			Schema: schema, Passphrase: kf.Mode == "passphrase"},
		Compression: "gzip",
		Salt:        make([]byte, 32),
		Key:         kf,
	}
	if _, err := rand.Read(h.Salt); err != nil {
		return BackupInfo{}, fmt.Errorf("make salt: %w", err)
	}
	keys, err := deriveBackupKeys(key, h.Salt)
	if err != nil {
		return BackupInfo{}, err
	}
	hj, err := json.Marshal(h)
	if err != nil {
		return BackupInfo{}, err
	}
	pre := make([]byte, 0, len(backupMagic)+6+len(hj)+sha256.Size)
	pre = append(pre, backupMagic...)
	pre = binary.BigEndian.AppendUint16(pre, backupFormat)
	pre = binary.BigEndian.AppendUint32(pre, uint32(len(hj)))
	pre = append(pre, hj...)
	m := hmac.New(sha256.New, keys.mac)
	m.Write(pre)
	mac := m.Sum(nil)
	pre = append(pre, mac...)

	bw := bufio.NewWriterSize(w, 256<<10)
	if _, err := bw.Write(pre); err != nil {
		return BackupInfo{}, fmt.Errorf("write header: %w", err)
	}
	cw := &chunkWriter{w: bw, keys: keys, ad: mac, buf: make([]byte, 0, backupChunk)}
	zw, err := gzip.NewWriterLevel(cw, gzip.BestSpeed)
	if err != nil {
		return BackupInfo{}, err
	}
	if err := s.writeBackupStream(zw); err != nil {
		return BackupInfo{}, fmt.Errorf("stream the database: %w", err)
	}
	if err := zw.Close(); err != nil {
		return BackupInfo{}, fmt.Errorf("compress: %w", err)
	}
	if err := cw.Close(); err != nil {
		return BackupInfo{}, fmt.Errorf("write last chunk: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return BackupInfo{}, fmt.Errorf("write: %w", err)
	}
	return h.BackupInfo, nil
}

// BackupFile writes an encrypted backup of the store to path, replacing
// the file only once the new one is complete, on disk and read back
// successfully.
func (s *Store) BackupFile(path string) (BackupInfo, error) {
	info, err := s.backupFile(path, time.Now())
	if err != nil {
		return info, fmt.Errorf("back up store %s to %s: %w", s.dir, path, err)
	}
	return info, nil
}

func (s *Store) backupFile(path string, now time.Time) (BackupInfo, error) {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return BackupInfo{}, err
	}
	info, err := s.backup(f, now)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		_, key, kerr := s.storeKeyFile()
		err = kerr
		if err == nil {
			_, err = checkBackupFile(tmp, key, ErrBackupCorrupt)
		}
		if err != nil {
			err = fmt.Errorf("read back: %w", err)
		}
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return BackupInfo{}, err
	}
	info.Path = path
	return info, syncDir(filepath.Dir(path))
}

// readBackupHeader reads and parses the header of a backup, returning it
// with the bytes its MAC covers and the MAC. It authenticates nothing.
func readBackupHeader(r *bufio.Reader) (h backupHeader, covered, mac []byte, err error) {
	pre := make([]byte, len(backupMagic)+6)
	if _, err := io.ReadFull(r, pre); err != nil {
		return h, nil, nil, fmt.Errorf("not a backup file (too short): %w", ErrBackupCorrupt)
	}
	if string(pre[:len(backupMagic)]) != backupMagic {
		return h, nil, nil, fmt.Errorf("not a backup file of Sổ tay Dân vận: %w", ErrBackupCorrupt)
	}
	if v := binary.BigEndian.Uint16(pre[len(backupMagic):]); v != backupFormat {
		return h, nil, nil, fmt.Errorf("backup format %d, this version reads %d: %w", v, backupFormat, ErrBackupCorrupt)
	}
	n := binary.BigEndian.Uint32(pre[len(backupMagic)+2:])
	if n == 0 || n > backupMaxHeader {
		return h, nil, nil, fmt.Errorf("bad header length %d: %w", n, ErrBackupCorrupt)
	}
	hj := make([]byte, n)
	mac = make([]byte, sha256.Size)
	if _, err := io.ReadFull(r, hj); err != nil {
		return h, nil, nil, fmt.Errorf("header cut short: %w", ErrBackupCorrupt)
	}
	if _, err := io.ReadFull(r, mac); err != nil {
		return h, nil, nil, fmt.Errorf("header cut short: %w", ErrBackupCorrupt)
	}
	if err := json.Unmarshal(hj, &h); err != nil {
		return h, nil, nil, fmt.Errorf("header unreadable: %w", ErrBackupCorrupt)
	}
	if h.Compression != "gzip" || len(h.Salt) < 16 || (h.Key.Mode != "passphrase" && h.Key.Mode != "none") {
		return h, nil, nil, fmt.Errorf("header has unknown settings: %w", ErrBackupCorrupt)
	}
	return h, append(pre, hj...), mac, nil
}

// ReadBackupInfo returns what the header of the backup file at path says,
// without decrypting it (nothing in it is authenticated yet).
func ReadBackupInfo(path string) (BackupInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("read backup %s: %w", path, err)
	}
	defer f.Close()
	h, _, _, err := readBackupHeader(bufio.NewReader(f))
	if err != nil {
		return BackupInfo{}, fmt.Errorf("read backup %s: %w", path, err)
	}
	h.Path = path
	return h.BackupInfo, nil
}

// openBackup authenticates the header of the backup in r with storeKey
// and returns the decrypted, decompressed Badger stream. badKey is the
// error for a key that does not fit.
func openBackup(r *bufio.Reader, h backupHeader, covered, mac, storeKey []byte, badKey error) (io.Reader, *chunkReader, error) {
	keys, err := deriveBackupKeys(storeKey, h.Salt)
	if err != nil {
		return nil, nil, err
	}
	m := hmac.New(sha256.New, keys.mac)
	m.Write(covered)
	if !hmac.Equal(m.Sum(nil), mac) {
		return nil, nil, fmt.Errorf("the key does not open this backup, or its header was altered: %w", badKey)
	}
	cr := &chunkReader{r: r, keys: keys, ad: mac}
	zr, err := gzip.NewReader(cr)
	if err != nil {
		if cr.err != nil {
			return nil, nil, cr.err
		}
		return nil, nil, fmt.Errorf("decompress: %v: %w", err, ErrBackupCorrupt)
	}
	return zr, cr, nil
}

// backupError turns a failure while reading a decrypted stream into the
// chunk reader's own error when it has one.
func backupError(cr *chunkReader, err error) error {
	if cr.err != nil && !errors.Is(cr.err, io.EOF) {
		return cr.err
	}
	if errors.Is(err, ErrBackupCorrupt) {
		return err
	}
	return fmt.Errorf("%v: %w", err, ErrBackupCorrupt)
}

// checkBackupFile decrypts the whole backup at path with storeKey and
// checks its framing, without loading it anywhere.
func checkBackupFile(path string, storeKey []byte, badKey error) (BackupInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return BackupInfo{}, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 256<<10)
	h, covered, mac, err := readBackupHeader(br)
	if err != nil {
		return BackupInfo{}, err
	}
	zr, cr, err := openBackup(br, h, covered, mac, storeKey, badKey)
	if err != nil {
		return BackupInfo{}, err
	}
	// Walk the Badger stream's length-prefixed frames to its end.
	pr := bufio.NewReaderSize(zr, 64<<10)
	for {
		var sz uint64
		err := binary.Read(pr, binary.LittleEndian, &sz)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return BackupInfo{}, backupError(cr, err)
		}
		if _, err := pr.Discard(int(sz)); err != nil {
			return BackupInfo{}, backupError(cr, err)
		}
	}
	if !cr.done {
		return BackupInfo{}, backupError(cr, errors.New("stream ends before the last chunk"))
	}
	h.Path = path
	return h.BackupInfo, nil
}

// CheckBackup decrypts the whole backup file at path with this store's
// key and checks that it is complete and unaltered. It fails with
// ErrBackupCorrupt for a damaged file, and with ErrWrongPassphrase for a
// backup of another store or one made under another passphrase.
func (s *Store) CheckBackup(path string) (BackupInfo, error) {
	_, key, err := s.storeKeyFile()
	if err != nil {
		return BackupInfo{}, fmt.Errorf("check backup %s: %w", path, err)
	}
	info, err := checkBackupFile(path, key, ErrWrongPassphrase)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("check backup %s: %w", path, err)
	}
	return info, nil
}

// BackupDir returns where the automatic backups of the store in storeDir
// are kept: "backups" beside the store directory (for the default store,
// %AppData%\danvan\backups on Windows, ~/.config/danvan/backups on Linux).
func BackupDir(storeDir string) string {
	return filepath.Join(filepath.Dir(filepath.Clean(storeDir)), "backups")
}

// backupName is the file name of an automatic backup of device at now;
// suffix is "" for a daily backup.
func backupName(device string, now time.Time, suffix string) string {
	return "danvan-" + now.Format("2006-01-02-150405") + "-" + deviceTag(device) + suffix + BackupExt
}

// freePath returns path, or, when a file of that name exists (two
// backups in one second), the same name with "-2", "-3", … before the
// extension: a backup never replaces another one, not even the one a
// restore is about to read.
func freePath(path string) string {
	ext := filepath.Ext(path)
	base := strings.TrimSuffix(path, ext)
	p := path
	for i := 2; ; i++ {
		if _, err := os.Lstat(p); errors.Is(err, os.ErrNotExist) {
			return p
		}
		p = fmt.Sprintf("%s-%d%s", base, i, ext)
	}
}

// deviceTag is the last 12 hex digits of a device id: enough to tell the
// stores that share a backup folder apart.
func deviceTag(device string) string {
	d := strings.ReplaceAll(device, "-", "")
	if len(d) < 12 {
		return "000000000000"[len(d):] + d
	}
	return strings.ToLower(d[len(d)-12:])
}

var dailyBackupName = regexp.MustCompile(`^danvan-(\d{4}-\d{2}-\d{2})-\d{6}-([0-9a-f]{12})\.dvbak$`)

// AutoBackups lists the daily automatic backups of the store s in dir,
// newest first.
func AutoBackups(s *Store, dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list backups in %s: %w", dir, err)
	}
	tag := deviceTag(s.device)
	var out []string
	for _, e := range ents {
		if m := dailyBackupName.FindStringSubmatch(e.Name()); m != nil && m[2] == tag && e.Type().IsRegular() {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	// The names sort by time.
	slices.Sort(out)
	slices.Reverse(out)
	return out, nil
}

// AutoBackup makes the daily automatic backup of s into dir (normally
// BackupDir(s.Dir())) unless one was already made on now's day, and then
// deletes all but the newest KeepBackups daily backups of this store.
// It returns the backup of the day and whether it made it now. Backups
// of other stores in dir, and those taken before a schema migration,
// are left alone.
func AutoBackup(s *Store, dir string, now time.Time) (path string, made bool, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", false, fmt.Errorf("automatic backup: %w", err)
	}
	have, err := AutoBackups(s, dir)
	if err != nil {
		return "", false, fmt.Errorf("automatic backup: %w", err)
	}
	day := now.Format("2006-01-02")
	for _, p := range have {
		if dailyBackupName.FindStringSubmatch(filepath.Base(p))[1] == day {
			path = p
			break
		}
	}
	if path == "" {
		path = filepath.Join(dir, backupName(s.device, now, ""))
		if _, err := s.backupFile(path, now); err != nil {
			return "", false, fmt.Errorf("automatic backup of %s to %s: %w", s.dir, path, err)
		}
		made = true
		if have, err = AutoBackups(s, dir); err != nil {
			return path, made, fmt.Errorf("automatic backup: %w", err)
		}
	}
	for _, old := range have[min(len(have), KeepBackups):] {
		if err := os.Remove(old); err != nil && !errors.Is(err, os.ErrNotExist) {
			return path, made, fmt.Errorf("automatic backup: remove old backup: %w", err)
		}
	}
	return path, made, nil
}

// BackupBeforeRestore writes a backup of the store into BackupDir, named
// for the time now, before a restore replaces it, so that the restore can
// be undone. AutoBackup never prunes it. It returns the backup's path.
func (s *Store) BackupBeforeRestore(now time.Time) (string, error) {
	dir := BackupDir(s.dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("back up before restoring: %w", err)
	}
	path := freePath(filepath.Join(dir, backupName(s.device, now, "-truoc-khoi-phuc")))
	if _, err := s.backupFile(path, now); err != nil {
		return "", fmt.Errorf("back up %s before restoring, to %s: %w", s.dir, path, err)
	}
	return path, nil
}

// backupKey returns the key file a store restored from the backup with
// header h gets, and the store key: from passphrase and the backup's own
// key-file parameters, or from the key.json in storeDir for a backup of
// a store without passphrase. badKey is the error for a key that does
// not authenticate the backup.
func backupKey(h backupHeader, storeDir, passphrase string) (kf keyFile, key []byte, badKey, err error) {
	badKey = ErrWrongPassphrase
	if h.Key.Mode == "passphrase" {
		kf = h.Key
		kf.Key = nil
	} else {
		badKey = ErrBackupKey
		cur, err := readKeyFile(storeDir)
		if err != nil || cur.Mode != "none" {
			return kf, nil, badKey, fmt.Errorf("no key.json of a store without passphrase in %s: %w", storeDir, ErrBackupKey)
		}
		kf = *cur
	}
	key, err = kf.deriveKey(passphrase)
	return kf, key, badKey, err
}

// VerifyBackup decrypts the whole backup file at path, as RestoreBackup
// into storeDir with passphrase would, and checks that it is complete and
// unaltered, without changing anything. It fails as RestoreBackup does:
// ErrWrongPassphrase, ErrBackupKey or ErrBackupCorrupt.
func VerifyBackup(storeDir, path, passphrase string) (BackupInfo, error) {
	info, err := ReadBackupInfo(path)
	if err != nil {
		return BackupInfo{}, err
	}
	f, err := os.Open(path)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("verify backup %s: %w", path, err)
	}
	h, _, _, err := readBackupHeader(bufio.NewReader(f))
	f.Close()
	if err != nil {
		return BackupInfo{}, fmt.Errorf("verify backup %s: %w", path, err)
	}
	_, key, badKey, err := backupKey(h, storeDir, passphrase)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("verify backup %s: %w", path, err)
	}
	if _, err := checkBackupFile(path, key, badKey); err != nil {
		return BackupInfo{}, fmt.Errorf("verify backup %s: %w", path, err)
	}
	return info, nil
}

// restorePaths are the directories a restore of dir uses beside it: the
// new store being built and verified, and the old store during the swap.
func restorePaths(dir string) (tmp, old string) {
	dir = filepath.Clean(dir)
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	return filepath.Join(parent, "."+base+".restore"), filepath.Join(parent, "."+base+".old")
}

// RestoreBackup replaces the store in storeDir with the backup file at
// path. The store must be closed (ErrAlreadyOpen otherwise). passphrase
// is the one the store had when the backup was made; a backup of a store
// without passphrase needs that store's key.json in storeDir.
//
// The backup is decrypted into a new directory beside storeDir and opened
// there to verify it; only then are the directories swapped with renames,
// and the old store is deleted once the swap succeeded. A backup that
// cannot be decrypted or verified (ErrWrongPassphrase, ErrBackupKey,
// ErrBackupCorrupt, ErrNewerSchema) leaves storeDir untouched.
func RestoreBackup(storeDir, path, passphrase string) (BackupInfo, error) {
	info, err := restoreBackup(storeDir, path, passphrase)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("restore %s from %s: %w", storeDir, path, err)
	}
	return info, nil
}

func restoreBackup(storeDir, path, passphrase string) (BackupInfo, error) {
	storeDir = filepath.Clean(storeDir)
	f, err := os.Open(path)
	if err != nil {
		return BackupInfo{}, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 256<<10)
	h, covered, mac, err := readBackupHeader(br)
	if err != nil {
		return BackupInfo{}, err
	}

	kf, key, badKey, err := backupKey(h, storeDir, passphrase)
	if err != nil {
		return BackupInfo{}, err
	}
	stream, cr, err := openBackup(br, h, covered, mac, key, badKey)
	if err != nil {
		return BackupInfo{}, err
	}

	// Fail early, before the long load, when an app has the store open;
	// the lock is taken again for the swap.
	unlock, err := lockStore(filepath.Join(storeDir, storeSubdir))
	if err != nil {
		return BackupInfo{}, err
	}
	unlock()

	tmp, old := restorePaths(storeDir)
	if err := os.RemoveAll(tmp); err != nil {
		return BackupInfo{}, fmt.Errorf("clear %s: %w", tmp, err)
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.MkdirAll(filepath.Join(tmp, storeSubdir), 0o700); err != nil {
		return BackupInfo{}, err
	}
	if err := writeKeyFile(tmp, &kf); err != nil {
		return BackupInfo{}, err
	}
	if err := loadBackup(filepath.Join(tmp, storeSubdir), key, stream, cr); err != nil {
		return BackupInfo{}, err
	}
	if err := verifyRestored(tmp, passphrase, h.Device); err != nil {
		return BackupInfo{}, err
	}
	if err := markVerified(tmp); err != nil {
		return BackupInfo{}, err
	}

	// Swap, with the current store locked so that no app has it open.
	unlock, err = lockStore(filepath.Join(storeDir, storeSubdir))
	if err != nil {
		return BackupInfo{}, err
	}
	defer unlock()
	if err := os.RemoveAll(old); err != nil {
		return BackupInfo{}, fmt.Errorf("clear %s: %w", old, err)
	}
	hadStore := true
	if err := os.Rename(storeDir, old); errors.Is(err, os.ErrNotExist) {
		hadStore = false
	} else if err != nil {
		return BackupInfo{}, fmt.Errorf("move the current store aside (is the app still open?): %w", err)
	}
	if err := os.Rename(tmp, storeDir); err != nil {
		if hadStore {
			if rerr := os.Rename(old, storeDir); rerr != nil {
				return BackupInfo{}, fmt.Errorf("put the restored store in place: %v; and put the old store back from %s: %w", err, old, rerr)
			}
		}
		return BackupInfo{}, fmt.Errorf("put the restored store in place: %w", err)
	}
	ok = true
	if err := syncDir(filepath.Dir(storeDir)); err != nil {
		return BackupInfo{}, err
	}
	os.Remove(filepath.Join(storeDir, restoreMarker))
	unlock()
	if hadStore {
		// The swap is done: the old store is no longer needed. A failure
		// here leaves it beside the store, and the next Open removes it.
		os.RemoveAll(old)
	}
	h.Path = path
	return h.BackupInfo, nil
}

// loadBackup loads the decrypted Badger stream into a new database in
// bdir, checking that the stream authenticated to its last chunk.
func loadBackup(bdir string, key []byte, stream io.Reader, cr *chunkReader) error {
	db, err := badger.Open(badgerOptions(bdir, key, Options{}).WithSyncWrites(false))
	if err != nil {
		return fmt.Errorf("make the restored store: %w", err)
	}
	// Few pending writes: each is a batch of about a megabyte, and more
	// only hold memory without loading faster on a laptop's disk.
	err = db.Load(stream, 4)
	if err == nil && !cr.done {
		err = errors.New("stream ends before the last chunk")
	}
	if err != nil {
		db.Close()
		return backupError(cr, err)
	}
	if err := db.Sync(); err != nil {
		db.Close()
		return fmt.Errorf("sync the restored store: %w", err)
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("close the restored store: %w", err)
	}
	return nil
}

// verifyRestored opens the restored store in dir as the app would,
// checks that it is the store of device the backup names, and reads
// every record.
func verifyRestored(dir, passphrase, device string) error {
	if !StoreExists(dir) {
		return fmt.Errorf("restored store %s vanished", dir)
	}
	s, err := Open(dir, Options{Passphrase: passphrase})
	if err != nil {
		return fmt.Errorf("open the restored store: %w", err)
	}
	defer s.Close()
	if s.Device() != device {
		return fmt.Errorf("restored store is of device %q, the backup says %q: %w", s.Device(), device, ErrBackupCorrupt)
	}
	ids, err := s.RecordIDs()
	if err == nil {
		for len(ids) > 0 && err == nil {
			n := min(len(ids), 512)
			_, err = s.Records(ids[:n])
			ids = ids[n:]
		}
	}
	if err != nil {
		return fmt.Errorf("read the restored store: %v: %w", err, ErrBackupCorrupt)
	}
	return s.Close()
}

func markVerified(dir string) error {
	p := filepath.Join(dir, restoreMarker)
	if err := os.WriteFile(p, []byte("verified\n"), 0o600); err != nil {
		return fmt.Errorf("mark %s verified: %w", dir, err)
	}
	return syncDir(dir)
}

// recoverRestore finishes or undoes a restore of dir that a crash or a
// power cut interrupted between its two renames, and removes what a
// finished one left behind. Open calls it first.
func recoverRestore(dir string) error {
	tmp, old := restorePaths(dir)
	_, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if _, err := os.Stat(filepath.Join(tmp, restoreMarker)); err == nil {
			if err := os.Rename(tmp, dir); err != nil {
				return fmt.Errorf("finish an interrupted restore from %s: %w", tmp, err)
			}
			os.Remove(filepath.Join(dir, restoreMarker))
			os.RemoveAll(old)
		} else if _, err := os.Stat(old); err == nil {
			if err := os.Rename(old, dir); err != nil {
				return fmt.Errorf("put back the store from %s after an interrupted restore: %w", old, err)
			}
		}
	case err == nil:
		if _, err := os.Stat(filepath.Join(dir, restoreMarker)); err == nil {
			os.Remove(filepath.Join(dir, restoreMarker))
		}
		if _, err := os.Stat(old); err == nil {
			os.RemoveAll(old)
		}
	}
	return nil
}
