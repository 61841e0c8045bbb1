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
// "danvan.exe --version", "danvan.exe backup ...". A stream already
// redirected to a file or a pipe is kept; started from Explorer, where
// there is no parent console, nothing changes. Writers other than
// os.Stdout and os.Stderr (tests) are left alone.
func (e *Env) attachConsole() {
	outOK, errOK := validStd(syscall.STD_OUTPUT_HANDLE), validStd(syscall.STD_ERROR_HANDLE)
	if outOK && errOK {
		return
	}
	if r, _, _ := procAttachConsole.Call(uintptr(attachParentProcess)); r == 0 {
		return
	}
	out, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0)
	if err != nil {
		return
	}
	if !outOK && e.Stdout == os.Stdout {
		e.Stdout = out
	}
	if !errOK && e.Stderr == os.Stderr {
		e.Stderr = out
	}
}

// validStd reports whether the standard handle std is usable (a console,
// a file or a pipe).
func validStd(std int) bool {
	h, err := syscall.GetStdHandle(std)
	return err == nil && h != 0 && h != syscall.InvalidHandle
}
