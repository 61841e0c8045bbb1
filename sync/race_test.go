//go:build race

package sync

// raceScale slows the test deadlines: the race detector makes the code
// several times slower.
const raceScale = 5
