#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark (prints figures, never fails on time): `cxl list -R` and
# `cxl list -RX` of our cxl against upstream's on a large simulated
# topology, side by side in one invocation:
#   bench/list.sh [-n RUNS] [--memdevs=32] [--memdev-size=16G]
#                 [--profile=legacy] [--upstream=PATH|trixie|sid]
# The simulator's `large` topology with --memdevs memdevs gets one 2-way
# RAM region per pair of memdevs (alternately sysram movable and devdax);
# then each of the four listings runs RUNS times (default 7), interleaved
# so that machine load hits all alike, and the median wall time, the
# median CPU time (the listing's processes and the simulator's work for
# them: less at the mercy of a loaded machine than the wall time), the
# ratios ours / upstream and the simulator's operation counts of one
# listing are printed. Upstream is $CXL_UPSTREAM, else /usr/bin/cxl; trixie or sid
# take that suite's (test/upstream/fetch). Our cxl wraps the same upstream
# (it runs it and adds its keys); it is built without sanitizers for this
# (build-bench/, release; CXL=... uses another binary). The simulator is
# build/'s. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=7
memdevs=32
msize=16G
profile=legacy
upstream=${CXL_UPSTREAM:-/usr/bin/cxl}
while [ $# -gt 0 ]; do
	case $1 in
	-n) runs=${2:?}; shift ;;
	--memdevs=*) memdevs=${1#*=} ;;
	--memdev-size=*) msize=${1#*=} ;;
	--profile=*) profile=${1#*=} ;;
	--upstream=*) upstream=${1#*=} ;;
	*)
		echo "usage: bench/list.sh [-n RUNS] [--memdevs=N]" \
			"[--memdev-size=S] [--profile=P] [--upstream=PATH|trixie|sid]" >&2
		exit 129
		;;
	esac
	shift
done
case $upstream in
/*) ;;
*) upstream=$(test/upstream/fetch "$upstream")/bin/cxl ;;
esac
[ -x "$upstream" ] || { echo "bench/list: no upstream cxl at $upstream" >&2; exit 1; }
# our cxl as shipped: optimised, no sanitizers (build-bench/)
if [ -z "${CXL:-}" ]; then
	[ -e build-bench/build.ninja ] ||
		nice meson setup build-bench -Dbuildtype=release \
			-Db_sanitize=none -Dtests=disabled -Ddocs=disabled >/dev/null
	nice meson compile -C build-bench cxl/cxl >/dev/null
	CXL=$PWD/build-bench/cxl/cxl
fi
export CXL CXL_UPSTREAM=$upstream RUNS=$runs MEMDEVS=$memdevs

# shellcheck disable=SC2016
test/sim/run --profile="$profile" --topology=large --memdevs="$memdevs" \
	--memdev-size="$msize" --auto-online=offline -- bash -c '
	set -euo pipefail
	S=/sys/kernel/debug/cxl-sim
	nreg=0
	for ((i = 0; i + 1 < MEMDEVS; i += 2)); do
		if ((nreg % 2)); then
			mode=(--mode=devdax)
		else
			mode=(--mode=sysram --online=movable)
		fi
		"$CXL" create-region -t ram -m "mem$i" "mem$((i + 1))" "${mode[@]}" \
			>/dev/null
		nreg=$((nreg + 1))
	done
	blocks=$(ls -d /sys/devices/system/memory/memory* | wc -l)
	upv=$("$CXL_UPSTREAM" version)
	echo "$nreg regions over $MEMDEVS memdevs ($blocks memory blocks)," \
		"upstream cxl $upv, $RUNS runs each"
	declare -A T C
	# CPU time (s) of the children of this shell so far, and of the
	# simulator serving them (its FUSE work is the listing'"'"'s sysfs cost)
	sim=$(pgrep -P "$PPID" -x cxl-sim)
	tf=$(mktemp)
	cpu() {
		local su ss cu cs st
		times >"$tf"
		{ read -r su ss; read -r cu cs; } <"$tf"
		read -r -a st </proc/$sim/stat
		awk -v a="$cu" -v b="$cs" -v t="$(( st[13] + st[14] ))" -v hz="$(getconf CLK_TCK)" \
			"function s(x) { split(x, p, \"m\"); sub(\"s\", \"\", p[2]); return p[1] * 60 + p[2] }
			BEGIN { printf \"%.3f\", s(a) + s(b) + t / hz }"
	}
	one() { # label, command...
		local l=$1 a c
		shift
		c=$(cpu)
		a=$EPOCHREALTIME
		"$@" >/dev/null
		T[$l]+="$(awk -v a="$a" -v b="$EPOCHREALTIME" "BEGIN { printf \"%.4f\", b - a }") "
		C[$l]+="$(awk -v a="$c" -v b="$(cpu)" "BEGIN { printf \"%.3f\", b - a }") "
	}
	# -X (the dax regions) is upstream v77 and later
	lists=(-R -RX)
	opts=$("$CXL_UPSTREAM" list --list-opts 2>&1 || true)
	[[ $opts == *--dax* ]] || lists=(-R)
	for ((r = 0; r < RUNS; r++)); do
		for o in "${lists[@]}"; do
			one "ours $o" "$CXL" list $o
			one "upstream $o" "$CXL_UPSTREAM" list $o
		done
	done
	median() { tr " " "\n" | grep . | sort -n | awk "{ v[NR] = \$1 } END { print v[int((NR + 1) / 2)] }"; }
	ops() { # command... -> the simulator counters of one run
		echo reset >$S/stats
		"$@" >/dev/null
		jq -r "\"\(.reads) reads, \(.opens) opens, \(.readdirs) readdirs, \(.readlinks) readlinks, \(.getattrs) getattrs\"" $S/stats
	}
	echo
	echo "| listing | ours wall | upstream wall | ratio | ours CPU | upstream CPU | ratio | ours: sysfs ops | upstream: sysfs ops |"
	echo "|---|---|---|---|---|---|---|---|---|"
	for o in "${lists[@]}"; do
		m1=$(median <<<"${T[ours $o]}")
		m2=$(median <<<"${T[upstream $o]}")
		c1=$(median <<<"${C[ours $o]}")
		c2=$(median <<<"${C[upstream $o]}")
		printf "| cxl list %s | %.3f s | %.3f s | %.2f | %.3f s | %.3f s | %.2f | %s | %s |\n" "$o" \
			"$m1" "$m2" "$(awk -v a="$m1" -v b="$m2" "BEGIN { print a / b }")" \
			"$c1" "$c2" "$(awk -v a="$c1" -v b="$c2" "BEGIN { print (b > 0 ? a / b : 0) }")" \
			"$(ops "$CXL" list $o)" "$(ops "$CXL_UPSTREAM" list $o)"
	done
'
