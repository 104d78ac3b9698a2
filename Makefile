# The IPC lab: build, test and demo every directory that has a Makefile.
#   make            build everything          make test    build, then run every test
#   make demo       the instructor's tour     make clean   back to what git holds
#   make bench      the performance table (docs/performance.md)
#   make -C pipe    one directory             make -C pipe test / demo
# CC=clang and SANITIZE=1 pass through to every directory (see mk/prog.mk).

# The lecture's order; a directory not listed here still builds, last.
ORDER := pipe fifo msgq sem shm mmap signals files sockets domain_sock doors_compat bench
FOUND := $(patsubst %/Makefile,%,$(wildcard */Makefile))
DIRS := $(filter $(FOUND),$(ORDER)) $(filter-out $(ORDER),$(FOUND))

.PHONY: all test demo bench clean $(DIRS:%=build-%) $(DIRS:%=clean-%)

all: $(DIRS:%=build-%)

$(DIRS:%=build-%):
	$(MAKE) -C $(@:build-%=%)

# A program that does not build costs only its own tests: the build goes on
# past it (-k), its tests fail at once ("not built: DIR/PROG"), and the
# status is a failure. The build uses every CPU (unless make was given its own
# -j), each compiler's messages kept together (-Otarget). T=REGEX runs only the
# matching tests; JUNIT=FILE writes a JUnit report too (see tests/run).
BUILD_JOBS = $(if $(filter -j%,$(MAKEFLAGS)),,-j$$(nproc 2>/dev/null || echo 1)) -Otarget
test:
	@$(MAKE) -k $(BUILD_JOBS) --no-print-directory all; built=$$?; \
	tests/run $(wildcard $(DIRS:%=tests/%.bats)); tested=$$?; \
	[ $$built -eq 0 ] || echo "make test: some programs did not build (the compiler's errors are above)" >&2; \
	[ $$built -eq 0 ] && [ $$tested -eq 0 ]

# One tour after another (never in parallel: the labels would interleave).
demo:
	@$(MAKE) -s --no-print-directory all
	@for d in $(DIRS); do $(MAKE) --no-print-directory -s -C $$d demo || exit 1; echo; done

# The IPC performance hierarchy on this machine (options: make bench ARGS="-h").
bench:
	@$(MAKE) -s --no-print-directory all
	@$(MAKE) --no-print-directory -s -C bench bench

clean: $(DIRS:%=clean-%)

$(DIRS:%=clean-%):
	$(MAKE) -C $(@:clean-%=%) clean
