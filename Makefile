# The two commands: `make demo` and `make test`. Each does its own set-up (Debian packages), configures,
# builds and runs. Build trees live under build/ (release) and build/asan (sanitized, for tests).

JOBS        ?= $(shell nproc)
RELEASE_DIR ?= build/release
TEST_DIR    ?= build/asan
CMAKE_FLAGS ?=
# ccache keys on paths relative to the checkout, so clones in other folders reuse each other's objects.
export CCACHE_BASEDIR := $(CURDIR)

.PHONY: all deps configure build test test-fast bench demo format clean

all: build

deps:
	@scripts/install-deps.sh

$(RELEASE_DIR)/build.ninja:
	cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

$(TEST_DIR)/build.ninja:
	cmake -S . -B $(TEST_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSP_SANITIZE=ON -DSP_BUILD_BENCH=OFF $(CMAKE_FLAGS)

configure: deps $(RELEASE_DIR)/build.ninja

build: deps $(RELEASE_DIR)/build.ninja
	cmake --build $(RELEASE_DIR) -j $(JOBS)

# The whole suite (unit, data-driven and loopback integration tests) under ASan + UBSan.
test: deps $(TEST_DIR)/build.ninja
	cmake --build $(TEST_DIR) -j $(JOBS)
	cd $(TEST_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) --timeout 600

# Unit tests only, on the release tree: the quick loop while editing.
test-fast: build
	cd $(RELEASE_DIR) && ctest --output-on-failure -j $(JOBS) -L unit

bench: build
	@scripts/run-bench.sh $(RELEASE_DIR)

demo: build
	@scripts/demo.sh $(RELEASE_DIR)

format:
	@find src tools tests bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

clean:
	rm -rf build
