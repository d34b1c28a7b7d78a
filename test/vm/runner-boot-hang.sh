#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The runner's boot watchdog: a guest that does not reach /init within
# CXL_VM_BOOT_TIMEOUT seconds is booted again, CXL_VM_BOOT_TRIES times in
# all, and then the run fails (exit 1) saying so -- it must never pass or
# skip. A one-second limit cannot be met by any boot under TCG, so every
# try times out here; the successful boots are the other vm tests.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp)
CXL_VM_LOGDIR=$(mktemp -d)
export CXL_VM_LOGDIR
trap 'rm -rf "$out" "$CXL_VM_LOGDIR"' EXIT

start=$(date +%s)
CXL_VM_BOOT_TIMEOUT=1 CXL_VM_BOOT_TRIES=2 \
	"$here/run" --topology=qemu1 -- "$here/guest-smoke.sh" >"$out" 2>&1
rc=$?
took=$(($(date +%s) - start))
cat "$out"

grep -q '^SKIP' "$out" && [ $rc = 77 ] && exit 77
fail() { echo "FAIL: $*"; exit 1; }
[ $rc = 1 ] || fail "runner exit $rc, expected 1"
[ "$(grep -c 'did not reach /init within 1s' "$out")" = 2 ] ||
	fail "expected two boot attempts"
grep -q '^vm/run: booting again$' "$out" || fail "no 'booting again'"
grep -q 'FAIL: the guest did not boot (2 tries)' "$out" ||
	fail "no final verdict line"
[ "$took" -lt 60 ] || fail "took ${took}s: the watchdog did not cut the boots short"

# bad settings are usage errors before anything boots
CXL_VM_BOOT_TRIES=0 "$here/run" -- "$here/guest-smoke.sh" >"$out" 2>&1
rc=$?
[ $rc = 129 ] || { cat "$out"; fail "CXL_VM_BOOT_TRIES=0: exit $rc, expected 129"; }
grep -q "CXL_VM_BOOT_TRIES must be a positive number" "$out" ||
	{ cat "$out"; fail "CXL_VM_BOOT_TRIES=0: no message"; }
echo "PASS: boot watchdog"
