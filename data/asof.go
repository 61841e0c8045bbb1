package data

import (
	"sort"
	"time"
)

// Figures of a period are as of its last day (domain.md, "Reports that go
// upward"): a case resolved later was still open then. The index keeps
// each concern's status history by day, so that any day's status is
// known without reading the record.

// StatusAt is one step of a concern's status history as the index keeps
// it: the day (Vietnam time) the status was reached, and the status at
// the end of that day. A step with no Day is the status the concern had
// before its first dated change.
type StatusAt struct {
	Day    Date          `json:"d,omitempty"`
	Status ConcernStatus `json:"s"`
}

// historyOf returns c's status history by day: the status before its
// first change, then one step per day that ended in a new status, oldest
// first. updated is when the record was last written: when the history
// does not end in the current status (a record written without its
// history), the current status counts from that day.
func historyOf(c *Concern, updated time.Time) []StatusAt {
	hs := append([]StatusChange(nil), c.History...)
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].At.Before(hs[j].At) })
	var out []StatusAt
	if len(hs) == 0 {
		if c.Status == "" {
			return nil
		}
		return []StatusAt{{Status: c.Status}}
	}
	first := hs[0].From
	if first == "" {
		first = hs[0].To
	}
	out = append(out, StatusAt{Status: first})
	step := func(day Date, st ConcernStatus) {
		last := &out[len(out)-1]
		switch {
		case last.Day == day && day != "":
			last.Status = st
		case last.Status != st:
			out = append(out, StatusAt{Day: day, Status: st})
		}
		// A step that returned to the day before's status is no step.
		if n := len(out); n >= 2 && out[n-1].Status == out[n-2].Status {
			out = out[:n-1]
		}
	}
	for _, h := range hs {
		step(DateOf(h.At), h.To)
	}
	if c.Status != "" && out[len(out)-1].Status != c.Status && !updated.IsZero() {
		step(DateOf(updated), c.Status)
	}
	return out
}

// StatusOn returns the status a concern with history h (as Row.History
// holds it) had at the end of day d; current is its status now, used
// when there is no history.
func StatusOn(h []StatusAt, current ConcernStatus, d Date) ConcernStatus {
	if len(h) == 0 {
		return current
	}
	st := h[0].Status
	for _, x := range h {
		if x.Day != "" && x.Day > d {
			break
		}
		st = x.Status
	}
	return st
}

// StatusOn returns the concern's status at the end of day d, from its
// index history.
func (r *Row) StatusOn(d Date) ConcernStatus {
	return StatusOn(r.History, ConcernStatus(r.Status), d)
}

// StatusOn returns the concern's status at the end of day d, from its
// history.
func (c *Concern) StatusOn(d Date) ConcernStatus {
	return StatusOn(historyOf(c, time.Time{}), c.Status, d)
}

// OverdueOn reports whether a concern with deadline was overdue on day d,
// given its status that day: still running and its deadline passed
// before d. A forwarded case is not overdue: it left the commune's clock.
func OverdueOn(status ConcernStatus, deadline, d Date) bool {
	return status.Clocked() && deadline != "" && deadline < d
}

// resolutionOn reports what happened to a concern on day d: whether it
// reached "đã giải quyết" or "đóng" that day from a status that was
// neither (resolved), whether that was straight to "đóng" (closed), and
// whether it was forwarded that day (forwarded).
func resolutionOn(h []StatusAt, i int) (resolved, closed, forwarded bool) {
	prev := ConcernStatus("")
	if i > 0 {
		prev = h[i-1].Status
	}
	st := h[i].Status
	resolved = st.Done() && !prev.Done()
	closed = resolved && st == StatusClosed
	forwarded = st == StatusForwarded && prev != StatusForwarded
	return
}
