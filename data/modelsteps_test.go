package data

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestModelStatusOn: where a model stood on a day, from its dated steps;
// a model from before dated steps stands at its status from its
// registration; Reach dates a new step, and going back drops the steps
// above.
func TestModelStatusOn(t *testing.T) {
	m := &Model{Registered: "2026-01-10", Status: ModelRegistered}
	m.Reach(ModelEffective, "2026-03-01")
	m.Reach(ModelRecognised, "2026-06-15")
	for _, c := range []struct {
		day  Date
		want ModelStatus
		ok   bool
	}{
		{"2026-01-09", "", false},
		{"2026-01-10", ModelRegistered, true},
		{"2026-02-28", ModelRegistered, true},
		{"2026-03-01", ModelEffective, true},
		{"2026-06-14", ModelEffective, true},
		{"2026-06-15", ModelRecognised, true},
		{"2026-12-31", ModelRecognised, true},
	} {
		if got, ok := m.StatusOn(c.day); got != c.want || ok != c.ok {
			t.Errorf("on %s: %q %v, want %q %v", c.day, got, ok, c.want, c.ok)
		}
	}
	if m.Status != ModelRecognised || len(m.Steps) != 2 {
		t.Errorf("after two steps: %s, %v", m.Status, m.Steps)
	}
	m.Reach(ModelEffective, "2026-07-01") // the recognition was a mistake
	if m.Status != ModelEffective || len(m.Steps) != 1 || m.Steps[0].Date != "2026-03-01" {
		t.Errorf("back down the chain: %s, %v", m.Status, m.Steps)
	}
	old := &Model{Registered: "2025-05-01", Status: ModelAwarded}
	if got, _ := old.StatusOn("2025-06-01"); got != ModelAwarded {
		t.Errorf("a model without dated steps on 2025-06-01: %q", got)
	}
	old.Reach(ModelAwarded, "2026-01-01")
	if len(old.Steps) != 0 {
		t.Errorf("reaching its own status changed it: %v", old.Steps)
	}
}

// TestModelStepsValidated: steps go up the chain, dated in order from
// the registration, and end at the model's status.
func TestModelStepsValidated(t *testing.T) {
	base := func(steps ...ModelStep) *Model {
		m := &Model{Name: "Hiến đất làm đường", Field: FieldEconomy, ModelKind: ModelCollective, Registered: "2026-01-10", Status: ModelRegistered, Steps: steps}
		if n := len(steps); n > 0 {
			m.Status = steps[n-1].Status
		}
		return m
	}
	for _, c := range []struct {
		name string
		m    *Model
		msg  string
	}{
		{"no steps", base(), ""},
		{"two steps in order", base(ModelStep{ModelEffective, "2026-02-01"}, ModelStep{ModelAwarded, "2026-09-02"}), ""},
		{"before the registration", base(ModelStep{ModelEffective, "2026-01-09"}), MsgDateOrder},
		{"down the chain", base(ModelStep{ModelRecognised, "2026-02-01"}, ModelStep{ModelEffective, "2026-03-01"}), MsgInvalid},
		{"dated out of order", base(ModelStep{ModelEffective, "2026-05-01"}, ModelStep{ModelRecognised, "2026-04-01"}), MsgDateOrder},
		{"undated", base(ModelStep{ModelEffective, ""}), MsgInvalid},
	} {
		got := ""
		if v, ok := AsValidation(Validate(c.m, nil)); ok {
			for _, f := range v.Fields {
				if f.Field == FieldModelSteps {
					got = f.Msg
				}
			}
		}
		if got != c.msg {
			t.Errorf("%s: %q, want %q", c.name, got, c.msg)
		}
	}
	m := base(ModelStep{ModelEffective, "2026-02-01"})
	m.Status = ModelAwarded
	if v, ok := AsValidation(Validate(m, nil)); !ok || v.Fields[0].Field != FieldModelSteps {
		t.Errorf("a status other than the last step's: %v", Validate(m, nil))
	}
}

// TestModelFiguresReproducible: on random stores, the models that reached
// each step add up from months to quarters to the year; each quarter's
// models stand where their steps put them on its last day; and a step
// reached later does not change an earlier quarter's figures.
func TestModelFiguresReproducible(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			s := openAt(t, t.TempDir(), "")
			defer s.Close()
			r := rand.New(rand.NewPCG(seed, 7))
			var models []*Model
			for i := range 40 {
				m := &Model{Name: fmt.Sprintf("Mô hình %d", i), Field: ModelFields[r.IntN(len(ModelFields))], ModelKind: ModelCollective,
					Status: ModelRegistered, Registered: Date("2026-01-01").AddDays(r.IntN(300))}
				d := m.Registered
				for _, st := range ModelStatuses[1:] {
					if r.IntN(2) == 0 {
						break
					}
					d = d.AddDays(r.IntN(90))
					m.Reach(st, d)
				}
				models = append(models, m)
				if err := s.Save(m); err != nil {
					t.Fatal(err)
				}
			}
			today := Date("2027-06-30")
			stats := func(from, to Date) *Stats {
				st, err := s.Stats("", from, to, today)
				if err != nil {
					t.Fatal(err)
				}
				return st
			}
			year := stats("2026-01-01", "2026-12-31")
			sum := map[ModelStatus]int{}
			for q := range 4 {
				qFrom := Date(fmt.Sprintf("2026-%02d-01", 3*q+1))
				qTo := qFrom.Time().AddDate(0, 3, -1)
				quarter := stats(qFrom, DateOf(qTo))
				months := map[ModelStatus]int{}
				for mo := range 3 {
					mFrom := Date(fmt.Sprintf("2026-%02d-01", 3*q+mo+1))
					mTo := DateOf(mFrom.Time().AddDate(0, 1, -1))
					for k, n := range stats(mFrom, mTo).ModelsReached {
						months[k] += n
					}
				}
				for _, k := range ModelStatuses {
					if months[k] != quarter.ModelsReached[k] {
						t.Errorf("Q%d %s: months add to %d, the quarter says %d", q+1, k, months[k], quarter.ModelsReached[k])
					}
					sum[k] += quarter.ModelsReached[k]
				}
				// Where each model stood on the quarter's last day.
				want := map[ModelStatus]int{}
				for _, m := range models {
					if st, ok := m.StatusOn(DateOf(qTo)); ok {
						want[st]++
					}
				}
				for _, k := range ModelStatuses {
					if quarter.ModelsByStatus[k] != want[k] {
						t.Errorf("Q%d: %d models at %s, their steps say %d", q+1, quarter.ModelsByStatus[k], k, want[k])
					}
				}
			}
			for _, k := range ModelStatuses {
				if sum[k] != year.ModelsReached[k] {
					t.Errorf("%s: quarters add to %d, the year says %d", k, sum[k], year.ModelsReached[k])
				}
			}
			// Commending every model in 2027 leaves 2026's figures as they were.
			for _, m := range models {
				m.Reach(ModelAwarded, "2027-03-01")
				if err := s.Save(m); err != nil {
					t.Fatal(err)
				}
			}
			again := stats("2026-01-01", "2026-12-31")
			for _, k := range ModelStatuses {
				if again.ModelsByStatus[k] != year.ModelsByStatus[k] || again.ModelsReached[k] != year.ModelsReached[k] {
					t.Errorf("%s in 2026 changed after 2027's steps: %d/%d, was %d/%d", k, again.ModelsByStatus[k], again.ModelsReached[k], year.ModelsByStatus[k], year.ModelsReached[k])
				}
			}
		})
	}
}
