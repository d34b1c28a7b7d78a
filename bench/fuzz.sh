#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fuzz the parsers (not CI): each libFuzzer target that meson built with
# clang and ASan/UBSan (build/test/fuzz/fuzz-*) runs for SECONDS, one
# after the other and niced, from the checked-in regression corpus plus
# what earlier runs found (kept in WORK, never in the tree). Prints, per
# target, the executions, the coverage (edges) and features libFuzzer
# reports, and the corpus size; a crash or sanitizer report is kept in
# WORK and makes the script exit 1 (add it to test/fuzz/corpus/<target>/
# and a unit test, then fix it).
#
#   bench/fuzz.sh [-t SECONDS] [-w WORK] [-b BUILD] [TARGET...]
#
# TARGET: policy, options, size, name (default: all). SECONDS: 300.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=300
work=/var/cache/cxl-sysram/fuzz
build=build
while getopts t:w:b: o; do
	case $o in
	t) secs=$OPTARG ;;
	w) work=$OPTARG ;;
	b) build=$OPTARG ;;
	*) sed -n '13,15p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(policy options size name)

status=0
printf '%-8s %8s %12s %10s %6s %6s %7s %s\n' target seconds execs exec/s \
	cov ft corpus result
for t in "${targets[@]}"; do
	f=$build/test/fuzz/fuzz-$t
	if [ ! -x "$f" ]; then
		echo "$f: not built (needs clang and libclang-rt-dev; meson compile -C $build)" >&2
		exit 1
	fi
	mkdir -p "$work/$t" "$work/artifacts"
	log=$work/$t.log
	rc=0
	nice -n 19 "$f" -max_total_time="$secs" -max_len=4096 \
		-print_final_stats=1 -artifact_prefix="$work/artifacts/$t-" \
		"$work/$t" "test/fuzz/corpus/$t" >"$log" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	last=$(grep -E '^#[0-9]+' "$log" | tail -n1)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
	corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
	if [ $rc = 0 ]; then
		result=ok
	else
		result="CRASH (rc $rc): $(ls "$work/artifacts/$t-"* 2>/dev/null | tr '\n' ' ')"
		status=1
	fi
	printf '%-8s %8s %12s %10s %6s %6s %7s %s\n' "$t" "$secs" \
		"${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" \
		"${corp:-?}" "$result"
done
exit $status
