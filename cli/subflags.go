package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"
)

// storeFlagHelp and passFlagHelp describe the --store and --passphrase
// flags every subcommand that opens the store takes.
const (
	storeFlagHelp = "thư mục kho dữ liệu (mặc định: $" + EnvStore + " hoặc thư mục cấu hình của người dùng)"
	passFlagHelp  = "mật khẩu kho dữ liệu (mặc định: $" + EnvPassphrase + ")"
)

// subFlags is the flag set of a subcommand that opens the store.
type subFlags struct {
	fs          *flag.FlagSet
	store, pass *string
}

// newSubFlags returns the flag set of subcommand name ("danvan backup")
// with --store and --passphrase; usage is its synopsis line and about
// one sentence on what it does, both in Vietnamese.
func (e *Env) newSubFlags(name, usage, about string) *subFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	f := &subFlags{fs: fs, store: fs.String("store", "", storeFlagHelp), pass: fs.String("passphrase", "", passFlagHelp)}
	fs.Usage = func() {
		fmt.Fprintf(e.Stderr, "Cách dùng: %s\n\n%s\n\nTùy chọn:\n", usage, about)
		fs.PrintDefaults()
	}
	return f
}

// parse parses args, refusing positional arguments. It returns -1 to go
// on, or the exit code: 0 for --help, 2 for bad usage.
func (f *subFlags) parse(e *Env, args []string) int {
	if err := f.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if f.fs.NArg() > 0 {
		fmt.Fprintf(e.Stderr, "Tham số thừa: %s\n\n", strings.Join(f.fs.Args(), " "))
		f.fs.Usage()
		return 2
	}
	return -1
}
