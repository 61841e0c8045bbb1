// Command danvan-server is the provincial sync server of Sổ tay Dân vận.
// It is pure Go (CGO_ENABLED=0), never imports Fyne, and keeps its data
// in its own Badger directory.
//
// Usage:
//
//	danvan-server serve --data DIR --addr 127.0.0.1:8443 [--tls-cert F --tls-key F] [--insecure-listen]
//	danvan-server enroll --data DIR --commune 23368 --label "Cán bộ A" [--valid 72h]
//	danvan-server province-token --data DIR --label "Ban Dân vận Tỉnh ủy"
//	danvan-server devices list --data DIR
//	danvan-server devices revoke --data DIR ID
//	danvan-server bundle import --data DIR FILE [--reply OUT]
//	danvan-server --version
//
// Every command takes --database postgres://... (or $DANVAN_SERVER_DATABASE)
// to keep the data in PostgreSQL instead of the Badger directory; several
// servers may then share one database.
//
// The admin commands open the data directory directly when no server
// runs on it, and otherwise ask the running server over the Unix socket
// DIR/admin.sock, which only the server's user can open.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"danvan/province"
	dsync "danvan/sync"
)

// version is the server's version, kept in step with FyneApp.toml.
var version = "0.1.0"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `danvan-server: provincial sync server of Sổ tay Dân vận.

Usage:
  danvan-server serve --data DIR --key-file KEY --addr 127.0.0.1:8443 [--tls-cert FILE --tls-key FILE] [--insecure-listen]
  danvan-server keygen --out KEY      make a server key file (the data directory is encrypted with it)
  danvan-server rotate-key --data DIR --key-file OLD --new-key-file NEW   (server stopped)
  danvan-server rotate-key --database URL [--key-file OLD] --new-key-file NEW   (servers stopped;
                  without --key-file: seal a database made without a key)
  danvan-server encrypt --data OLD --out NEW --key-file KEY   copy an unencrypted data directory into an encrypted one
  danvan-server enroll --data DIR --commune CODE --label "Cán bộ A" [--valid 72h]
  danvan-server province-token --data DIR --label "Ban Dân vận Tỉnh ủy"
  danvan-server devices list --data DIR
  danvan-server devices revoke --data DIR ID
  danvan-server users add --data DIR NAME [--communes 23368,23371] [--sensitive]
                  a province user of the web pages at /province/ (password on
                  standard input; without --communes the user sees every commune)
  danvan-server users list|audit --data DIR     the users; sign-ins and views of sensitive fields
  danvan-server users remove --data DIR NAME
  danvan-server bundle import --data DIR FILE [--reply OUT]
                  import a laptop's USB sync bundle (.dvb) and write the reply
                  bundle to carry back (default FILE-phanhoi.dvb)
  danvan-server --version

--data defaults to $DANVAN_SERVER_DATA, or ./danvan-server-data; --key-file to
$DANVAN_SERVER_KEY_FILE. Every command that opens the data directory needs the key.
--database postgres://USER@HOST/DB (default $DANVAN_SERVER_DATABASE) keeps the data
in PostgreSQL instead of --data; the key then seals every record in the database.
`

// stdin is where "users add" reads the password (tests replace it).
var stdin io.Reader = os.Stdin

// run executes one command line and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "--version", "-version", "version":
		fmt.Fprintf(stdout, "danvan-server %s (%s %s/%s)\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
		return 0
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	case "serve":
		err = cmdServe(ctx, args[1:], stderr)
	case "keygen":
		err = cmdKeygen(args[1:], stdout, stderr)
	case "rotate-key":
		err = cmdRotateKey(args[1:], stdout, stderr)
	case "encrypt":
		err = cmdEncrypt(args[1:], stdout, stderr)
	case "enroll":
		err = cmdEnroll(ctx, args[1:], stdout, stderr)
	case "province-token":
		err = cmdProvinceToken(ctx, args[1:], stdout, stderr)
	case "devices":
		if len(args) < 2 {
			err = errors.New("devices: want list or revoke")
			break
		}
		switch args[1] {
		case "list":
			err = cmdDevicesList(ctx, args[2:], stdout, stderr)
		case "revoke":
			err = cmdDevicesRevoke(ctx, args[2:], stdout, stderr)
		default:
			err = fmt.Errorf("devices %s: unknown; want list or revoke", args[1])
		}
	case "users":
		err = cmdUsers(ctx, args[1:], stdin, stdout, stderr)
	case "bundle":
		if len(args) < 2 || args[1] != "import" {
			err = fmt.Errorf("bundle: want import: %w", errUsage)
			break
		}
		err = cmdBundleImport(ctx, args[2:], stdout, stderr)
	default:
		err = fmt.Errorf("unknown command %q", args[0])
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "danvan-server: %v\n", err)
		if errors.Is(err, errUsage) {
			fmt.Fprint(stderr, usage)
			return 2
		}
		return 1
	}
	return 0
}

var errUsage = errors.New("bad usage")

func defaultDataDir() string {
	if d := os.Getenv("DANVAN_SERVER_DATA"); d != "" {
		return d
	}
	return "danvan-server-data"
}

// keyFileFlag is the value of --key-file of the command being run.
var keyFileFlag *string

// databaseFlag is the value of --database of the command being run:
// "" for the Badger data directory.
var databaseFlag *string

func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("data", defaultDataDir(), "the server's data directory")
	databaseFlag = fs.String("database", os.Getenv("DANVAN_SERVER_DATABASE"), "a PostgreSQL URL (postgres://user@host/db?sslmode=verify-full) to keep the data in instead of --data (default $DANVAN_SERVER_DATABASE)")
	keyFileFlag = fs.String("key-file", os.Getenv("DANVAN_SERVER_KEY_FILE"), "the key file that encrypts the data directory (made by danvan-server keygen; default $DANVAN_SERVER_KEY_FILE)")
	return fs, dir
}

// errNoKey: serve (or an admin command) was asked to create a data
// directory without a key.
var errNoKey = errors.New("no server key: the data directory would hold every commune's records unencrypted.\n" +
	"  Make a key once, keep a copy apart from the data (losing it loses the data), and give it to every command:\n" +
	"    danvan-server keygen --out /etc/danvan/server.key\n" +
	"    danvan-server serve --key-file /etc/danvan/server.key ...   (or DANVAN_SERVER_KEY_FILE=/etc/danvan/server.key)")

// openStorage opens the data directory dir, or the PostgreSQL database
// of --database, with the key named by keyFile. Without a key it refuses
// a new directory or database, and opens an existing unencrypted one
// (made before encryption) with a warning.
func openStorage(dir, keyFile string, log *slog.Logger) (dsync.Storage, error) {
	if databaseFlag != nil && *databaseFlag != "" {
		return openPG(*databaseFlag, keyFile, log)
	}
	if keyFile == "" {
		if dsync.DataDirIsNew(dir) {
			return nil, fmt.Errorf("%s: %w", dir, errNoKey)
		}
		st, err := dsync.OpenBadgerStorage(dir, log)
		if err == nil && log != nil {
			log.Warn("data directory is NOT encrypted: see README, \"Encrypting an old data directory\"", "data", dir)
		}
		return st, err
	}
	key, err := dsync.ReadServerKeyFile(keyFile)
	if err != nil {
		return nil, err
	}
	return dsync.OpenBadgerStorageKey(dir, log, key)
}

// openPG opens the PostgreSQL storage at dsn; see openStorage.
func openPG(dsn, keyFile string, log *slog.Logger) (dsync.Storage, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var key []byte
	if keyFile == "" {
		isNew, err := dsync.PGDatabaseIsNew(ctx, dsn)
		if err != nil {
			return nil, err
		}
		if isNew {
			return nil, fmt.Errorf("the database: %w", errNoKey)
		}
	} else {
		var err error
		if key, err = dsync.ReadServerKeyFile(keyFile); err != nil {
			return nil, err
		}
	}
	st, err := dsync.OpenPGStorage(ctx, dsn, log, key)
	if err == nil && key == nil && log != nil {
		log.Warn("records in the database are NOT encrypted with a server key")
	}
	if err != nil {
		return nil, err
	}
	return st, nil
}

// parse parses flags that may come before or after positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func socketPath(dir string) string { return filepath.Join(dir, "admin.sock") }

// withAdmin runs f with an AdminAPI: the data directory itself when no
// server holds it, or else the running server's admin socket.
func withAdmin(dir string, f func(dsync.AdminAPI) error) error {
	st, err := openStorage(dir, *keyFileFlag, nil)
	if errors.Is(err, dsync.ErrStoreBusy) {
		if _, serr := os.Stat(socketPath(dir)); serr != nil {
			return fmt.Errorf("%w, which has no admin socket (%s): stop it to run this command", err, socketPath(dir))
		}
		return f(dsync.NewAdminClient(socketPath(dir)))
	}
	if err != nil {
		return err
	}
	ferr := f(&dsync.Admin{Storage: st})
	if err := st.Close(); err != nil && ferr == nil {
		ferr = err
	}
	return ferr
}

func cmdEnroll(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dir := newFlags("enroll", stderr)
	commune := fs.String("commune", "", "the commune's 5-digit code (required)")
	label := fs.String("label", "", "who the laptop is for, e.g. \"Cán bộ A\"")
	valid := fs.Duration("valid", dsync.DefaultCodeValidity, "how long the code can be used")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *commune == "" {
		return fmt.Errorf("enroll: --commune is required: %w", errUsage)
	}
	return withAdmin(*dir, func(a dsync.AdminAPI) error {
		code, exp, err := a.NewEnrolmentCode(ctx, *commune, *label, *valid)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s\n", code)
		fmt.Fprintf(stderr, "one-time enrolment code for commune %s (%s), valid until %s\n", *commune, *label, exp.Local().Format("2006-01-02 15:04"))
		return nil
	})
}

func cmdProvinceToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dir := newFlags("province-token", stderr)
	label := fs.String("label", "", "who the token is for")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	return withAdmin(*dir, func(a dsync.AdminAPI) error {
		token, dev, err := a.NewProvinceToken(ctx, *label)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s\n", token)
		fmt.Fprintf(stderr, "province-level read token %s (%s): shown once, the server keeps only its hash\n", dev.ID, dev.Label)
		return nil
	})
}

func cmdDevicesList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dir := newFlags("devices list", stderr)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	return withAdmin(*dir, func(a dsync.AdminAPI) error {
		devs, err := a.Devices(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tROLE\tCOMMUNE\tLABEL\tENROLLED\tLAST SEEN\tSTATE")
		for _, d := range devs {
			state := "active"
			if !d.Active() {
				state = "revoked " + d.Revoked.Local().Format("2006-01-02 15:04")
			}
			seen := "-"
			if !d.LastSeen.IsZero() {
				seen = d.LastSeen.Local().Format("2006-01-02 15:04")
			}
			commune := d.Commune
			if commune == "" {
				commune = "*"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.ID, d.Role, commune, d.Label, d.Enrolled.Local().Format("2006-01-02 15:04"), seen, state)
		}
		return tw.Flush()
	})
}

func cmdDevicesRevoke(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dir := newFlags("devices revoke", stderr)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("devices revoke: want one device ID: %w", errUsage)
	}
	return withAdmin(*dir, func(a dsync.AdminAPI) error {
		if err := a.Revoke(ctx, pos[0]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "revoked %s\n", pos[0])
		return nil
	})
}

// cmdBundleImport imports a laptop's export bundle, directly or through
// the running server's admin socket, and writes the reply bundle.
func cmdBundleImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dir := newFlags("bundle import", stderr)
	replyPath := fs.String("reply", "", "where to write the reply bundle (default: FILE-phanhoi"+dsync.BundleExt+" beside FILE)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("bundle import: want one bundle file: %w", errUsage)
	}
	if *replyPath == "" {
		*replyPath = dsync.ReplyPath(pos[0])
	}
	raw, err := dsync.ReadBundleFile(pos[0])
	if err != nil {
		return err
	}
	return withAdmin(*dir, func(a dsync.AdminAPI) error {
		imp, ok := a.(dsync.BundleImporter)
		if !ok {
			return errors.New("bundle import: this admin connection cannot import bundles")
		}
		res, reply, err := imp.ImportBundle(ctx, raw)
		if err != nil {
			return fmt.Errorf("%s: %w", pos[0], err)
		}
		if err := dsync.WriteBundleFile(*replyPath, reply); err != nil {
			return err
		}
		b := res.Bundle
		fmt.Fprintf(stdout, "imported bundle %s of device %s (%s), commune %s, written %s: %d records, outbox %d-%d\n",
			b.ID, b.Device, res.DeviceLabel, b.Commune, b.Created.Local().Format("2006-01-02 15:04"), b.Records, b.OutboxFirst, b.OutboxLast)
		fmt.Fprintf(stdout, "stored %d, unchanged %d, refused %d\n", res.Stored, res.Unchanged, len(res.Refused))
		for _, re := range res.Refused {
			fmt.Fprintf(stdout, "  refused %s\n", re)
		}
		r := res.Reply
		fmt.Fprintf(stdout, "reply %s: %d acknowledgements, %d records to pull (cursor %d->%d", *replyPath, r.Entries, r.Records, r.Since, r.Cursor)
		if r.Resync != "" {
			fmt.Fprintf(stdout, ", full resync: %s", r.Resync)
		}
		fmt.Fprintln(stdout, "); carry it back and import it on that laptop: danvan bundle import FILE")
		return nil
	})
}

func cmdKeygen(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("keygen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "the key file to create (required; never overwritten)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("keygen: --out is required: %w", errUsage)
	}
	if err := dsync.NewServerKeyFile(*out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (mode 0600): keep a copy apart from the data directory and its backups; without it the data cannot be read\n", *out)
	return nil
}

// cmdRotateKey re-encrypts a stopped server's data directory from the
// key in --key-file to the one in --new-key-file.
func cmdRotateKey(args []string, stdout, stderr io.Writer) error {
	fs, dir := newFlags("rotate-key", stderr)
	newFile := fs.String("new-key-file", "", "the new key file (made by danvan-server keygen)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *databaseFlag != "" && *newFile != "" {
		return rotatePGKey(*databaseFlag, *keyFileFlag, *newFile, stdout)
	}
	if *keyFileFlag == "" || *newFile == "" {
		return fmt.Errorf("rotate-key: give --key-file (the current key) and --new-key-file: %w", errUsage)
	}
	oldKey, err := dsync.ReadServerKeyFile(*keyFileFlag)
	if err != nil {
		return err
	}
	newKey, err := dsync.ReadServerKeyFile(*newFile)
	if err != nil {
		return err
	}
	if err := dsync.RotateServerKey(*dir, oldKey, newKey); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s is now encrypted with %s; the old key no longer opens it\n", *dir, *newFile)
	return nil
}

// rotatePGKey re-seals the records of the PostgreSQL database dsn from
// the key in oldFile ("" for a database made without a key) to the one in
// newFile.
func rotatePGKey(dsn, oldFile, newFile string, stdout io.Writer) error {
	var oldKey []byte
	if oldFile != "" {
		var err error
		if oldKey, err = dsync.ReadServerKeyFile(oldFile); err != nil {
			return err
		}
	}
	newKey, err := dsync.ReadServerKeyFile(newFile)
	if err != nil {
		return err
	}
	n, err := dsync.RotatePGKey(context.Background(), dsn, oldKey, newKey)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "the database's %d records are now sealed with %s; the old key no longer opens it\n", n, newFile)
	return nil
}

// cmdEncrypt copies a stopped, unencrypted data directory (made before
// encryption) into a new one encrypted with --key-file.
func cmdEncrypt(args []string, stdout, stderr io.Writer) error {
	fs, dir := newFlags("encrypt", stderr)
	out := fs.String("out", "", "the new, encrypted data directory (must not exist yet)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *databaseFlag != "" {
		return fmt.Errorf("encrypt copies a Badger data directory; to seal a PostgreSQL database made without a key: rotate-key --database URL --new-key-file KEY: %w", errUsage)
	}
	if *keyFileFlag == "" || *out == "" {
		return fmt.Errorf("encrypt: give --key-file and --out: %w", errUsage)
	}
	key, err := dsync.ReadServerKeyFile(*keyFileFlag)
	if err != nil {
		return err
	}
	if err := dsync.EncryptDataDir(*dir, *out, key); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "copied %s into %s, encrypted: serve --data %s --key-file %s, then delete %s and its backups\n", *dir, *out, *out, *keyFileFlag, *dir)
	return nil
}

// isLoopback reports whether addr (host:port) listens on loopback only.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func cmdServe(ctx context.Context, args []string, stderr io.Writer) error {
	fs, dir := newFlags("serve", stderr)
	addr := fs.String("addr", "127.0.0.1:8443", "address to listen on")
	cert := fs.String("tls-cert", "", "TLS certificate file (PEM)")
	key := fs.String("tls-key", "", "TLS key file (PEM)")
	insecure := fs.Bool("insecure-listen", false, "allow plain HTTP on a non-loopback address (behind a TLS proxy only)")
	maxBody := fs.Int64("max-body", dsync.DefaultMaxBody, "largest request body in bytes; above it 413")
	retention := fs.Duration("tombstone-retention", 180*24*time.Hour, "how long deleted records are kept before they are purged")
	purgeEvery := fs.Duration("purge-interval", 24*time.Hour, "how often old tombstones are purged")
	shutdownWait := fs.Duration("shutdown-timeout", 30*time.Second, "how long in-flight requests may finish on SIGTERM")
	readTimeout := fs.Duration("read-timeout", dsync.DefaultReadTimeout, "longest time to read one request, headers and body")
	writeTimeout := fs.Duration("write-timeout", dsync.DefaultWriteTimeout, "longest time to write one answer")
	idleTimeout := fs.Duration("idle-timeout", dsync.DefaultIdleTimeout, "how long an idle kept-alive connection stays open")
	noPages := fs.Bool("no-dashboard", false, "do not serve the province's web pages under /province/")
	perAddr := fs.Int("max-conns-per-addr", dsync.DefaultConnsPerAddr, "most connections open at once from one IP address (0: no limit)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if (*cert == "") != (*key == "") {
		return fmt.Errorf("serve: give both --tls-cert and --tls-key, or neither: %w", errUsage)
	}
	tls := *cert != ""
	if !tls && !isLoopback(*addr) && !*insecure {
		return fmt.Errorf("serve: refusing plain HTTP on %s, which is not a loopback address: give --tls-cert and --tls-key, or --insecure-listen if a TLS proxy is in front", *addr)
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	st, err := openStorage(*dir, *keyFileFlag, log)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer func() {
		if err := st.Close(); err != nil {
			log.Error("close store", "err", err.Error())
		}
	}()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: listen on %s: %w", *addr, err)
	}
	sock := socketPath(*dir)
	var aln net.Listener
	if *databaseFlag == "" {
		_ = os.Remove(sock) // a stale socket of a server that died; the store lock proves none runs
		aln, err = net.Listen("unix", sock)
		if err != nil {
			// Wine, older Windows Server: no Unix sockets. The server runs
			// without; admin commands then need it stopped.
			log.Warn("no admin socket: admin commands need the server stopped", "socket", sock, "err", err.Error())
			aln = nil
		} else {
			_ = os.Chmod(sock, 0o600)
			defer os.Remove(sock)
		}
	} // With --database the admin commands open the database beside the servers.
	ln = dsync.LimitListener(ln, *perAddr)

	var pages *province.Handler
	if !*noPages {
		pages = province.New(province.Config{Storage: st, Logger: log})
		defer pages.Close()
		go pages.View().Warm(ctx, log)
	}
	cfg := dsync.ServerConfig{Storage: st, Logger: log, MaxBody: *maxBody}
	if pages != nil {
		cfg.Pages = pages
	}
	handler := dsync.NewServer(cfg)
	srv := dsync.NewHTTPServer(handler, dsync.Timeouts{Read: *readTimeout, Write: *writeTimeout, Idle: *idleTimeout})
	srv.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	adm := &dsync.Admin{Storage: st}
	admin := &http.Server{Handler: dsync.WithBundleImport(dsync.AdminHandler(adm), adm), ReadHeaderTimeout: 10 * time.Second}

	errc := make(chan error, 2)
	go func() {
		var err error
		if tls {
			err = srv.ServeTLS(ln, *cert, *key)
		} else {
			err = srv.Serve(ln)
		}
		errc <- err
	}()
	if aln != nil {
		go func() { errc <- admin.Serve(aln) }()
	}
	go purgeLoop(ctx, st, log, *retention, *purgeEvery)
	where := *dir
	if *databaseFlag != "" {
		where = "postgres"
	}
	log.Info("listening", "addr", ln.Addr().String(), "tls", tls, "data", where, "server_id", st.ServerID(), "version", version)

	var serveErr error
	select {
	case <-ctx.Done():
		log.Info("stopping: finishing requests in flight", "timeout", shutdownWait.String())
	case serveErr = <-errc:
	}
	sctx, cancel := context.WithTimeout(context.Background(), *shutdownWait)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		// Requests still running lose their connection; their storage
		// transactions see the cancellation and roll back whole.
		log.Warn("shutdown timed out: closing connections", "err", err.Error())
		_ = srv.Close()
	}
	_ = admin.Close()
	log.Info("stopped")
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", serveErr)
	}
	return nil
}

func purgeLoop(ctx context.Context, st dsync.Storage, log *slog.Logger, retention, every time.Duration) {
	if every <= 0 || retention <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := st.PurgeTombstones(ctx, time.Now().Add(-retention))
		switch {
		case err != nil && !strings.Contains(err.Error(), "closed") && ctx.Err() == nil:
			log.Error("purge tombstones", "err", err.Error())
		case n > 0:
			log.Info("purged tombstones", "records", n, "older_than", retention.String())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
