# Vigil: the two commands that do everything on a fresh Debian machine with Swift 6.
#   make demo   runs the RESTful Communication collections against the embedded emulator
#   make test   runs the whole test suite
#   make docs   regenerates docs/examples/ (docs by example of collections/ on the emulator)
#   make release builds the binary to ship: optimised, Swift runtime linked in (.build-static)
#   make bench  builds that binary and measures it against curl (docs/performance.md)
SWIFT ?= swift
VIGIL = .build/debug/vigil

.PHONY: deps build release demo docs test validate bench clean

deps:
	@pkg-config --exists yaml-0.1 2>/dev/null || { \
	  echo "Installing libyaml-dev (Debian's libyaml)…"; \
	  apt-get update -qq && apt-get install -y -qq libyaml-dev; }

build: deps
	$(SWIFT) build

# The binary to ship: the Swift runtime linked in, so it starts in half the time (no shared
# Swift libraries to load) and runs where Swift is not installed.
release: deps
	$(SWIFT) build -c release --product vigil --static-swift-stdlib --scratch-path .build-static
	@echo "Built $$($(SWIFT) build -c release --static-swift-stdlib --scratch-path .build-static --show-bin-path)/vigil"

demo: build
	$(VIGIL) run collections

docs: build
	$(VIGIL) docs collections -e environments/local.yaml --out docs/examples --quiet

validate: build
	$(VIGIL) validate collections

# One test at a time: many tests start servers and processes and wait on timeouts, and on a
# 2-core machine running them all at once turns their time budgets into noise (~50 s serial).
test: deps
	$(SWIFT) test --no-parallel

bench: deps
	Benchmarks/run.sh

clean:
	rm -rf .build .build-static
