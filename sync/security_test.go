package sync

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"danvan/data"
)

func tokenOf(st *data.Store) string { return string(st.Meta(metaToken)) }

// rawRequest sends one request as a client would and decodes the answer.
func rawRequest(t testing.TB, method, url, token string, hdr map[string]string, body []byte) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req) // transparently gunzips
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// rawPush pushes records (any JSON) with a fresh idempotency key.
func rawPush(t testing.TB, ts *testServer, token string, body []byte) (int, ErrorBody, PushResponse) {
	t.Helper()
	status, b := rawRequest(t, http.MethodPost, ts.URL+PathPush, token,
		map[string]string{HeaderIdempotencyKey: data.NewID(), "Content-Encoding": "gzip", "Content-Type": "application/json"}, gz(body))
	var eb ErrorBody
	var pr PushResponse
	if status == http.StatusOK {
		if err := json.Unmarshal(b, &pr); err != nil {
			t.Fatalf("push answer %s: %v", b, err)
		}
	} else if err := json.Unmarshal(b, &eb); err != nil {
		t.Fatalf("error answer %d is not JSON: %q", status, b)
	}
	return status, eb, pr
}

func pushBody(t testing.TB, recs ...data.Record) []byte {
	t.Helper()
	commune := ""
	if len(recs) > 0 {
		commune = recs[0].Commune
	}
	return EncodePush(commune, recs)
}

// decodePull decodes a pull answer (a stream of pages) into one page: the
// records of all pages, the last page's cursor and more.
func decodePull(b []byte) (PullResponse, error) {
	var out PullResponse
	dec := json.NewDecoder(bytes.NewReader(b))
	for n := 0; ; n++ {
		var wb wbatch
		if err := dec.Decode(&wb); err == io.EOF && n > 0 {
			return out, nil
		} else if err != nil {
			return out, err
		}
		recs, _, bad := wb.decodeRecords()
		if len(bad) > 0 {
			return out, fmt.Errorf("page %d: %+v", n, bad)
		}
		out.Records = append(out.Records, recs...)
		out.Cursor, out.More = wb.Cursor, wb.More
	}
}

// sampleRecord returns a valid village record of commune, as a laptop
// would push it.
func sampleRecord(t testing.TB, commune string) data.Record {
	t.Helper()
	st := openStore(t)
	if err := st.SetCommune(commune); err != nil {
		t.Fatal(err)
	}
	ids := seedVillages(t, st, 1)
	rec, err := st.Record(ids[0])
	if err != nil {
		t.Fatal(err)
	}
	return *rec
}

func TestPullNeverShowsAnotherCommune(t *testing.T) {
	ts := startServer(t)
	a := enrolledLaptop(t, ts, dakLong)
	c := enrolledLaptop(t, ts, moRai)
	seedHouseholds(t, a, seedVillages(t, a, 2), 30)
	seedHouseholds(t, c, seedVillages(t, c, 2), 40)
	syncNow(t, a)
	syncNow(t, c)
	a2 := enrolledLaptop(t, ts, dakLong)
	if rep := syncNow(t, a2); rep.Pulled != 32 {
		t.Fatalf("new Đăk Long laptop pulled %d, want its commune's 32", rep.Pulled)
	}
	for id, js := range snapshot(t, a2) {
		var r data.Record
		_ = json.Unmarshal([]byte(js), &r)
		if r.Commune != dakLong {
			t.Fatalf("record %s of commune %s reached a %s laptop", id, r.Commune, dakLong)
		}
	}
	// and on the wire, with the Mô Rai token, from cursor 0
	status, b := rawRequest(t, http.MethodGet, ts.URL+PathPull+"?since=0", tokenOf(c), nil, nil)
	var page PullResponse
	if status != 200 || func() (err error) { page, err = decodePull(b); return }() != nil {
		t.Fatalf("pull: %d %s", status, b)
	}
	status, b = rawRequest(t, http.MethodGet, ts.URL+PathPull+"?since=0&echo=1", tokenOf(c), nil, nil)
	if status != 200 || func() (err error) { page, err = decodePull(b); return }() != nil || len(page.Records) != 42 {
		t.Fatalf("pull with echo: %d, %d records", status, len(page.Records))
	}
	for _, r := range page.Records {
		if r.Commune != moRai {
			t.Fatalf("Mô Rai token got a record of %s", r.Commune)
		}
	}
}

func TestPushForAnotherCommuneIs403AndQuarantined(t *testing.T) {
	ts := startServer(t)
	a := enrolledLaptop(t, ts, dakLong)

	// on the wire: a record of Mô Rai pushed with a Đăk Long token
	good, other := sampleRecord(t, dakLong), sampleRecord(t, moRai)
	status, eb, _ := rawPush(t, ts, tokenOf(a), pushBody(t, good, other))
	if status != http.StatusForbidden || eb.Code != CodeOtherCommune || len(eb.Records) != 1 || eb.Records[0].Index != 1 {
		t.Fatalf("push for another commune: %d %+v", status, eb)
	}
	if n, _ := ts.st.Stats(context.Background()); n[dakLong]+n[moRai] != 0 {
		t.Fatalf("a refused batch was partly stored: %v", n)
	}

	// end to end: a laptop record that collides with a Mô Rai record on
	// the server is quarantined; the rest of the batch goes through
	c := enrolledLaptop(t, ts, moRai)
	cv := seedVillages(t, c, 1)
	syncNow(t, c)
	villages := seedVillages(t, a, 2)
	clash := &data.Village{Name: "Làng trùng mã", VillageKind: data.VillageThon}
	clash.ID = cv[0]
	mustSave(t, a, clash)
	rep := syncNow(t, a)
	if len(rep.Quarantined) != 1 || rep.Quarantined[0].ID != cv[0] || rep.Quarantined[0].Code != CodeOtherCommune {
		t.Fatalf("quarantined %+v, want the clashing record with %s", rep.Quarantined, CodeOtherCommune)
	}
	if rep.Pushed != 2 || a.Pending() != 0 {
		t.Fatalf("pushed %d, pending %d: the good records must not be blocked", rep.Pushed, a.Pending())
	}
	srv := serverSnapshot(t, ts.st, dakLong)
	for _, id := range villages {
		if _, ok := srv[id]; !ok {
			t.Fatalf("good record %s missing on the server", id)
		}
	}
	w := NewWorker(a, Config{})
	if st := w.Status(); len(st.Quarantined) != 1 || !strings.Contains(st.Quarantined[0].Reason, "another commune") {
		t.Fatalf("status quarantine: %+v", st.Quarantined)
	}
}

func TestRevokedTokenGets401AndReenrolLosesNothing(t *testing.T) {
	ts := startServer(t)
	a := enrolledLaptop(t, ts, dakLong)
	villages := seedVillages(t, a, 1)
	syncNow(t, a)
	devs, _ := ts.admin().Devices(context.Background())
	if len(devs) != 1 {
		t.Fatalf("devices: %+v", devs)
	}
	if err := ts.admin().Revoke(context.Background(), devs[0].ID); err != nil {
		t.Fatal(err)
	}
	status, b := rawRequest(t, http.MethodGet, ts.URL+PathPull+"?since=0", tokenOf(a), nil, nil)
	if status != http.StatusUnauthorized || !strings.Contains(string(b), CodeRevoked) {
		t.Fatalf("revoked token: %d %s", status, b)
	}
	// work done while revoked stays queued
	seedHouseholds(t, a, villages, 5)
	_, err := RunOnce(context.Background(), a, nil)
	if !errors.Is(err, ErrNeedsEnrolment) {
		t.Fatalf("sync with a revoked token: %v, want ErrNeedsEnrolment", err)
	}
	if a.Pending() != 5 {
		t.Fatalf("pending %d after refusal, want 5", a.Pending())
	}
	w := NewWorker(a, Config{})
	if st := w.Status(); st.Enrolment != NeedsEnrolment {
		t.Fatalf("enrolment state %q, want %q", st.Enrolment, NeedsEnrolment)
	}
	if _, err := w.Enroll(context.Background(), ts.URL, ts.code(dakLong, "Cán bộ A")); err != nil {
		t.Fatal(err)
	}
	if st := w.Status(); st.Enrolment != Enrolled {
		t.Fatalf("after re-enrolling: %q", st.Enrolment)
	}
	if rep := syncNow(t, a); rep.Pushed != 5 {
		t.Fatalf("after re-enrolling pushed %d, want 5", rep.Pushed)
	}
	if n, _ := ts.st.Stats(context.Background()); n[dakLong] != 6 {
		t.Fatalf("server holds %d records, want 6", n[dakLong])
	}
}

func TestEnrolmentCodes(t *testing.T) {
	ts := startServer(t)
	code := ts.code(dakLong, "Cán bộ A")
	a := openStore(t)
	if _, err := Enroll(context.Background(), a, ts.URL, strings.ToLower(code)); err != nil {
		t.Fatalf("enroll (lower case): %v", err)
	}
	if a.Commune() != dakLong {
		t.Fatalf("store bound to %q", a.Commune())
	}
	b := openStore(t)
	_, err := Enroll(context.Background(), b, ts.URL, code)
	var se *StatusError
	if !errors.As(err, &se) || se.Status != http.StatusForbidden || se.Body.Code != CodeCodeUsed {
		t.Fatalf("reused code: %v", err)
	}

	// expired: made 73 hours ago
	old := &Admin{Storage: ts.st, Now: func() time.Time { return time.Now().Add(-73 * time.Hour) }}
	expired, _, err := old.NewEnrolmentCode(context.Background(), dakLong, "cũ", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Enroll(context.Background(), b, ts.URL, expired); !errors.As(err, &se) || se.Body.Code != CodeCodeExpired {
		t.Fatalf("expired code: %v", err)
	}
	if _, err := Enroll(context.Background(), b, ts.URL, "ABCD-EFGH-JKMN"); !errors.As(err, &se) || se.Body.Code != CodeCodeUnknown {
		t.Fatalf("unknown code: %v", err)
	}

	// a code for another commune than the store's is refused, not used up
	moRaiCode := ts.code(moRai, "Mô Rai")
	if _, err := Enroll(context.Background(), a, ts.URL, moRaiCode); !errors.As(err, &se) || se.Status != http.StatusConflict {
		t.Fatalf("code of another commune: %v", err)
	}
	c := openStore(t)
	if _, err := Enroll(context.Background(), c, ts.URL, moRaiCode); err != nil {
		t.Fatalf("the refused code was used up: %v", err)
	}
	if b.Commune() != "" || len(b.Meta(metaToken)) != 0 {
		t.Fatal("failed enrolments changed the store")
	}
}

func TestServerFilesNeverHoldTokens(t *testing.T) {
	ts := startServer(t)
	code := ts.code(dakLong, "Cán bộ A")
	a := openStore(t)
	if _, err := Enroll(context.Background(), a, ts.URL, code); err != nil {
		t.Fatal(err)
	}
	seedVillages(t, a, 3)
	syncNow(t, a)
	ptoken, _, err := ts.admin().NewProvinceToken(context.Background(), "Ban Dân vận Tỉnh ủy")
	if err != nil {
		t.Fatal(err)
	}
	token := tokenOf(a)
	if len(token) != 43 {
		t.Fatalf("token %d characters, want 43 (256 bits, base64url)", len(token))
	}
	ts.stop() // flush everything to disk
	for _, secret := range []string{token, ptoken, code, NormalizeCode(code)} {
		if hits := grepDir(t, ts.dir, []byte(secret)); len(hits) > 0 {
			t.Fatalf("server files hold a secret in plain text: %v", hits)
		}
		if strings.Contains(ts.logs.String(), secret) {
			t.Fatal("server log holds a secret")
		}
	}
	if hits := grepDir(t, a.Dir(), []byte(token)); len(hits) > 0 {
		t.Fatalf("laptop store holds the token in plain text: %v", hits)
	}
	// and the log holds no record content
	if strings.Contains(ts.logs.String(), "Làng Kon") {
		t.Fatal("server log holds record content")
	}
	ts.start()
}

func TestProvinceTokenReadsEveryCommuneAndWritesNone(t *testing.T) {
	ts := startServer(t)
	a := enrolledLaptop(t, ts, dakLong)
	c := enrolledLaptop(t, ts, moRai)
	seedVillages(t, a, 2)
	seedVillages(t, c, 3)
	syncNow(t, a)
	syncNow(t, c)
	token, _, err := ts.admin().NewProvinceToken(context.Background(), "Ban Dân vận Tỉnh ủy")
	if err != nil {
		t.Fatal(err)
	}
	status, b := rawRequest(t, http.MethodGet, ts.URL+PathPull+"?since=0", token, nil, nil)
	var page PullResponse
	if status != 200 || func() (err error) { page, err = decodePull(b); return }() != nil || len(page.Records) != 5 {
		t.Fatalf("province pull: %d, %d records, want 5", status, len(page.Records))
	}
	status, b = rawRequest(t, http.MethodGet, ts.URL+PathPull+"?since=0&commune="+moRai, token, nil, nil)
	if status != 200 || func() (err error) { page, err = decodePull(b); return }() != nil || len(page.Records) != 3 {
		t.Fatalf("province pull of one commune: %d, %d records, want 3", status, len(page.Records))
	}
	if status, eb, _ := rawPush(t, ts, token, pushBody(t, sampleRecord(t, dakLong))); status != http.StatusForbidden || eb.Code != CodeReadOnly {
		t.Fatalf("province push: %d %+v", status, eb)
	}
	if status, _ := rawRequest(t, http.MethodGet, ts.URL+PathPull, "not-a-token", nil, nil); status != http.StatusUnauthorized {
		t.Fatalf("unknown token: %d", status)
	}
	if status, _ := rawRequest(t, http.MethodGet, ts.URL+PathPull, "", nil, nil); status != http.StatusUnauthorized {
		t.Fatalf("no token: %d", status)
	}
	if status, _ := rawRequest(t, http.MethodGet, ts.URL+PathHealth, "", nil, nil); status != http.StatusOK {
		t.Fatalf("health needs no token: %d", status)
	}
}
