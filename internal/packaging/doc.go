// Package packaging holds the checks of the release packages that
// "make package" writes into dist/: the Windows exe (a PE32+ GUI program
// for amd64 with its icon and manifest), the static servers and the Linux
// tarball. It has no code of its own, only tests; "make test" builds the
// Windows exe first, so CI checks it on every run.
package packaging
