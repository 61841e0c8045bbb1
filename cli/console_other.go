//go:build !windows

package cli

// attachConsole is needed only on Windows, where danvan.exe is a
// GUI-subsystem program.
func (e *Env) attachConsole() {}
