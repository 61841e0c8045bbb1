//go:build windows

package cli

import (
	"os"
	"syscall"
)

var procAttachConsole = syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole")

// attachParentProcess is ATTACH_PARENT_PROCESS, (DWORD)-1.
const attachParentProcess = ^uint32(0)

// attachConsole lets danvan.exe, a GUI-subsystem program (no console
// window of its own), print to the Command Prompt it was started from:
// "danvan.exe --version", "danvan.exe backup ...". Output already
// redirected to a file or a pipe is kept; started from Explorer, where
// there is no parent console, nothing changes. Writers other than
// os.Stdout and os.Stderr (tests) are left alone.
func (e *Env) attachConsole() {
	if e.Stdout != os.Stdout && e.Stderr != os.Stderr {
		return
	}
	if h, err := syscall.GetStdHandle(syscall.STD_OUTPUT_HANDLE); err == nil && h != 0 && h != syscall.InvalidHandle {
		return
	}
	if r, _, _ := procAttachConsole.Call(uintptr(attachParentProcess)); r == 0 {
		return
	}
	out, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0)
	if err != nil {
		return
	}
	if e.Stdout == os.Stdout {
		e.Stdout = out
	}
	if e.Stderr == os.Stderr {
		e.Stderr = out
	}
}
