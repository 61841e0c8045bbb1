package packaging

import (
	"bytes"
	"debug/elf"
	"debug/pe"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// root is the repository root, from this package's directory.
const root = "../.."

const mingw = "x86_64-w64-mingw32-gcc"

// inCI reports whether the tests run in CI, where a missing artefact is a
// failure rather than a skip.
func inCI() bool { return os.Getenv("CI") != "" }

// windowsExe returns the Windows exe to check: $DANVAN_WINDOWS_EXE,
// dist/danvan.exe as "make windows-exe" writes it, or, when neither
// exists and MinGW-w64 is installed, one this test builds itself.
func windowsExe(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("DANVAN_WINDOWS_EXE"); p != "" {
		return p
	}
	p := filepath.Join(root, "dist", "danvan.exe")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	if _, err := exec.LookPath(mingw); err != nil {
		if inCI() {
			t.Fatalf("no %s and no %s: run \"make windows-exe\" (make test does)", p, mingw)
		}
		t.Skipf("no %s and no %s (apt-get install gcc-mingw-w64-x86-64, or make windows-exe)", p, mingw)
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make")
	}
	// Build it as the release does, icon included.
	start := time.Now()
	cmd := exec.Command("make", "-C", root, "windows-exe")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make windows-exe: %v\n%s", err, out)
	}
	t.Logf("built %s in %s", p, time.Since(start).Round(time.Second))
	return p
}

func TestWindowsExeIsGUIProgramForAMD64(t *testing.T) {
	path := windowsExe(t)
	f, err := pe.Open(path)
	if err != nil {
		t.Fatalf("%s is not a PE file: %v", path, err)
	}
	defer f.Close()
	if f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		t.Errorf("machine %#x, want amd64 (%#x)", f.Machine, pe.IMAGE_FILE_MACHINE_AMD64)
	}
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if !ok {
		t.Fatalf("optional header %T: not PE32+", f.OptionalHeader)
	}
	if oh.Magic != 0x20b {
		t.Errorf("optional header magic %#x, want 0x20b (PE32+)", oh.Magic)
	}
	if oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		t.Errorf("subsystem %d, want %d (Windows GUI: no console window)", oh.Subsystem, pe.IMAGE_SUBSYSTEM_WINDOWS_GUI)
	}
	if f.Characteristics&pe.IMAGE_FILE_EXECUTABLE_IMAGE == 0 {
		t.Error("not marked executable")
	}

	// The resources: icon, its group, the version information and the
	// manifest (DPI awareness, common controls).
	types := resourceTypes(t, f)
	for id, name := range map[uint32]string{3: "RT_ICON", 14: "RT_GROUP_ICON", 16: "RT_VERSION", 24: "RT_MANIFEST"} {
		if !types[id] {
			t.Errorf("no %s resource (have %v)", name, types)
		}
	}

	// A cgo build with Fyne's OpenGL driver. (debug/pe lists imports
	// as "symbol:dll".)
	syms, err := f.ImportedSymbols()
	if err != nil {
		t.Fatal(err)
	}
	dlls := map[string]bool{}
	for _, s := range syms {
		if _, dll, ok := strings.Cut(s, ":"); ok {
			dlls[strings.ToLower(dll)] = true
		}
	}
	for _, want := range []string{"opengl32.dll", "kernel32.dll", "user32.dll"} {
		if !dlls[want] {
			t.Errorf("does not import %s: %v", want, dlls)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("vn.danvan.sotay")) {
		t.Error("the embedded FyneApp.toml is missing")
	}
	t.Logf("%s: %.1f MB, subsystem %d, %d DLLs imported", path, float64(len(b))/(1<<20), oh.Subsystem, len(dlls))
}

// resourceTypes returns the type ids at the root of the exe's resource
// directory.
func resourceTypes(t *testing.T, f *pe.File) map[uint32]bool {
	t.Helper()
	oh := f.OptionalHeader.(*pe.OptionalHeader64)
	if len(oh.DataDirectory) <= pe.IMAGE_DIRECTORY_ENTRY_RESOURCE {
		t.Fatal("no data directories")
	}
	dd := oh.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_RESOURCE]
	if dd.VirtualAddress == 0 || dd.Size == 0 {
		t.Fatal("no resources: the icon is not embedded")
	}
	for _, s := range f.Sections {
		if dd.VirtualAddress < s.VirtualAddress || dd.VirtualAddress >= s.VirtualAddress+s.VirtualSize {
			continue
		}
		data, err := s.Data()
		if err != nil {
			t.Fatal(err)
		}
		dir := data[dd.VirtualAddress-s.VirtualAddress:]
		if len(dir) < 16 {
			t.Fatal("resource directory cut short")
		}
		n := int(binary.LittleEndian.Uint16(dir[12:])) + int(binary.LittleEndian.Uint16(dir[14:]))
		types := map[uint32]bool{}
		for i := range n {
			e := dir[16+8*i:]
			if len(e) < 8 {
				t.Fatal("resource directory cut short")
			}
			if id := binary.LittleEndian.Uint32(e); id&0x80000000 == 0 {
				types[id] = true
			}
		}
		return types
	}
	t.Fatal("resource directory outside every section")
	return nil
}

// The artefacts below exist after "make package"; without them the
// checks are skipped.

func artefact(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(root, "dist", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("no %s: run make package", p)
	}
	return p
}

func TestServerBinariesAreStatic(t *testing.T) {
	t.Run("linux", func(t *testing.T) {
		p := artefact(t, "danvan-server-linux-amd64")
		f, err := elf.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if f.Machine != elf.EM_X86_64 {
			t.Errorf("machine %v", f.Machine)
		}
		for _, prog := range f.Progs {
			if prog.Type == elf.PT_INTERP {
				t.Error("has an ELF interpreter: dynamically linked")
			}
		}
		if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
			t.Errorf("links %v dynamically", libs)
		}
	})
	t.Run("windows", func(t *testing.T) {
		p := artefact(t, "danvan-server-windows-amd64.exe")
		f, err := pe.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
		if !ok || f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
			t.Fatalf("not a PE32+ amd64 program: %T %#x", f.OptionalHeader, f.Machine)
		}
		if oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_CUI {
			t.Errorf("subsystem %d, want console (%d)", oh.Subsystem, pe.IMAGE_SUBSYSTEM_WINDOWS_CUI)
		}
	})
}

func TestLinuxTarball(t *testing.T) {
	matches, _ := filepath.Glob(filepath.Join(root, "dist", "danvan-*-linux-amd64.tar.xz"))
	if len(matches) == 0 {
		t.Skip("no Linux tarball: run make package")
	}
	if _, err := exec.LookPath("tar"); err != nil {
		t.Skip("no tar")
	}
	out, err := exec.Command("tar", "-tJf", matches[0]).CombinedOutput()
	if err != nil {
		t.Fatalf("tar -tJf %s: %v\n%s", matches[0], err, out)
	}
	list := string(out)
	for _, want := range []string{"bin/danvan", "share/applications/vn.danvan.sotay.desktop", "share/pixmaps/vn.danvan.sotay.png", "Makefile"} {
		if !strings.Contains(list, want) {
			t.Errorf("%s lacks %s:\n%s", matches[0], want, list)
		}
	}
	desktop, err := exec.Command("tar", "-xJOf", matches[0], "--wildcards", "*.desktop").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[Desktop Entry]", "Name=Sổ tay Dân vận", "Exec=danvan", "Icon=vn.danvan.sotay"} {
		if !strings.Contains(string(desktop), want) {
			t.Errorf("desktop entry lacks %q:\n%s", want, desktop)
		}
	}
}
