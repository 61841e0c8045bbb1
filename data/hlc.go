package data

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// HLC is a hybrid logical clock stamp: wall-clock milliseconds, a counter
// for events within the same millisecond, and the device that made it.
// Stamps are totally ordered by (Wall, Counter, Device).
type HLC struct {
	Wall    int64  `json:"w"`
	Counter uint32 `json:"c,omitempty"`
	Device  string `json:"d"`
}

// IsZero reports whether h is the zero stamp.
func (h HLC) IsZero() bool { return h.Wall == 0 && h.Counter == 0 && h.Device == "" }

// Compare returns -1, 0 or +1 as h is before, equal to or after o.
func (h HLC) Compare(o HLC) int {
	switch {
	case h.Wall < o.Wall:
		return -1
	case h.Wall > o.Wall:
		return 1
	case h.Counter < o.Counter:
		return -1
	case h.Counter > o.Counter:
		return 1
	}
	return strings.Compare(h.Device, o.Device)
}

// Time returns the wall-clock part of h.
func (h HLC) Time() time.Time { return time.UnixMilli(h.Wall) }

// String formats h as "wall.counter.device".
func (h HLC) String() string {
	return strconv.FormatInt(h.Wall, 10) + "." + strconv.FormatUint(uint64(h.Counter), 10) + "." + h.Device
}

// ParseHLC parses the form written by String.
func ParseHLC(s string) (HLC, error) {
	parts := strings.SplitN(s, ".", 3)
	if len(parts) != 3 {
		return HLC{}, fmt.Errorf("parse hlc %q: want wall.counter.device", s)
	}
	w, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil {
		return HLC{}, fmt.Errorf("parse hlc %q: %w", s, err)
	}
	c, err := strconv.ParseUint(parts[1], 10, 32)
	if err != nil {
		return HLC{}, fmt.Errorf("parse hlc %q: %w", s, err)
	}
	return HLC{Wall: w, Counter: uint32(c), Device: parts[2]}, nil
}

// Bounds on HLC stamps, shared by the server (on pushes) and the laptop
// (on pulls, bundle replies and its own clock), so that one wrong clock
// anywhere cannot poison a store.
const (
	// MaxFutureSkew is how far ahead of the receiver's clock a stamp's
	// wall time may be; a record with a later stamp is refused.
	MaxFutureSkew = 24 * time.Hour
	// MaxClockLead is how far the local clock may run ahead of the
	// machine's wall clock after observing a stamp from elsewhere: a
	// stamp from the future never drags later local edits with it.
	MaxClockLead = 5 * time.Minute
	// MaxCounter is the largest logical counter a stamp may carry; the
	// clock moves its wall time on by a millisecond rather than pass it,
	// so a counter never wraps.
	MaxCounter = 1 << 24
	// minWall is the earliest wall time a real stamp can have
	// (2020-01-01 UTC, before the first version of the app).
	minWall = 1577836800000
)

// StampError says why a stamp is out of bounds; Future tells a stamp
// ahead of the receiver's clock (sync code "future_stamp") from one that
// is malformed.
type StampError struct {
	// Where names the stamp by its place in the record's JSON: "created",
	// "f.summary", "l.households", "r.status".
	Where string
	// Stamp is the offending stamp.
	Stamp HLC
	// Future is true when the stamp is later than now + MaxFutureSkew.
	Future bool
}

// Error describes the stamp without record content.
func (e *StampError) Error() string {
	if e.Future {
		return fmt.Sprintf("stamp of %s is %s, more than %s after this machine's clock", e.Where, e.Stamp.Time().UTC().Format(time.RFC3339), MaxFutureSkew)
	}
	return fmt.Sprintf("stamp of %s (wall %d, counter %d) is out of bounds", e.Where, e.Stamp.Wall, e.Stamp.Counter)
}

// checkStamp returns a *StampError when h is outside the bounds. A zero
// stamp is allowed (an unset base of a review write).
func checkStamp(h HLC, where string, limit int64) error {
	if h.IsZero() {
		return nil
	}
	if h.Wall > limit {
		return &StampError{Where: where, Stamp: h, Future: true}
	}
	if h.Wall < minWall || h.Counter > MaxCounter {
		return &StampError{Where: where, Stamp: h}
	}
	return nil
}

// CheckStamps checks every stamp of r (creation, fields, list entries,
// review writes and their bases) against the bounds above, as of now.
// The server runs it on every pushed record and the laptop on every
// pulled or imported one, so both refuse exactly the same records.
func CheckStamps(r *Record, now time.Time) error {
	limit := now.Add(MaxFutureSkew).UnixMilli()
	if err := checkStamp(r.Created, "created", limit); err != nil {
		return err
	}
	for n, f := range r.Fields {
		if err := checkStamp(f.S, "f."+clip(n, 40), limit); err != nil {
			return err
		}
	}
	for n, l := range r.Lists {
		for _, e := range l {
			if err := checkStamp(e.S, "l."+clip(n, 40), limit); err != nil {
				return err
			}
			if err := checkStamp(e.O, "l."+clip(n, 40), limit); err != nil {
				return err
			}
		}
	}
	for n, ws := range r.Reviews {
		for _, w := range ws {
			if err := checkStamp(w.S, "r."+clip(n, 40), limit); err != nil {
				return err
			}
			if err := checkStamp(w.B, "r."+clip(n, 40), limit); err != nil {
				return err
			}
		}
	}
	return nil
}

// Clock issues monotonically increasing HLC stamps for one device.
// It is safe for concurrent use.
type Clock struct {
	mu     sync.Mutex
	device string
	last   HLC
	now    func() time.Time
}

// NewClock returns a clock for device, starting after last (the highest
// stamp the device has issued or seen, or the zero stamp).
//
// A last stamp further ahead of the machine's clock than MaxClockLead (a
// store poisoned by a wrong clock) is brought back to that bound, so that
// new edits are not all stamped in the future.
func NewClock(device string, last HLC) *Clock {
	c := &Clock{device: device, now: time.Now}
	c.last = c.bound(last)
	return c
}

// bound returns h, or the latest stamp the clock may hold when h is
// beyond it (more than MaxClockLead after the wall clock, or a counter
// above MaxCounter).
func (c *Clock) bound(h HLC) HLC {
	limit := c.now().Add(MaxClockLead).UnixMilli()
	if h.Wall > limit {
		return HLC{Wall: limit, Device: c.device}
	}
	if h.Counter > MaxCounter {
		return HLC{Wall: h.Wall + 1, Device: c.device}
	}
	return h
}

// Device returns the device id the clock stamps with.
func (c *Clock) Device() string { return c.device }

// Now returns a new stamp, later than every stamp issued or observed.
func (c *Clock) Now() HLC {
	c.mu.Lock()
	defer c.mu.Unlock()
	wall := c.now().UnixMilli()
	if wall > c.last.Wall {
		c.last = HLC{Wall: wall, Device: c.device}
	} else if c.last.Counter >= MaxCounter {
		c.last = HLC{Wall: c.last.Wall + 1, Device: c.device}
	} else {
		c.last = HLC{Wall: c.last.Wall, Counter: c.last.Counter + 1, Device: c.device}
	}
	return c.last
}

// Observe advances the clock past a stamp received from another device,
// so that later local edits order after it — but never more than
// MaxClockLead past the machine's clock, nor past MaxCounter.
func (c *Clock) Observe(h HLC) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h = c.bound(h)
	if h.Wall > c.last.Wall || (h.Wall == c.last.Wall && h.Counter > c.last.Counter) {
		c.last = HLC{Wall: h.Wall, Counter: h.Counter, Device: c.device}
	}
}

// Last returns the highest stamp issued or observed.
func (c *Clock) Last() HLC {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}
