#!/usr/bin/env bats
# tests/pipe.bats -- pipe/: behaviour through each program's command line.
load helpers

setup() { lab_setup; }
teardown() { lab_teardown; }

@test "pipe_fdopen: the child receives every line, in order" {
	run -0 --separate-stderr t "$(prog pipe pipe_fdopen)" -n 3 "ping pong"
	assert_eq "$(printf 'child got line %d: ping pong\n' 1 2 3)" "$output"
	assert_eq "" "$stderr" "stderr"
}

@test "pipe_fdopen: zero lines is an empty, successful run" {
	run -0 --separate-stderr t "$(prog pipe pipe_fdopen)" -n 0
	assert_eq "" "$output"
}

@test "pipe_fdopen: bad count and extra arguments get usage and status 2" {
	run -2 --separate-stderr t "$(prog pipe pipe_fdopen)" -n many
	assert_usage
	run -2 --separate-stderr t "$(prog pipe pipe_fdopen)" a b
	assert_usage
}
