package sync

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"danvan/data"
)

// The bundle tests use real Badger stores on both sides and no network:
// laptops are enrolled directly on the server's storage, and every byte
// between them travels as a bundle (except in TestBundleForward, which
// is about sending one over the network).

// openServerStorage opens a server database in a temp dir.
func openServerStorage(t *testing.T) *BadgerStorage {
	t.Helper()
	st, err := OpenBadgerStorage(filepath.Join(t.TempDir(), "server"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// enrollOffline enrolls a new laptop store with srv for commune the way
// Enroll does, without HTTP; serverURL is what the laptop would dial.
func enrollOffline(t *testing.T, srv Storage, commune, serverURL string) (*data.Store, Device) {
	t.Helper()
	ctx := context.Background()
	st := openStore(t)
	code, _, err := (&Admin{Storage: srv}).NewEnrolmentCode(ctx, commune, "Cán bộ "+commune, 0)
	if err != nil {
		t.Fatal(err)
	}
	token := base64.RawURLEncoding.EncodeToString(newRandom(32))
	th := sha256.Sum256([]byte(token))
	dev, err := srv.RedeemEnrolment(ctx, codeHash(NormalizeCode(code)), time.Now(), "",
		Device{ID: data.NewID(), TokenHash: th[:], StoreDevice: st.Device(), Enrolled: time.Now().UTC()})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetCommune(dev.Commune); err != nil {
		t.Fatal(err)
	}
	if serverURL == "" {
		serverURL = "https://dongbo.invalid"
	}
	if err := st.ApplyRemote(nil, map[string][]byte{metaServer: []byte(serverURL), metaToken: []byte(token),
		metaDeviceID: []byte(dev.ID), metaServerID: []byte(srv.ServerID()), metaLabel: []byte(dev.Label)}); err != nil {
		t.Fatal(err)
	}
	return st, dev
}

func exportOf(t *testing.T, st *data.Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	h, err := ExportBundle(st, &buf)
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	if h.Records != st.Pending() {
		t.Fatalf("export carries %d records (%d outbox entries), %d pending", h.Records, h.Entries, st.Pending())
	}
	return buf.Bytes()
}

func serverImport(t *testing.T, srv Storage, raw []byte) (BundleImport, []byte) {
	t.Helper()
	res, reply, err := ImportBundle(context.Background(), srv, raw, time.Now())
	if err != nil {
		t.Fatalf("server import: %v", err)
	}
	return res, reply
}

func laptopImport(t *testing.T, st *data.Store, raw []byte) ReplyResult {
	t.Helper()
	res, err := ImportReply(st, raw)
	if err != nil {
		t.Fatalf("laptop import: %v", err)
	}
	return res
}

// roundTrip carries one bundle from st to srv and the reply back.
func roundTrip(t *testing.T, srv Storage, st *data.Store) (BundleImport, ReplyResult) {
	t.Helper()
	imp, reply := serverImport(t, srv, exportOf(t, st))
	return imp, laptopImport(t, st, reply)
}

// laptopState is everything an import may change on a laptop: records,
// outbox, cursor and quarantine.
func laptopState(t *testing.T, st *data.Store) string {
	t.Helper()
	snap := snapshot(t, st)
	ids := make([]string, 0, len(snap))
	for id := range snap {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var b strings.Builder
	for _, id := range ids {
		fmt.Fprintf(&b, "%s %s\n", id, snap[id])
	}
	out, err := st.Outbox(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range out {
		fmt.Fprintf(&b, "outbox %d %s\n", e.Seq, e.Record)
	}
	fmt.Fprintf(&b, "cursor %s\n", st.Meta(metaCursor))
	q, err := st.MetaPrefix(prefixQuar)
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(&b, "quarantine %v\n", keys)
	return b.String()
}

// serverState is every record the server holds for commune and its
// sequence (the cursor after everything).
func serverState(t *testing.T, srv Storage, commune string) string {
	t.Helper()
	snap := serverSnapshot(t, srv, commune)
	page, err := srv.Pull(context.Background(), PullRequest{Commune: commune, Since: 0, Limit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, 0, len(snap))
	for id := range snap {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var b strings.Builder
	for _, id := range ids {
		fmt.Fprintf(&b, "%s %s\n", id, snap[id])
	}
	fmt.Fprintf(&b, "seq %d\n", page.Cursor)
	return b.String()
}

func editVillage(t *testing.T, st *data.Store, id string, f func(v *data.Village)) {
	t.Helper()
	var v data.Village
	if err := st.Load(id, &v); err != nil {
		t.Fatal(err)
	}
	f(&v)
	mustSave(t, st, &v)
}

func assertConverged(t *testing.T, srv Storage, commune string, laptops ...*data.Store) {
	t.Helper()
	want := serverSnapshot(t, srv, commune)
	for i, st := range laptops {
		if d := diffSnapshots(want, snapshot(t, st)); d != "" {
			t.Fatalf("laptop %d differs from the server: %s", i, d)
		}
		if n := st.Pending(); n != 0 {
			t.Fatalf("laptop %d still has %d outbox entries", i, n)
		}
	}
}

// TestBundleConvergeTwoLaptops: two laptops and a server converge
// through bundles alone, with concurrent edits, conflicting edits and
// deletions.
func TestBundleConvergeTwoLaptops(t *testing.T) {
	srv := openServerStorage(t)
	a, _ := enrollOffline(t, srv, dakLong, "")
	b, _ := enrollOffline(t, srv, dakLong, "")

	va := seedVillages(t, a, 5)
	seedHouseholds(t, a, va, 120)
	vb := seedVillages(t, b, 3)

	imp, ra := roundTrip(t, srv, a)
	if imp.Stored != 125 || imp.Unchanged != 0 || len(imp.Refused) != 0 {
		t.Fatalf("first import of A: %+v", imp)
	}
	if ra.Acked != 125 || ra.Pushed != 125 || ra.Pulled != 0 || a.Pending() != 0 || !ra.CursorMoved {
		t.Fatalf("A's reply: %+v, pending %d", ra, a.Pending())
	}
	_, rb := roundTrip(t, srv, b)
	if rb.Pulled != 125 || b.Pending() != 0 {
		t.Fatalf("B's reply: pulled %d, pending %d", rb.Pulled, b.Pending())
	}
	_, ra = roundTrip(t, srv, a) // an empty export: it only asks for what is new
	if ra.Pulled != 3 || ra.Acked != 0 {
		t.Fatalf("A's second reply: %+v", ra)
	}
	assertConverged(t, srv, dakLong, a, b)

	// concurrent edits of the same records, a deletion, new records
	editVillage(t, a, vb[0], func(v *data.Village) { v.Households = 77 })
	editVillage(t, b, vb[0], func(v *data.Village) { v.Name = "Làng Kon Đổi Tên" })
	editVillage(t, a, va[1], func(v *data.Village) { v.Households = 10 })
	editVillage(t, b, va[1], func(v *data.Village) { v.Households = 11 }) // later stamp wins
	if err := b.Delete(va[2]); err != nil {
		t.Fatal(err)
	}
	seedVillages(t, a, 2)
	seedVillages(t, b, 2)

	// B's bundle travels first this time; each laptop needs two trips
	// to see everything (the second brings what the other sent later)
	for _, st := range []*data.Store{b, a, b, a} {
		roundTrip(t, srv, st)
	}
	assertConverged(t, srv, dakLong, a, b)
	var v data.Village
	if err := a.Load(vb[0], &v); err != nil || v.Households != 77 || v.Name != "Làng Kon Đổi Tên" {
		t.Fatalf("merged village on A: %+v %v", v, err)
	}
	if err := a.Load(va[1], &v); err != nil || v.Households != 11 {
		t.Fatalf("conflicting edit on A: %+v %v", v, err)
	}
	if r, ok := a.Row(va[2]); !ok || !r.Deleted {
		t.Fatalf("deletion by B not on A: %+v %v", r, ok)
	}
	if n := len(serverSnapshot(t, srv, dakLong)); n != 132 {
		t.Fatalf("server holds %d records, want 132", n)
	}
}

// TestBundleSameTwice: importing the same export twice, or the same
// reply twice, changes nothing.
func TestBundleSameTwice(t *testing.T) {
	srv := openServerStorage(t)
	a, _ := enrollOffline(t, srv, dakLong, "")
	b, _ := enrollOffline(t, srv, dakLong, "")
	seedVillages(t, b, 4)
	roundTrip(t, srv, b)
	seedVillages(t, a, 6)

	export := exportOf(t, a)
	imp1, reply1 := serverImport(t, srv, export)
	before := serverState(t, srv, dakLong)
	imp2, reply2 := serverImport(t, srv, export)
	if after := serverState(t, srv, dakLong); after != before {
		t.Fatalf("second import of the same bundle changed the server:\n%s\n%s", before, after)
	}
	if imp1.Stored != 6 || imp2.Stored != 0 || imp2.Unchanged != 6 {
		t.Fatalf("imports: first %+v, second %+v", imp1, imp2)
	}

	r1 := laptopImport(t, a, reply1)
	if r1.Pulled != 4 || r1.Acked != 6 || r1.AlreadyImported {
		t.Fatalf("first reply: %+v", r1)
	}
	state := laptopState(t, a)
	r1b := laptopImport(t, a, reply1)
	if !r1b.AlreadyImported {
		t.Fatalf("second import of the same reply not noticed: %+v", r1b)
	}
	if s := laptopState(t, a); s != state {
		t.Fatalf("second import of the same reply changed the laptop:\n%s\n%s", state, s)
	}
	// the reply to the second import of the export is another file with
	// the same content: importing it changes nothing either
	laptopImport(t, a, reply2)
	if s := laptopState(t, a); s != state {
		t.Fatalf("the reply of a repeated import changed the laptop:\n%s\n%s", state, s)
	}
	roundTrip(t, srv, b)
	assertConverged(t, srv, dakLong, a, b)
}

// TestBundleRepliesOutOfOrder: replies imported in another order than
// they were made still converge, and the cursor never skips records.
func TestBundleRepliesOutOfOrder(t *testing.T) {
	srv := openServerStorage(t)
	a, _ := enrollOffline(t, srv, dakLong, "")
	b, _ := enrollOffline(t, srv, dakLong, "")
	va := seedVillages(t, a, 3)

	_, r1 := serverImport(t, srv, exportOf(t, a)) // A's first trip
	vb := seedVillages(t, b, 2)
	roundTrip(t, srv, b)
	editVillage(t, a, va[0], func(v *data.Village) { v.Households = 5 })
	seedVillages(t, a, 1)
	_, r2 := serverImport(t, srv, exportOf(t, a)) // second trip, before r1 came back
	editVillage(t, b, vb[1], func(v *data.Village) { v.Households = 6 })
	roundTrip(t, srv, b)
	_, r3 := serverImport(t, srv, exportOf(t, a)) // third trip

	h1, _ := ReadBundleHeader(r1)
	h2, _ := ReadBundleHeader(r2)
	h3, _ := ReadBundleHeader(r3)
	if !(h1.Cursor < h2.Cursor && h2.Cursor < h3.Cursor) || h1.Since != 0 || h2.Since != 0 || h3.Since != 0 {
		t.Fatalf("reply cursors %d→%d, %d→%d, %d→%d", h1.Since, h1.Cursor, h2.Since, h2.Cursor, h3.Since, h3.Cursor)
	}

	// the newest first, then the older ones
	res := laptopImport(t, a, r3)
	if res.Cursor != h3.Cursor || a.Pending() != 0 {
		t.Fatalf("after r3: cursor %d (want %d), pending %d", res.Cursor, h3.Cursor, a.Pending())
	}
	state := laptopState(t, a)
	for _, r := range [][]byte{r1, r2} {
		res := laptopImport(t, a, r)
		if res.CursorMoved || res.Cursor != h3.Cursor {
			t.Fatalf("an older reply moved the cursor: %+v", res)
		}
	}
	if s := laptopState(t, a); s != state {
		t.Fatalf("older replies changed the laptop after a newer one:\n%s\n%s", state, s)
	}
	assertConverged(t, srv, dakLong, a, b)

	// a reply that does not follow on from the laptop's cursor is merged
	// but does not move the cursor past records the laptop lacks
	if err := a.SetMeta(metaCursor, []byte("0")); err != nil {
		t.Fatal(err)
	}
	seedVillages(t, b, 1)
	roundTrip(t, srv, b)
	if err := a.SetMeta(metaCursor, []byte(fmt.Sprint(h3.Cursor))); err != nil {
		t.Fatal(err)
	}
	_, r4 := serverImport(t, srv, exportOf(t, a))
	if err := a.SetMeta(metaCursor, []byte("1")); err != nil {
		t.Fatal(err)
	}
	if res := laptopImport(t, a, r4); res.CursorMoved || res.Cursor != 1 || res.Pulled != 1 {
		t.Fatalf("a reply from beyond the cursor: %+v", res)
	}
	roundTrip(t, srv, a)
	assertConverged(t, srv, dakLong, a, b)

	// mixed orders across several replies, on a third laptop
	c, _ := enrollOffline(t, srv, dakLong, "")
	var replies [][]byte
	var vc []string
	for i := range 4 {
		seedVillages(t, b, 1)
		roundTrip(t, srv, b)
		vc = append(vc, seedVillages(t, c, 1)...)
		if i == 2 {
			editVillage(t, c, vc[0], func(v *data.Village) { v.Name = "Làng Kon Mới" })
		}
		_, r := serverImport(t, srv, exportOf(t, c))
		replies = append(replies, r)
	}
	for _, i := range []int{2, 0, 3, 1} {
		laptopImport(t, c, replies[i])
	}
	roundTrip(t, srv, a)
	roundTrip(t, srv, b)
	assertConverged(t, srv, dakLong, a, b, c)
}

// flip returns raw with one byte changed.
func flip(raw []byte, i int) []byte {
	out := bytes.Clone(raw)
	out[i] ^= 0x20
	return out
}

// TestBundleRejected: a truncated, altered or foreign bundle, or one of
// the wrong kind, is refused with a clear error and changes nothing.
func TestBundleRejected(t *testing.T) {
	srv := openServerStorage(t)
	a, _ := enrollOffline(t, srv, dakLong, "")
	b, _ := enrollOffline(t, srv, dakLong, "")
	c, _ := enrollOffline(t, srv, moRai, "")
	seedVillages(t, a, 3)
	seedVillages(t, b, 2)
	seedVillages(t, c, 2)
	roundTrip(t, srv, b)
	roundTrip(t, srv, c)

	export := exportOf(t, a)
	sb, err := parseBundle(export)
	if err != nil {
		t.Fatal(err)
	}
	headerEnd := len(sb.covered)
	ctx := context.Background()

	serverBefore := serverState(t, srv, dakLong) + serverState(t, srv, moRai)
	serverUnchanged := func(what string) {
		t.Helper()
		if s := serverState(t, srv, dakLong) + serverState(t, srv, moRai); s != serverBefore {
			t.Fatalf("%s changed the server", what)
		}
	}
	bad := map[string][]byte{
		"empty":                 {},
		"not a bundle":          []byte("PK\x03\x04 this is a zip file"),
		"cut in the magic":      export[:5],
		"cut in the header":     export[:headerEnd-10],
		"cut in the MAC":        export[:headerEnd+5],
		"cut in the content":    export[:len(export)-40],
		"cut by one byte":       export[:len(export)-1],
		"a byte added":          append(bytes.Clone(export), 0),
		"header byte flipped":   flip(export, headerEnd-30),
		"format byte flipped":   flip(export, 9),
		"MAC byte flipped":      flip(export, headerEnd+3),
		"content byte flipped":  flip(export, headerEnd+sha256.Size+20),
		"last byte flipped":     flip(export, len(export)-1),
		"length field enlarged": flip(export, 12),
	}
	for name, raw := range bad {
		_, _, err := ImportBundle(ctx, srv, raw, time.Now())
		if !errors.Is(err, ErrBundleCorrupt) {
			t.Errorf("%s: server import error %v, want ErrBundleCorrupt", name, err)
		}
		serverUnchanged(name)
	}
	// a header changed to claim another device: that device's key does
	// not open it
	var h BundleHeader
	_ = json.Unmarshal(sb.covered[len(bundleMagic)+6:], &h)
	bDev := string(b.Meta(metaDeviceID))
	swapped := bytes.Replace(export, []byte(h.Device), []byte(bDev), 1)
	if _, _, err := ImportBundle(ctx, srv, swapped, time.Now()); !errors.Is(err, ErrBundleCorrupt) || !strings.Contains(err.Error(), "does not authenticate") {
		t.Errorf("re-labelled bundle: %v", err)
	}
	serverUnchanged("a re-labelled bundle")

	// another server: foreign
	other := openServerStorage(t)
	_, _, err = ImportBundle(ctx, other, export, time.Now())
	var fe *ForeignBundleError
	if !errors.As(err, &fe) || fe.Field != "server" || !errors.Is(err, ErrBundleForeign) {
		t.Errorf("bundle on another server: %v", err)
	}

	// the reply side
	imp, reply := serverImport(t, srv, export)
	if imp.Stored != 3 {
		t.Fatalf("genuine bundle after the bad ones: %+v", imp)
	}
	if _, _, err := ImportBundle(ctx, srv, reply, time.Now()); !errors.Is(err, ErrBundleNotExport) {
		t.Errorf("reply imported on the server: %v", err)
	}
	rsb, _ := parseBundle(reply)
	rEnd := len(rsb.covered)
	stateA, stateB, stateC := laptopState(t, a), laptopState(t, b), laptopState(t, c)
	laptopUnchanged := func(what string) {
		t.Helper()
		if laptopState(t, a) != stateA || laptopState(t, b) != stateB || laptopState(t, c) != stateC {
			t.Fatalf("%s changed a laptop", what)
		}
	}
	badReplies := map[string][]byte{
		"cut in the header":    reply[:rEnd-3],
		"cut in the content":   reply[:len(reply)-100],
		"header byte flipped":  flip(reply, rEnd-20),
		"content byte flipped": flip(reply, len(reply)/2+rEnd/2),
		"MAC byte flipped":     flip(reply, rEnd+31),
	}
	for name, raw := range badReplies {
		if _, err := ImportReply(a, raw); !errors.Is(err, ErrBundleCorrupt) {
			t.Errorf("reply %s: %v, want ErrBundleCorrupt", name, err)
		}
		laptopUnchanged("reply " + name)
	}
	// A's reply on B (same commune, other device) and on C (other commune)
	if _, err := ImportReply(b, reply); !errors.As(err, &fe) || fe.Field != "device" {
		t.Errorf("A's reply on B: %v", err)
	}
	if _, err := ImportReply(c, reply); !errors.As(err, &fe) || fe.Field != "commune" || !strings.Contains(err.Error(), moRai) {
		t.Errorf("A's reply on C: %v", err)
	}
	// an export imported on a laptop
	if _, err := ImportReply(a, exportOf(t, b)); !errors.Is(err, ErrBundleNotReply) {
		t.Errorf("export on a laptop: %v", err)
	}
	laptopUnchanged("foreign replies")

	// a laptop enrolled with another server
	d, _ := enrollOffline(t, other, dakLong, "")
	if _, err := ImportReply(d, reply); !errors.As(err, &fe) || fe.Field != "server" {
		t.Errorf("reply on a laptop of another server: %v", err)
	}
	// a bundle of C's commune forged on A: A's key cannot make one C's
	// server accepts, and one with A's key claiming Mô Rai is refused
	forged := &BundleHeader{Kind: BundleExport, ID: data.NewID(), ServerID: srv.ServerID(), Device: string(a.Meta(metaDeviceID)),
		Commune: moRai, Created: time.Now()}
	k, _ := laptopIdentity(a)
	raw, err := sealBundle(forged, k.tokenHash, &bundlePayload{Records: []json.RawMessage{}})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := ImportBundle(ctx, srv, raw, time.Now()); !errors.As(err, &fe) || fe.Field != "commune" {
		t.Errorf("bundle claiming another commune: %v", err)
	}

	// not enrolled
	if _, err := ExportBundle(openStore(t), &bytes.Buffer{}); !errors.Is(err, ErrNotEnrolled) {
		t.Errorf("export from a laptop not enrolled: %v", err)
	}

	// a revoked device's bundle
	seedVillages(t, b, 1)
	bExport := exportOf(t, b)
	if err := srv.RevokeDevice(ctx, bDev, time.Now()); err != nil {
		t.Fatal(err)
	}
	before := serverState(t, srv, dakLong)
	if _, _, err := ImportBundle(ctx, srv, bExport, time.Now()); !errors.As(err, &fe) || fe.Field != "revoked" {
		t.Errorf("revoked device's bundle: %v", err)
	}
	if serverState(t, srv, dakLong) != before {
		t.Fatal("a revoked device's bundle changed the server")
	}
	laptopImport(t, a, reply)
}

// TestBundleRefusedRecords: records the push checks refuse are left out
// and quarantined on the laptop by the reply; the rest are stored.
func TestBundleRefusedRecords(t *testing.T) {
	srv := openServerStorage(t)
	a, _ := enrollOffline(t, srv, dakLong, "")
	c, _ := enrollOffline(t, srv, moRai, "")
	cv := seedVillages(t, c, 1)
	roundTrip(t, srv, c)

	good := seedVillages(t, a, 2)
	clash := &data.Village{Name: "Làng trùng mã", VillageKind: data.VillageThon}
	clash.ID = cv[0]
	mustSave(t, a, clash)
	imp, res := roundTrip(t, srv, a)
	if imp.Stored != 2 || len(imp.Refused) != 1 || imp.Refused[0].ID != cv[0] || imp.Refused[0].Code != CodeOtherCommune {
		t.Fatalf("import: %+v", imp)
	}
	if len(res.Quarantined) != 1 || res.Quarantined[0].ID != cv[0] || res.Quarantined[0].Kind != data.KindVillage || a.Pending() != 0 {
		t.Fatalf("reply: %+v, pending %d", res, a.Pending())
	}
	srvSnap := serverSnapshot(t, srv, dakLong)
	for _, id := range good {
		if _, ok := srvSnap[id]; !ok {
			t.Fatalf("good record %s not stored", id)
		}
	}
	if st := NewWorker(a, Config{}).Status(); len(st.Quarantined) != 1 {
		t.Fatalf("quarantine on the Đồng bộ screen: %+v", st.Quarantined)
	}

	// stamps from a laptop whose clock is days ahead of the server's
	seedVillages(t, a, 1)
	imp2, reply := func() (BundleImport, []byte) {
		imp, reply, err := ImportBundle(context.Background(), srv, exportOf(t, a), time.Now().Add(-72*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return imp, reply
	}()
	if imp2.Stored != 0 || len(imp2.Refused) != 1 || imp2.Refused[0].Code != CodeFutureStamp {
		t.Fatalf("future stamps: %+v", imp2)
	}
	if res := laptopImport(t, a, reply); len(res.Quarantined) != 1 || res.Quarantined[0].Code != CodeFutureStamp {
		t.Fatalf("future stamp reply: %+v", res)
	}
}

// TestBundleResync: a reply to a cursor older than the server's
// tombstone retention carries everything and trashes what was purged; a
// cursor ahead of the server queues every local record again.
func TestBundleResync(t *testing.T) {
	srv := openServerStorage(t)
	ctx := context.Background()
	a, _ := enrollOffline(t, srv, dakLong, "")
	b, _ := enrollOffline(t, srv, dakLong, "")
	vb := seedVillages(t, b, 3)
	roundTrip(t, srv, b)
	roundTrip(t, srv, a)
	if err := b.Delete(vb[0]); err != nil {
		t.Fatal(err)
	}
	seedVillages(t, b, 1)
	roundTrip(t, srv, b)
	if n, err := srv.PurgeTombstones(ctx, time.Now().Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("purge: %d %v", n, err)
	}
	mine := seedVillages(t, a, 1) // waits in A's outbox
	imp, res := roundTrip(t, srv, a)
	if imp.Reply.Resync != resyncExpired || res.Trashed != 1 {
		t.Fatalf("expired cursor: reply %+v, result %+v", imp.Reply, res)
	}
	if r, ok := a.Row(vb[0]); !ok || !r.Deleted {
		t.Fatalf("purged record not in A's trash: %+v", r)
	}
	if r, ok := a.Row(mine[0]); !ok || r.Deleted {
		t.Fatalf("A's own record trashed: %+v", r)
	}

	// a server restored from an older backup: A's cursor is ahead
	if err := a.SetMeta(metaCursor, []byte("999999999")); err != nil {
		t.Fatal(err)
	}
	imp, res = roundTrip(t, srv, a)
	if imp.Reply.Resync != resyncAhead || res.Requeued == 0 || a.Pending() != res.Requeued || res.Cursor >= 999999999 {
		t.Fatalf("cursor ahead: reply %+v, result %+v, pending %d", imp.Reply, res, a.Pending())
	}
	// (the one record stored is the tombstone A trashed locally: the
	// server is sent everything it may have lost, as by the online client)
	imp, _ = roundTrip(t, srv, a)
	if imp.Bundle.Records != res.Requeued || imp.Stored > 1 || a.Pending() != 0 {
		t.Fatalf("re-sending after ahead: %+v, pending %d", imp, a.Pending())
	}
}

// TestBundleForward: an enrolled laptop of the same commune with signal
// forwards a bundle to a running server and carries the reply back; one
// of another commune may not. The admin socket imports too.
func TestBundleForward(t *testing.T) {
	ts := startServer(t)
	a, _ := enrollOffline(t, ts.st, dakLong, "") // no signal
	helper, _ := enrollOffline(t, ts.st, dakLong, ts.URL)
	other, _ := enrollOffline(t, ts.st, moRai, ts.URL)
	seedVillages(t, a, 4)
	seedVillages(t, helper, 1)
	syncNow(t, helper)
	ctx := context.Background()

	export := exportOf(t, a)
	if _, _, err := ForwardBundle(ctx, other, export); !errors.Is(err, ErrBundleForeign) {
		t.Fatalf("forward by another commune: %v", err)
	}
	// and the server checks it too, whatever the forwarding laptop does
	status, body := rawBundle(t, ts.URL, string(other.Meta(metaToken)), export)
	if status != http.StatusForbidden || !strings.Contains(body, CodeBundleForeign) || !strings.Contains(body, "forwarded only") {
		t.Fatalf("server on a forward by another commune: %d %s", status, body)
	}
	status, body = rawBundle(t, ts.URL, string(other.Meta(metaToken)), flip(export, len(export)-2))
	if status != http.StatusBadRequest || !strings.Contains(body, CodeBundleInvalid) {
		t.Fatalf("server on a damaged bundle: %d %s", status, body)
	}
	if status, _ := rawBundle(t, ts.URL, "", export); status != http.StatusUnauthorized {
		t.Fatalf("forward without a token: %d", status)
	}
	if n := ts.count(dakLong); n != 1 {
		t.Fatalf("refused forwards stored records: %d", n)
	}

	reply, rh, err := ForwardBundle(ctx, helper, export)
	if err != nil {
		t.Fatal(err)
	}
	if rh.Records != 1 || rh.Stored != 4 || rh.Device != string(a.Meta(metaDeviceID)) {
		t.Fatalf("forwarded reply: %+v", rh)
	}
	if _, err := ImportReply(helper, reply); !errors.Is(err, ErrBundleForeign) {
		t.Fatalf("the forwarding laptop imported the reply: %v", err)
	}
	res := laptopImport(t, a, reply)
	if res.Pulled != 1 || a.Pending() != 0 {
		t.Fatalf("forwarded round trip: %+v", res)
	}
	syncNow(t, helper)
	assertConverged(t, ts.st, dakLong, a, helper)

	// the admin socket of a running server
	sock := filepath.Join(t.TempDir(), "admin.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	adm := &Admin{Storage: ts.st}
	hs := &http.Server{Handler: WithBundleImport(AdminHandler(adm), adm), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	defer hs.Close()
	client := NewAdminClient(sock)
	if devs, err := client.Devices(ctx); err != nil || len(devs) != 3 {
		t.Fatalf("admin devices through the bundle mux: %d %v", len(devs), err)
	}
	seedVillages(t, a, 2)
	imp, reply, err := client.ImportBundle(ctx, exportOf(t, a))
	if err != nil || imp.Stored != 2 {
		t.Fatalf("admin import: %+v %v", imp, err)
	}
	laptopImport(t, a, reply)
	if _, _, err := client.ImportBundle(ctx, reply); !errors.Is(err, ErrBundleNotExport) {
		t.Fatalf("admin import of a reply: %v", err)
	}
	if _, _, err := client.ImportBundle(ctx, export[:100]); !errors.Is(err, ErrBundleCorrupt) {
		t.Fatalf("admin import of a truncated bundle: %v", err)
	}
	if _, _, err := client.ImportBundle(ctx, exportOf(t, other)); err != nil {
		t.Fatalf("admin import of another commune's bundle: %v", err)
	}
	assertConverged(t, ts.st, dakLong, a)
}

func rawBundle(t *testing.T, base, token string, body []byte) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+PathBundle, bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

// TestBundleFiles: the file helpers write durably and name replies.
func TestBundleFiles(t *testing.T) {
	srv := openServerStorage(t)
	a, _ := enrollOffline(t, srv, dakLong, "")
	seedVillages(t, a, 2)
	dir := t.TempDir()
	path := filepath.Join(dir, "dongbo"+BundleExt)
	h, err := ExportBundleFile(a, path)
	if err != nil || h.Records != 2 || h.OutboxFirst == 0 || h.OutboxLast < h.OutboxFirst || h.Commune != dakLong {
		t.Fatalf("export file: %+v %v", h, err)
	}
	raw, err := ReadBundleFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, reply := serverImport(t, srv, raw)
	rp := ReplyPath(path)
	if filepath.Base(rp) != "dongbo-phanhoi.dvb" {
		t.Fatalf("reply path %s", rp)
	}
	if err := WriteBundleFile(rp, reply); err != nil {
		t.Fatal(err)
	}
	if _, err := ImportReplyFile(a, rp); err != nil || a.Pending() != 0 {
		t.Fatalf("import reply file: %v, pending %d", err, a.Pending())
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 2 {
		t.Fatalf("leftover files: %v", ents)
	}
	if _, err := ImportReplyFile(a, filepath.Join(dir, "none.dvb")); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
	log := readLog(a)
	if len(log) < 2 || log[0].Trigger != "bundle-import" || log[1].Trigger != "bundle-export" {
		t.Fatalf("sync log: %+v", log)
	}
}
