package data

// A "Dân vận khéo" model climbs a chain of steps (ModelStatuses): it is
// registered, carried out well, recognised, named exemplary, commended.
// Each step it reaches is dated, so that a period's report counts the
// models that reached each step in the period, and each model at the
// step it stood at on the period's last day: commending a model today
// does not change last quarter's report.

// ModelStep is a step a model reached, and the day it did.
type ModelStep struct {
	Status ModelStatus `json:"status"`
	Date   Date        `json:"date"`
}

// stepRank is a status's place in the chain (-1 if unknown).
func stepRank(s ModelStatus) int {
	for i, x := range ModelStatuses {
		if x == s {
			return i
		}
	}
	return -1
}

// History returns the model's dated steps, registration first. A model
// recorded before steps were dated has its current status from the day
// it registered.
func (m *Model) History() []ModelStep {
	out := []ModelStep{{Status: ModelRegistered, Date: m.Registered}}
	for _, s := range m.Steps {
		if s.Status != ModelRegistered {
			out = append(out, s)
		}
	}
	if len(m.Steps) == 0 && m.Status != ModelRegistered && m.Status != "" {
		out = append(out, ModelStep{Status: m.Status, Date: m.Registered})
	}
	return out
}

// StatusOn returns the step the model stood at on day d, and false if
// it was not registered yet.
func (m *Model) StatusOn(d Date) (ModelStatus, bool) {
	if m.Registered == "" || (d != "" && m.Registered > d) {
		return "", false
	}
	st := ModelRegistered
	for _, s := range m.History() {
		if d == "" || s.Date <= d {
			st = s.Status
		}
	}
	return st, true
}

// Reach records that the model reached status on day d: its current
// status becomes status, and the step is dated d. Reaching the status it
// already has changes nothing; going back down the chain drops the steps
// above (a step recorded by mistake).
func (m *Model) Reach(status ModelStatus, d Date) {
	if status == m.Status {
		return
	}
	if len(m.Steps) == 0 && m.Status != ModelRegistered && m.Status != "" {
		// A model from before dated steps: its status so far dates from
		// its registration.
		m.Steps = []ModelStep{{Status: m.Status, Date: m.Registered}}
	}
	r := stepRank(status)
	var kept []ModelStep
	var same *ModelStep
	for i, s := range m.Steps {
		switch rank := stepRank(s.Status); {
		case rank < r:
			kept = append(kept, s)
		case rank == r:
			same = &m.Steps[i]
		}
	}
	switch {
	case status == ModelRegistered:
	case same != nil: // back down to a step it had reached: keep its day
		kept = append(kept, *same)
	default:
		kept = append(kept, ModelStep{Status: status, Date: d})
	}
	m.Steps = kept
	m.Status = status
}

// checkSteps validates a model's steps: known statuses up the chain, in
// order, each dated on or after the registration and the step before,
// and the last one the model's status.
func (c *checker) checkSteps(m *Model) {
	prevRank, prevDate := 0, m.Registered
	for _, s := range m.Steps {
		r := stepRank(s.Status)
		switch {
		case r <= 0 || r <= prevRank:
			c.add(FieldModelSteps, MsgInvalid, "")
			return
		case !s.Date.Valid():
			c.add(FieldModelSteps, MsgInvalid, "")
			return
		case prevDate != "" && s.Date < prevDate:
			c.add(FieldModelSteps, MsgDateOrder, "field.model.registered")
			return
		}
		prevRank, prevDate = r, s.Date
	}
	if n := len(m.Steps); n > 0 && m.Steps[n-1].Status != m.Status {
		c.add(FieldModelSteps, MsgInvalid, "field.model.status")
	}
}

// FieldModelSteps is the label id of a model's dated steps (the form's
// "Ngày đạt").
const FieldModelSteps = "field.model.reached"
