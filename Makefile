# Blaze — top-level entry points. See README.md.
#   make deps   install the Debian packages Blaze needs (idempotent)
#   make build  configure + build build/blaze
#   make test   deps + build + every test through ctest
#   make run    deps + build + the main job: blaze serve with the examples deployed (scripts/run.sh)
#   make demo   deps + build + a tour of D1 on the command line (examples/d1-demo)
#   make bench  the side-by-side benchmarks (not part of make test)

BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= 2

.PHONY: all deps build test run demo bench format clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: deps build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

run: deps build
	@bash scripts/run.sh $(BUILD_DIR)/blaze

demo: deps build
	@bash scripts/demo.sh $(BUILD_DIR)/blaze

bench: deps build
	@bash bench/d1_backup/run.sh $(BUILD_DIR)/blaze
	@bash bench/http/run.sh $(BUILD_DIR)/blaze

format:
	find src -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
