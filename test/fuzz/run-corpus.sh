#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-corpus.sh CORPUS BUILT FUZZER...: every fuzz target over its
# checked-in regression corpus (CORPUS/<name>, each input once), then a
# few seconds of fuzzing from it (new inputs go to a scratch directory,
# never into the tree). Any crash or sanitizer report fails the test.
set -u
corpus=${1:?corpus directory}
built=${2:?yes or no}
shift 2
if [ "$built" != yes ]; then
	echo "clang with its libFuzzer runtime is not installed" \
		"(scripts/install-deps.sh installs clang and libclang-rt-dev):" \
		"fuzz targets not built"
	exit 77
fi
secs=${FUZZ_SECONDS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for f in "$@"; do
	name=${f##*/fuzz-}
	[ -d "$corpus/$name" ] || { echo "FAIL: no corpus for $name"; fail=1; continue; }
	n=$(find "$corpus/$name" -type f | wc -l)
	# each input once
	if ! "$f" -runs=0 "$corpus/$name" >"$tmp/$name.log" 2>&1; then
		echo "FAIL: $name: the regression corpus ($n inputs) crashes it"
		tail -n 40 "$tmp/$name.log"
		fail=1
		continue
	fi
	mkdir "$tmp/$name"
	if ! "$f" -max_total_time="$secs" -seed=1 -max_len=4096 \
		-artifact_prefix="$tmp/" "$tmp/$name" "$corpus/$name" \
		>"$tmp/$name.log" 2>&1; then
		echo "FAIL: $name: crashed within $secs s; the input:"
		ls "$tmp"/crash-* "$tmp"/leak-* "$tmp"/timeout-* 2>/dev/null
		tail -n 40 "$tmp/$name.log"
		fail=1
		continue
	fi
	echo "$name: $n corpus inputs, then $secs s:" \
		"$(grep -E '^#[0-9]+.*(DONE|pulse)' "$tmp/$name.log" | tail -n1)"
done
exit $fail
