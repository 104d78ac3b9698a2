# mk/prog.mk -- the one set of build rules every directory of the lab includes.
#
# A directory's Makefile names its programs and includes this file:
#     PROGS = pipe pipe_dup2 mymore
#     include ../mk/prog.mk
# A program built from more than its own .c adds the other object as a
# prerequisite on a line of its own:  sync: synclib.o
#
# Knobs:  CC=clang   SANITIZE=1 (address + undefined)   CFLAGS="-O0 -g"
# Targets: all (default), one program by name, clean, test, demo.

LAB_TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
LAB_DIR := $(notdir $(CURDIR))

CFLAGS ?= -O2 -g
WARNINGS = -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wstrict-prototypes \
           -Wmissing-prototypes -Werror
ifeq ($(SANITIZE),1)
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
endif
# -pthread and -lrt: glibc before 2.34 keeps threads and POSIX semaphores in
# libpthread, and shm_open and the mq_ calls in librt (today's glibc and musl
# have them in libc and keep an empty librt, so linking it costs nothing).
LAB_CFLAGS = -std=c11 -pthread $(WARNINGS) $(SAN) $(CFLAGS) -MMD -MP
LAB_LDFLAGS = -pthread $(SAN) $(LDFLAGS)
LAB_LIBS = $(LDLIBS) -lrt

.PHONY: all clean test demo
all: $(PROGS)

# Rebuild everything when the compiler or flags change (make, then
# make SANITIZE=1, must not reuse the unsanitized objects).
FLAGS_STAMP := .build-flags
FLAGS_NOW := $(CC) $(LAB_CFLAGS) $(LAB_LDFLAGS) $(LAB_LIBS)
ifneq ($(FLAGS_NOW),$(shell cat $(FLAGS_STAMP) 2>/dev/null))
$(shell echo '$(FLAGS_NOW)' > $(FLAGS_STAMP))
endif

$(FLAGS_STAMP): ;
# A source that no longer compiles leaves no program behind from an earlier
# build: its tests must see it as not built, not test the old one.
%.o: %.c $(FLAGS_STAMP)
	$(CC) $(LAB_CFLAGS) -c -o $@ $< || { rm -f $*; exit 1; }

# Cancel make's built-in one-step rule, so every program goes through the
# flags above and the objects stay for -MMD.
%: %.c

$(PROGS): %: %.o
	$(CC) $(LAB_LDFLAGS) -o $@ $^ $(LAB_LIBS)

clean:
	rm -f $(PROGS) *.o *.d $(FLAGS_STAMP) $(CLEAN_EXTRA)

# One directory's tests: tests/DIR.bats, through the lab's test runner (T=REGEX:
# only the matching tests). A program that does not build fails its own tests.
# The build uses every CPU, each compiler's messages kept together.
BUILD_JOBS = $(if $(filter -j%,$(MAKEFLAGS)),,-j$$(nproc 2>/dev/null || echo 1)) -Otarget
test:
	@$(MAKE) -k $(BUILD_JOBS) --no-print-directory all; built=$$?; \
	$(LAB_TOP)/tests/run $(LAB_TOP)/tests/$(LAB_DIR).bats; tested=$$?; \
	[ $$built -eq 0 ] || echo "make test: some programs did not build (the compiler's errors are above)" >&2; \
	[ $$built -eq 0 ] && [ $$tested -eq 0 ]

# The instructor's tour of this directory (DIR/demo.sh); never reads stdin. STEP=1
# shows each command and waits for Enter on the terminal before running it.
demo: all
	@bash ./demo.sh </dev/null

-include $(wildcard *.d)
