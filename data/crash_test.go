//go:build unix

package data

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The crash test re-executes this test binary as a child that saves
// concerns in a loop and acknowledges each durable save on stdout; the
// parent kills it with SIGKILL at a random moment and checks, after
// reopening the store, that every acknowledged save survived intact.

const (
	crashEnvDir   = "DANVAN_CRASH_DIR"
	crashEnvRound = "DANVAN_CRASH_ROUND"
	crashPass     = "mật khẩu thử sập nguồn"
	crashRounds   = 20
	crashAck      = "ACK"
)

// TestCrashChild is the child side of TestCrashSafety. Run directly (the
// env var unset) it does nothing.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashEnvDir)
	if dir == "" {
		return // only meaningful as TestCrashSafety's child
	}
	round, _ := strconv.Atoi(os.Getenv(crashEnvRound))
	s, err := Open(dir, Options{Passphrase: crashPass, Actor: "Y Sáng"})
	if err != nil {
		t.Fatalf("child open: %v", err)
	}
	defer s.Close()
	if s.Commune() == "" {
		if err := s.SetCommune("23368"); err != nil {
			t.Fatalf("child set commune: %v", err)
		}
	}
	var village string
	if vs := s.Find(Filter{Kind: KindVillage}, ByTitle); len(vs) > 0 {
		village = vs[0].ID
	} else {
		v := &Village{Name: "Làng Đăk Long", VillageKind: VillageLang, Remote: true, Households: 120, Ethnicities: []string{"Xơ Đăng"}}
		if err := s.Save(v); err != nil {
			t.Fatalf("child save village: %v", err)
		}
		village = v.ID
	}
	kinds := []ConcernKind{ConcernPetition, ConcernReport, ConcernComplaint1, ConcernDenunciation}
	nonce := rand.Uint32()
	// The parent kills us well before this; the limit only stops an
	// orphaned child.
	deadline := time.Now().Add(30 * time.Second)
	for i := 0; time.Now().Before(deadline); i++ {
		c := &Concern{
			ConcernKind: kinds[i%len(kinds)],
			Channel:     ChannelVisit,
			Received:    "2026-03-01",
			Accepted:    "2026-03-02",
			Village:     village,
			RaiserKind:  RaiserText,
			RaiserText:  "Nguyễn Thị Hưởng",
			Topic:       Topics[i%len(Topics)],
			Summary:     fmt.Sprintf("Đường vào thôn sạt lở — vòng %d, lần %d, mã %08x", round, i, nonce),
			Content:     strings.Repeat("Bà con phản ánh đường đất trơn trượt mùa mưa. ", 1+i%8),
			People:      1 + i%9,
		}
		if err := s.Save(c); err != nil {
			t.Fatalf("child save %d: %v", i, err)
		}
		// One write per line: the parent sees whole lines only.
		if _, err := fmt.Fprintf(os.Stdout, "%s\t%s\t%s\n", crashAck, c.ID, c.Summary); err != nil {
			t.Fatalf("child ack: %v", err)
		}
	}
}

type crashAckLine struct{ id, summary string }

func TestCrashSafety(t *testing.T) {
	if os.Getenv(crashEnvDir) != "" {
		return // a crash child runs TestCrashChild only
	}
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("DANVAN_CRASH_SEED"); v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	t.Logf("seed %d (set DANVAN_CRASH_SEED to repeat)", seed)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))

	dir := t.TempDir()
	acked := map[string]string{} // id → summary, over every round
	var order []string           // acknowledged ids, oldest first
	start := time.Now()
	prevRound := 0 // where the previous round's acks start in order
	for round := 0; round < crashRounds; round++ {
		delay := time.Duration(50+rng.IntN(351)) * time.Millisecond
		lines := runCrashChild(t, dir, round, delay)
		thisRound := len(order)
		for _, a := range lines {
			if prev, dup := acked[a.id]; dup {
				t.Fatalf("round %d: id %s acknowledged twice (%q, %q)", round, a.id, prev, a.summary)
			}
			acked[a.id] = a.summary
			order = append(order, a.id)
		}
		// Every round checks that every acknowledged save is listed with
		// its summary, and loads and validates those of this round and the
		// one before; every tenth round (and the final check) loads and
		// validates them all (doing so every round makes the test
		// quadratic, too slow under -race).
		deep := prevRound
		if round%10 == 9 {
			deep = 0
		}
		checkCrashStore(t, dir, round, acked, order, deep)
		prevRound = thisRound
		t.Logf("round %d: killed %v after first ack, %d acks (%d total)", round, delay, len(lines), len(acked))
	}

	// The store still takes new saves after the last crash, and keeps them.
	s, err := Open(dir, Options{Passphrase: crashPass, Actor: "Y Sáng"})
	if err != nil {
		t.Fatalf("reopen after last round: %v", err)
	}
	vs := s.Find(Filter{Kind: KindVillage}, ByTitle)
	if len(vs) != 1 {
		s.Close()
		t.Fatalf("villages after crashes: %d, want 1", len(vs))
	}
	after := &Concern{ConcernKind: ConcernPetition, Channel: ChannelMeeting, Received: "2026-04-01", Village: vs[0].ID,
		Accepted: "2026-04-01", Summary: "Sau nhiều lần sập nguồn vẫn ghi được", Topic: "ha_tang"}
	mustSave(t, s, after)
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	acked[after.ID] = after.Summary
	order = append(order, after.ID)
	checkCrashStore(t, dir, crashRounds, acked, order, 0)
	t.Logf("%d rounds, %d acknowledged saves, %v", crashRounds, len(acked), time.Since(start).Round(time.Millisecond))
}

// runCrashChild starts the child on dir, kills it with SIGKILL delay after
// its first acknowledgement, and returns every acknowledgement it wrote.
func runCrashChild(t *testing.T, dir string, round int, delay time.Duration) []crashAckLine {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnvDir+"="+dir, crashEnvRound+"="+strconv.Itoa(round))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acks := make(chan crashAckLine, 1024)
	var other []string // non-ack output, for the failure message
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		defer close(acks)
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			f := strings.SplitN(sc.Text(), "\t", 3)
			if len(f) == 3 && f[0] == crashAck {
				acks <- crashAckLine{id: f[1], summary: f[2]}
			} else {
				other = append(other, sc.Text())
			}
		}
	}()

	var got []crashAckLine
	fail := func(format string, args ...any) {
		_ = cmd.Process.Kill()
		for a := range acks {
			got = append(got, a)
		}
		<-readDone
		_ = cmd.Wait()
		t.Fatalf("round %d: %s\nchild stdout: %s\nchild stderr: %s", round, fmt.Sprintf(format, args...),
			strings.Join(other, "\n"), stderr.String())
	}
	select {
	case a, ok := <-acks:
		if !ok {
			fail("child ended before its first acknowledgement")
		}
		got = append(got, a)
	case <-time.After(60 * time.Second):
		fail("no acknowledgement within 60 s")
	}
	timer := time.NewTimer(delay)
	for killed := false; !killed; {
		select {
		case a, ok := <-acks:
			if !ok {
				fail("child ended by itself before the kill")
			}
			got = append(got, a)
		case <-timer.C:
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				fail("kill: %v", err)
			}
			killed = true
		}
	}
	// Lines written before the kill are acknowledged too: drain to EOF.
	for a := range acks {
		got = append(got, a)
	}
	<-readDone
	err = cmd.Wait()
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("round %d: child did not die of SIGKILL: %v\nchild stdout: %s\nchild stderr: %s", round, err,
			strings.Join(other, "\n"), stderr.String())
	}
	if strings.Contains(stderr.String(), "DATA RACE") || strings.Contains(stderr.String(), "panic") {
		t.Fatalf("round %d: child stderr:\n%s", round, stderr.String())
	}
	return got
}

// checkCrashStore reopens the store in dir and checks that every
// acknowledged concern is indexed with its summary, and that those from
// order[deep:] on load intact and valid.
func checkCrashStore(t *testing.T, dir string, round int, acked map[string]string, order []string, deep int) {
	t.Helper()
	s, err := Open(dir, Options{Passphrase: crashPass, Actor: "Y Sáng"})
	if err != nil {
		t.Fatalf("round %d: reopen after kill: %v", round, err)
	}
	defer s.Close()
	if s.Commune() != "23368" {
		t.Fatalf("round %d: commune after kill = %q", round, s.Commune())
	}
	vs := s.Find(Filter{Kind: KindVillage}, ByTitle)
	if len(vs) != 1 || vs[0].Title != "Làng Đăk Long" {
		t.Fatalf("round %d: villages after kill = %+v", round, vs)
	}
	rows := s.Find(Filter{Kind: KindConcern}, ByDateDesc)
	listed := make(map[string]string, len(rows))
	for _, r := range rows {
		listed[r.ID] = r.Title
	}
	// At most one save per round can be on disk without its ack (killed
	// between commit and the write to stdout).
	if extra := len(rows) - len(acked); extra < 0 || extra > round+1 {
		t.Errorf("round %d: %d concerns listed, %d acknowledged", round, len(rows), len(acked))
	}
	for _, id := range order {
		if title, ok := listed[id]; !ok || title != acked[id] {
			t.Fatalf("round %d: acknowledged concern %s (%q) not in the index (listed %v, title %q)", round, id, acked[id], ok, title)
		}
	}
	for _, id := range order[deep:] {
		want := acked[id]
		var c Concern
		if err := s.Load(id, &c); err != nil {
			t.Fatalf("round %d: acknowledged concern %s (%q) lost: %v", round, id, want, err)
		}
		if c.Summary != want {
			t.Fatalf("round %d: concern %s summary = %q, want %q", round, id, c.Summary, want)
		}
		if err := Validate(&c, s.isVillage); err != nil {
			t.Fatalf("round %d: concern %s invalid after reopen: %v", round, id, err)
		}
		if c.Commune != "23368" || len(c.History) == 0 || c.Deadline == "" {
			t.Fatalf("round %d: concern %s incomplete after reopen: %+v", round, id, c)
		}
	}
	// Every unacknowledged indexed row has its record too (index row and
	// record commit in one transaction).
	for _, r := range rows {
		if _, ok := acked[r.ID]; ok {
			continue
		}
		if _, err := s.Record(r.ID); err != nil {
			t.Fatalf("round %d: index row %s has no record: %v", round, r.ID, err)
		}
	}
	// Search finds the last acknowledged save by its words.
	if len(order) > 0 {
		last := order[len(order)-1]
		q := Fold(acked[last])
		found := false
		for _, r := range s.Find(Filter{Kind: KindConcern, Query: q}, ByDateDesc) {
			found = found || r.ID == last
		}
		if !found {
			t.Fatalf("round %d: search %q misses %s", round, q, last)
		}
	}
}
