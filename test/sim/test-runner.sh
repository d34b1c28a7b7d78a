#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test/sim/run itself: exit status passed through, environment, private
# /dev, and nothing left behind (mounts, processes, files) after success,
# failure, SIGINT and SIGTERM.
. "$(dirname "$0")/common.sh"
CASE=${1:-exit-codes}

[ "$(id -u)" = 0 ] || skip "must be run as root"
[ -c /dev/fuse ] || skip "/dev/fuse is not available"
unshare -m --propagation private true 2>/dev/null ||
	skip "cannot create a mount namespace"
TAG=cxl-sim-test-$$-$RANDOM
export CXL_SIM_TEST_TAG=$TAG

# processes started by this test (they inherit the tag)
tagged() {
	local p

	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" = $$ ] && continue
		[ "${p#/proc/}" = "$BASHPID" ] && continue
		{ tr '\0' '\n' <"$p/environ"; } 2>/dev/null |
			grep -qx "CXL_SIM_TEST_TAG=$TAG" || continue
		echo "${p#/proc/} $({ tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null)"
	done
}

check_clean() {
	local i left

	for i in $(seq 50); do
		left=$(tagged)
		[ -z "$left" ] && break
		sleep 0.1
	done
	[ -z "$left" ] || fail "processes left behind: $left"
	grep -q cxl-sim /proc/self/mountinfo && fail "a cxl-sim mount leaked"
	[ -e /dev/cxl ] && fail "the host /dev was modified"
	ls -d /tmp/cxl-sim-dev.* 2>/dev/null && fail "temporary /dev left"
	true
}

case_exit_codes() {
	"$RUN" --topology=qemu1 -- true || fail "true"
	"$RUN" --topology=qemu1 -- false
	assert_eq $? 1 "false"
	"$RUN" --topology=qemu1 -- bash -c 'exit 42'
	assert_eq $? 42 "exit 42"
	"$RUN" --topology=qemu1 -- /nonexistent/command 2>/dev/null
	assert_eq $? 127 "missing command"
	# shellcheck disable=SC2016 # expanded by the inner shell
	out=$("$RUN" --profile=dax-state --topology=qemu1 -- \
		bash -c 'echo $CXL_SIM_ACTIVE $CXL_SIM_PROFILE $(ls /dev/cxl)')
	assert_eq "$out" "1 dax-state mem0" "environment"
	out=$(echo hello | "$RUN" --topology=qemu1 -- cat)
	assert_eq "$out" hello "stdin is passed"
	"$RUN" --topology qemu1 --profile legacy -- true || fail "--opt value"
	check_clean
}

case_usage() {
	"$RUN" --help | grep -q -- '--profile=' || fail "--help"
	"$RUN" --bogus -- true 2>/dev/null
	assert_eq $? 2 "unknown option"
	"$RUN" --profile=nope -- true 2>/dev/null
	assert_eq $? 2 "bad profile"
	"$RUN" --topology=qemu1 2>/dev/null
	assert_eq $? 2 "no command"
	CXL_SIM=/nonexistent "$RUN" -- true 2>/dev/null
	assert_eq $? 77 "no simulator"
	check_clean
}

signal_case() {
	local sig=$1 want=$2 pid i rc

	# with job control the runner gets default signal handling, as
	# when started from an interactive shell
	set -m
	"$RUN" --topology=qemu2 -- sleep 60 &
	pid=$!
	set +m
	for i in $(seq 100); do
		tagged | grep -q ' sleep 60' && break
		sleep 0.05
	done
	tagged | grep -q ' sleep 60' || fail "command did not start"
	kill -"$sig" $pid
	wait $pid
	rc=$?
	assert_eq $rc "$want" "exit status after SIG$sig"
	check_clean
}

case_sigint() {
	signal_case INT 130
}

case_sigterm() {
	signal_case TERM 143
}

case_failure() {
	# CMD fails while the simulator is busy with open files
	"$RUN" --topology=qemu2 -- bash -c \
		'exec 3</sys/bus/cxl/devices/mem0/serial; cd /sys/bus; exit 3'
	assert_eq $? 3 "exit 3"
	check_clean
}

fn=case_${CASE//-/_}
declare -F "$fn" >/dev/null || fail "unknown case"
$fn
echo "PASS: $TEST_NAME $CASE"
