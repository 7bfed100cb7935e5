# For people who expect `make`: each target calls what README.md describes.
#
#   make                  configure and build (build/migrator)
#   make test             tests/run-all.sh: every test (installs dependencies)
#   make install          cmake --install into $(PREFIX) (default /usr/local;
#                         DESTDIR works too): binary, man page, completions
#   make package          the .deb (cpack), in build/
#   make demo             changelogs/example/demo.sh
#
# BUILD (default build) and JOBS (default: nproc) can be overridden.
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PREFIX ?= /usr/local

.PHONY: all build test install package demo

all: build

build:
	cmake -S . -B $(BUILD)
	cmake --build $(BUILD) -j$(JOBS)

test:
	MG_BUILD_DIR=$(BUILD) MG_JOBS=$(JOBS) ./tests/run-all.sh

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

package: build
	cd $(BUILD) && cpack

demo:
	./changelogs/example/demo.sh
