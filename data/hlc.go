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
func NewClock(device string, last HLC) *Clock {
	return &Clock{device: device, last: last, now: time.Now}
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
	} else {
		c.last = HLC{Wall: c.last.Wall, Counter: c.last.Counter + 1, Device: c.device}
	}
	return c.last
}

// Observe advances the clock past a stamp received from another device,
// so that later local edits order after it.
func (c *Clock) Observe(h HLC) {
	c.mu.Lock()
	defer c.mu.Unlock()
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
