# Sổ tay Dân vận: build, run and test on Debian/Ubuntu.
#   make run    install what is missing, build, open the app
#   make test   install what is missing, go vet, go test -race

SHELL := /bin/bash
GO    ?= go
# Go from the official tarball, if it is not on PATH already.
export PATH := $(PATH):/usr/local/go/bin

# Debian packages for the cgo/OpenGL build (gcc, X11, Wayland headers), for
# running headless (xvfb, xdotool, imagemagick's import) and for checking
# PDFs (poppler-utils' pdftotext).
DEB_PACKAGES := gcc pkg-config libgl1-mesa-dev xorg-dev libwayland-dev libxkbcommon-dev \
                xvfb poppler-utils imagemagick xdotool
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

DEMO_COMMUNE ?= 23368
DEMO_SCALE   ?= 1

.PHONY: deps build run test test-nocgo demo bench

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

test: deps
	$(GO) vet ./...
	$(GO) test -race ./...

# Every package but main must also build and pass without cgo.
test-nocgo:
	CGO_ENABLED=0 $(GO) test $$($(GO) list ./... | grep -vx danvan)

demo: deps build
	./danvan demo --commune $(DEMO_COMMUNE) --scale $(DEMO_SCALE)

# The real bench target lives in bench.mk; this placeholder only stands in
# while that file is absent.
ifeq ($(wildcard bench.mk),)
bench: ; @echo "see bench target"
endif

-include bench.mk
