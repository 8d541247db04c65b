# Vigil: the two commands that do everything on a fresh Debian machine with Swift 6.
#   make demo   runs the RESTful Communication collections against the embedded emulator
#   make test   runs the whole test suite
#   make docs   regenerates docs/examples/ (docs by example of collections/ on the emulator)
#   make release builds the binary to ship: optimised, Swift runtime linked in (.build-static)
#   make bench  builds that binary and measures it against curl (docs/performance.md)
#   make install PREFIX=/usr/local, make deb: that binary, its completions and man page
SWIFT ?= swift
VIGIL = .build/debug/vigil

.PHONY: deps build release demo docs test validate bench fuzz format lint clean install deb

# What a fresh Debian machine with Swift lacks: libyaml (the YAML parser), libxml2 (XML and
# HTML bodies, XPath), zlib's headers (response decompression), pkg-config, and xmllint (the
# tests check the JUnit report with it); and from PyPI markdown-it-py (a CommonMark renderer:
# the tests render the Markdown docs with it), check-jsonschema (the tests check
# schemas/*.schema.json against Vigil's loader with it), pyspnego and requests-ntlm (an
# independent NTLM acceptor and client: the NTLM interop tests).
DEPS = libyaml-dev libxml2-dev zlib1g-dev pkg-config libxml2-utils

deps:
	@missing=$$(for p in $(DEPS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing" $$missing "(Debian's packages)…"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing; \
	fi
	@python3 -c 'import markdown_it, check_jsonschema, spnego, requests_ntlm' 2>/dev/null || { \
	  echo "Installing markdown-it-py, check-jsonschema, pyspnego and requests-ntlm (PyPI)…"; \
	  PIP="python3 -m pip install --quiet --disable-pip-version-check"; export PIP_ROOT_USER_ACTION=ignore; \
	  $$PIP markdown-it-py check-jsonschema pyspnego requests-ntlm 2>/dev/null || $$PIP --break-system-packages markdown-it-py check-jsonschema pyspnego requests-ntlm; \
	}

build: deps
	$(SWIFT) build

# The binary to ship, .build-static/vigil: the Swift runtime linked in, so it starts in half the
# time (no shared Swift libraries to load) and runs where Swift is not installed; FoundationEssentials
# only (no ICU), unused code dropped at link time (--gc-sections, and --no-export-dynamic so that
# the dependencies' public symbols are not kept as exports), symbols stripped. SwiftPM's own
# output, with symbols, stays in .build-static/release/ for debugging (docs/performance.md).
RELEASE_BIN = .build-static/vigil
release: deps
	$(SWIFT) build -c release --product vigil --static-swift-stdlib --scratch-path .build-static -Xlinker --no-export-dynamic
	@strip -o $(RELEASE_BIN) $$($(SWIFT) build -c release --static-swift-stdlib --scratch-path .build-static --show-bin-path)/vigil
	@echo "Built $(RELEASE_BIN) ($$(du -m $(RELEASE_BIN) | cut -f1) MB, stripped; with symbols: .build-static/release/vigil)"

# Installs the release binary, bash/zsh/fish completions and the man page (made from the
# command's help by swift-argument-parser's generate-manual plugin) under PREFIX.
PREFIX ?= /usr/local
install: release
	scripts/package.sh install $(RELEASE_BIN) $(PREFIX) $(DESTDIR)

# A Debian package of the same, in dist/ (dpkg-deb; Depends: the packages of the libraries it links).
deb: release
	scripts/package.sh deb $(RELEASE_BIN) dist

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

# Every fuzz target for FUZZ_SECONDS (default 10 minutes each); corpora are kept in Fuzz/.work
# between runs, crashes land in Fuzz/artifacts (docs/reliability.md).
FUZZ_SECONDS ?= 600
fuzz: deps
	Fuzz/run.sh $(FUZZ_SECONDS)

# The code follows .swift-format (swift-format ships with the Swift toolchain); CI runs `lint`.
SWIFT_SOURCES = Sources Tests Benchmarks Fuzz
format:
	$(SWIFT) format format -i -r $(SWIFT_SOURCES)

lint:
	$(SWIFT) format lint --strict -r $(SWIFT_SOURCES)

clean:
	rm -rf .build .build-static
