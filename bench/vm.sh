#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark on real kernels (prints figures, never fails on time):
#   bench/vm.sh [--kernel=6.12,7.3] [--size=16G] [--upstream=trixie|sid|none]
#               [--rounds=3] [--realtime]
# boots each kernel once under QEMU (test/vm/run, topology `bench`: two
# type-3 devices of --size each on sparse file-backed memory) and runs
# test/vm/guest-bench.sh there: create + online movable, reconfigure to
# devdax and back, destroy of the region over both devices, by our cxl, by
# the minimal sysfs sequence and the upstream way, one after the other in
# the same boot. Our cxl is built without sanitizers for this
# (build-bench/, release; CXL=... uses another binary). The upstream tools
# are Debian trixie's (81, test/upstream/fetch) unless --upstream=none
# (then the guest's Debian 12 76.1, which cannot create RAM regions: its
# way starts from a region made by sysfs). The guest's clock is QEMU's
# -icount shift=0,sleep=off: one guest instruction is one nanosecond, so
# the figures count the work done (the guest's instructions, kernel and
# tool) and do not depend on the load of the host; --realtime boots with
# the host's clock instead (TCG's own speed, translation of new code
# included: on the shared 2-core machine, runs of the same step varied
# 2-3 times). Each kernel's ways run --rounds times, medians printed.
# Run as root from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."

kernels=6.12,7.3
size=16G
suite=trixie
rounds=3
icount="-icount shift=0,sleep=off"
for a in "$@"; do
	case $a in
	--kernel=*) kernels=${a#*=} ;;
	--size=*) size=${a#*=} ;;
	--upstream=*) suite=${a#*=} ;;
	--rounds=*) rounds=${a#*=} ;;
	--realtime) icount= ;;
	*)
		echo "usage: bench/vm.sh [--kernel=6.12,7.3] [--size=16G]" \
			"[--upstream=trixie|sid|none] [--rounds=N] [--realtime]" >&2
		exit 129
		;;
	esac
done

if [ -z "${CXL:-}" ]; then
	[ -e build-bench/build.ninja ] ||
		nice meson setup build-bench -Dbuildtype=release \
			-Db_sanitize=none -Dtests=disabled -Ddocs=disabled >/dev/null
	nice meson compile -C build-bench cxl/cxl >/dev/null
	CXL=$PWD/build-bench/cxl/cxl
fi
export CXL
if [ "$suite" != none ]; then
	CXL_VM_UPSTREAM=$(test/upstream/fetch "$suite") || {
		echo "bench/vm: no upstream $suite tools; using the guest's 76.1" >&2
		CXL_VM_UPSTREAM=
	}
	export CXL_VM_UPSTREAM
fi
export CXL_VM_BENCH_SIZE=$size CXL_BENCH_ROUNDS=$rounds
export CXL_VM_QEMU_ARGS="${CXL_VM_QEMU_ARGS:-} $icount"
export CXL_BENCH_CLOCK=${icount:+"icount (1 instruction = 1 ns)"}
: "${CXL_BENCH_CLOCK:=host (TCG real time)}"

rc=0
res=$(mktemp -d /tmp/cxl-bench-vm.XXXXXX)
trap '[ -n "${CXL_BENCH_KEEP:-}" ] || rm -rf "$res"' EXIT
for k in ${kernels//,/ }; do
	echo "== Linux $k: booting (test/vm/run --kernel=$k --topology=bench${icount:+, $icount})" >&2
	set +e
	test/vm/run --kernel="$k" --topology=bench --timeout=3000 \
		--out="$res/$k" -- test/vm/guest-bench.sh >"$res/$k.log" 2>&1
	r=$?
	set -e
	if [ -s "$res/$k/bench.txt" ]; then
		cat "$res/$k/bench.txt"
	else
		echo "Linux $k: no figures (exit $r)"
	fi
	grep -E '^(# |FAIL)' "$res/$k.log" | grep -v '^# way ' || true
	echo
	[ $r = 0 ] || { [ $r = 77 ] && [ $rc = 0 ] && rc=77; } || rc=1
done
exit $rc
