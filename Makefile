# Sổ tay Dân vận: build, run and test on Debian/Ubuntu.
#   make run      install what is missing, build, open the app
#   make test     install what is missing, build the Windows exe, go vet, go test -race
#   make package  the release packages in dist/ (Linux tarball, Windows exe, servers)

SHELL := /bin/bash
GO    ?= go
# Go from the official tarball, if it is not on PATH already.
export PATH := $(PATH):/usr/local/go/bin

# Debian packages for the cgo/OpenGL build (gcc, X11, Wayland headers), for
# running headless (xvfb, xdotool, x11-xserver-utils' xmodmap, imagemagick's
# import), for checking PDFs (poppler-utils' pdftotext), and for the release
# packages (MinGW-w64 to cross-compile the Windows exe, xz for the Linux
# tarball), and chromium for the province dashboard's browser tests.
DEB_PACKAGES := gcc pkg-config libgl1-mesa-dev xorg-dev libwayland-dev libxkbcommon-dev \
                xvfb poppler-utils imagemagick xdotool x11-xserver-utils gcc-mingw-w64-x86-64 xz-utils \
                chromium
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

DEMO_COMMUNE ?= 23368
DEMO_SCALE   ?= 1
# make demo writes into a store folder of its own, never the user's real
# store (danvan demo also refuses a store that is enrolled or holds records).
DEMO_STORE   ?= $(CURDIR)/demo-store

.PHONY: deps build run test test-nocgo test-gui screenshots samples demo bench package windows-exe test-windows-exe linux-package servers

deps:
	@if ! command -v dpkg >/dev/null 2>&1; then \
		echo "Not a Debian/Ubuntu system: install a C compiler and the OpenGL/X11 headers yourself (see README.md)."; \
		exit 0; \
	fi; \
	missing=""; \
	for p in $(DEB_PACKAGES); do \
		dpkg -s "$$p" 2>/dev/null | grep -q '^Status: install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing missing packages:$$missing"; \
		$(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi

build:
	$(GO) build -o danvan .
	CGO_ENABLED=0 $(GO) build -o danvan-server ./cmd/danvan-server

run: deps build
	./danvan

# The Windows exe is built on every test run: internal/packaging checks it
# (a PE32+ GUI program for amd64, with its icon). So is ./danvan:
# internal/guitest types Vietnamese into it under Xvfb with xdotool.
test: deps test-windows-exe build
	$(GO) vet ./...
	$(MAKE) --no-print-directory lint
	DANVAN_BIN=$(CURDIR)/danvan $(GO) test -race ./...
	@# The UI tests also run as the UI issue asks: no cgo, no display.
	env -u DISPLAY CGO_ENABLED=0 $(GO) test ./ui/
	$(MAKE) --no-print-directory fuzz-sync FUZZ_TIME=5s

# Every package but main must also build and pass without cgo.
test-nocgo:
	CGO_ENABLED=0 $(GO) test $$($(GO) list ./... | grep -vx danvan)

# Only the GUI test (the real app under Xvfb, typed into with xdotool), verbose.
test-gui: deps build
	DANVAN_BIN=$(CURDIR)/danvan $(GO) test -count=1 -v ./internal/guitest

# The README's screenshots, of the real app on a demo store under Xvfb,
# into docs/screenshots/.
screenshots: deps build
	scripts/screenshots.sh $(CURDIR)/danvan $(CURDIR)/docs/screenshots

# The sample documents of README, from demo data, into docs/samples/.
samples: deps build
	scripts/samples.sh $(CURDIR)/danvan $(CURDIR)/docs/samples

demo: deps build
	./danvan demo --commune $(DEMO_COMMUNE) --scale $(DEMO_SCALE) --store $(DEMO_STORE)
	@echo "Mở kho dữ liệu mẫu: ./danvan --store $(DEMO_STORE)"

# ---- Release packages (make package), into dist/ ----
# The version is FyneApp.toml's unless given (make package VERSION=0.2.0);
# it and the build date reach "danvan --version" and the About dialog
# through -X into package cli.
VERSION    := $(shell sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
APP_BUILD  := $(shell sed -n 's/^ *Build *= *\([0-9][0-9]*\).*/\1/p' FyneApp.toml)
BUILD_DATE := $(shell date -u +%Y-%m-%d)
# The packaging tools (fyne, go-winres) are installed, pinned, into .tools/.
TOOLS      := $(CURDIR)/.tools
FYNE_TOOL_VERSION := v1.7.4
GO_WINRES_VERSION := v0.3.3
VERSION_X  := -X danvan/cli.buildVersion=$(VERSION) -X danvan/cli.buildDate=$(BUILD_DATE)
# Release binaries carry no paths of the build machine.
RELEASE    := -trimpath
WINDOWS_CC := x86_64-w64-mingw32-gcc
WIN_SYSO   := rsrc_windows_amd64.syso
# Staging for the Linux tarball; "_" keeps it out of ./... patterns.
LINUX_STAGE := dist/_linux

package: windows-exe linux-package servers
	@ls -l dist/

# In CI and wherever MinGW-w64 is installed (make deps installs it on
# Debian/Ubuntu), make test builds the Windows exe; elsewhere it says why not.
test-windows-exe:
	@if [ -n "$$CI" ] || command -v $(WINDOWS_CC) >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory windows-exe; \
	else \
		echo "No $(WINDOWS_CC): the Windows exe is not built and its test is skipped."; \
	fi

# danvan.exe: amd64, GUI subsystem (no console window), cross-compiled with
# MinGW-w64 (Fyne needs cgo); go-winres makes the .syso that embeds the
# icon, version information and a DPI-aware manifest. The first build
# compiles Fyne's GLFW driver for Windows: several minutes on 2 cores.
windows-exe: deps
	@mkdir -p dist
	GOBIN=$(TOOLS) $(GO) install github.com/tc-hib/go-winres@$(GO_WINRES_VERSION)
	$(TOOLS)/go-winres simply --arch amd64 --out rsrc --manifest gui --icon assets/icon.png \
		--product-name "Sổ tay Dân vận" --file-description "Sổ tay Dân vận" --original-filename danvan.exe \
		--product-version "$(VERSION).$(APP_BUILD)" --file-version "$(VERSION).$(APP_BUILD)"
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=$(WINDOWS_CC) \
		$(GO) build $(RELEASE) -ldflags "-H=windowsgui -s -w $(VERSION_X)" -o dist/danvan.exe . ; \
		status=$$?; rm -f $(WIN_SYSO); exit $$status

# The Linux tarball, made by "fyne package" from a release build: the app,
# its .desktop entry and icon (from FyneApp.toml and assets/icon.png), and
# a Makefile for "make user-install" or "sudo make install".
linux-package: deps
	@rm -rf $(LINUX_STAGE) && mkdir -p $(LINUX_STAGE)/src
	$(GO) build $(RELEASE) -ldflags "-s -w $(VERSION_X)" -o $(LINUX_STAGE)/danvan .
	GOBIN=$(TOOLS) $(GO) install fyne.io/tools/cmd/fyne@$(FYNE_TOOL_VERSION)
	@# fyne package raises the Build number of the FyneApp.toml it reads:
	@# it gets a copy (and a stub Go file, which it insists on seeing).
	cp FyneApp.toml $(LINUX_STAGE)/src/ && printf 'package main\n' > $(LINUX_STAGE)/src/main.go
	$(TOOLS)/fyne package --target linux --src $(CURDIR)/$(LINUX_STAGE)/src \
		--executable $(CURDIR)/$(LINUX_STAGE)/danvan --icon $(CURDIR)/assets/icon.png --release
	mv "Sổ tay Dân vận.tar.xz" dist/danvan-$(VERSION)-linux-amd64.tar.xz
	rm -rf $(LINUX_STAGE)

# The provincial server: pure Go, static (CGO_ENABLED=0), for Linux and
# Windows.
servers:
	@mkdir -p dist
	CGO_ENABLED=0 GOOS=linux GOARCH=amd64 $(GO) build $(RELEASE) -ldflags "-s -w $(VERSION_X) -X main.version=$(VERSION)" \
		-o dist/danvan-server-linux-amd64 ./cmd/danvan-server
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build $(RELEASE) -ldflags "-s -w $(VERSION_X) -X main.version=$(VERSION)" \
		-o dist/danvan-server-windows-amd64.exe ./cmd/danvan-server

# The real bench target lives in bench.mk; this placeholder only stands in
# while that file is absent.
ifeq ($(wildcard bench.mk),)
bench: ; @echo "see bench target"
endif

-include bench.mk
-include sync.mk
-include ui.mk
-include pg.mk

# make bench also runs the sync and UI benchmarks, when their files exist.
bench: $(if $(wildcard sync.mk),bench-sync) $(if $(wildcard ui.mk),bench-ui)

# The province's pages: the province page over 100 communes × 2,000
# records (BenchmarkProvincePage), 3 runs; the table shows each run's median.
.PHONY: bench-province web-screenshots
bench: bench-province
bench-province:
	@mkdir -p '$(CURDIR)/bench-out'
	@set -o pipefail; DANVAN_BENCH_TABLE=1 $(GO) test ./province -run '^$$' -bench ProvincePage -benchtime 30x -count 3 -timeout 30m 2>&1 \
		| tee '$(CURDIR)/bench-out/bench-province.txt' | grep -v '^|'
	@{ echo '| what | measured | target | met |'; echo '|---|---|---|---|'; grep '^| ' '$(CURDIR)/bench-out/bench-province.txt'; } \
		| tee '$(CURDIR)/bench-out/bench-province.md'

# Screenshots of the province's pages (chromium, 1366×768) into docs/screenshots.
web-screenshots: deps
	DANVAN_WEB_SHOTS=$(CURDIR)/docs/screenshots $(GO) test ./province -run 'TestProvinceInChromium' -count 1 -v

# staticcheck, pinned, in .tools/ (make test runs it after go vet).
STATICCHECK := $(CURDIR)/.tools/staticcheck
.PHONY: lint
$(STATICCHECK):
	GOBIN=$(CURDIR)/.tools $(GO) install honnef.co/go/tools/cmd/staticcheck@v0.8.2
lint: $(STATICCHECK)
	$(STATICCHECK) ./...
