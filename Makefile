# The two commands of the README: `make run` and `make test`. Both install
# what is missing, build, and then serve or test.
BUILD   := build/release
SAMFLYT := $(BUILD)/samflyt
CONFIG  ?= config/demo.toml

.PHONY: all deps build run test bench fuzz format tidy clean

all: build

deps:
	@bash scripts/setup.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release

# Creates and migrates the database, loads the demo health community when
# it is empty, and serves on http://127.0.0.1:8080 (see config/demo.toml).
run: build
	@$(SAMFLYT) --config $(CONFIG) demo
	@exec $(SAMFLYT) --config $(CONFIG) serve

test: build
	@ctest --preset release

bench: build
	@bash bench/run.sh

# libFuzzer targets of the message codecs (tests/fuzz), built with clang and
# ASan/UBSan in build/fuzz, each run for FUZZ_SECONDS; crashes are kept in
# build/fuzz/crashes/<target>/ and fail the run. Installs clang first.
FUZZ_SECONDS ?= 60
fuzz:
	@bash scripts/setup.sh scripts/debian-packages-fuzz.txt
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/run.sh

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.hpp')

# clang-tidy with the checks in .clang-tidy (GCC-only warning flags ignored).
tidy: build
	@clang-tidy -p $(BUILD) --quiet --extra-arg=-Wno-unknown-warning-option \
	  $$(git ls-files 'src/*.cpp' | grep -v '^src/http/server.cpp')

clean:
	@rm -rf build
