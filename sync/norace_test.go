//go:build !race

package sync

// raceScale slows the test deadlines under the race detector.
const raceScale = 1
