#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fidelity capture of the cxl_test topology: guest-capture-cxl-test.sh
# [OUTDIR] (default $CXL_CAPTURE_OUT, else $CXL_VM_OUT). Runs in the VM
# under the kernel's cxl_test mock (CXL_TEST_MODULE=1 loads it, upstream's
# way) and under the simulator (--topology=cxl_test --auto-region):
#   before.json   upstream `cxl list -BMDPTE` as loaded (with the
#                 firmware-assembled region)
#   roots.tsv     every root decoder's sysfs attributes (name, value)
#   region.json   our create-region's JSON for a 4-way devdax region on
#                 the x2 RAM window over cxl_mem.0-3
#   after.json    upstream `cxl list -BMDPTER` with that region: the
#                 decoder programming on every port
# The region is destroyed at the end. Exit 0 when captured.
set -uo pipefail
here=$(dirname "$0")
# shellcheck source=test/vm/guest-lib.sh
. "$here/guest-lib.sh"

out=${1:-${CXL_CAPTURE_OUT:-${CXL_VM_OUT:?no output folder}}}
mkdir -p "$out"
CXL=${CXL:-/opt/cxl-sysram/bin/cxl}

if [ -n "${CXL_TEST_MODULE:-}" ]; then
	# blocks stay offline: the capture does not depend on memory backing
	echo offline >"$MEMDIR/auto_online_blocks"
	modprobe -r cxl_test 2>/dev/null
	modprobe cxl_test || die "modprobe cxl_test failed"
	# the test scripts' helper (sourced for cxl_test_settle only)
	# shellcheck source=test/common
	. "$here/../common"
	cxl_test_settle || die "cxl_test did not settle"
fi

"$UPCXL" list -BMDPTE >"$out/before.json"
for d in "$CXLDEV"/decoder*; do
	[ "$(cat "$d/devtype" 2>/dev/null)" = cxl_decoder_root ] || continue
	for f in "$d"/*; do
		[ -f "$f" ] && [ -r "$f" ] || continue
		case ${f##*/} in create_*_region | delete_region | uevent) continue ;; esac
		printf '%s\t%s\t%s\n' "${d##*/}" "${f##*/}" "$(cat "$f" 2>/dev/null)"
	done
done >"$out/roots.tsv"

# The memdevs by host (cxl_mem.N): their memN names follow the probe
# order, which changes from boot to boot; a create that leaves the choice
# to the tool would compare different devices. Positions 0-3 of the x2
# window: cxl_mem.0 and .2 (host bridge 0), cxl_mem.1 and .3 (bridge 1).
# what the tool makes of each RAM window (a plan, nothing written): the
# RCH window on decoder0.5 tells whether the model's RCH looks real
for d in decoder0.0 decoder0.1 decoder0.5; do
	"$CXL" create-region -n -d "$d" -w 1 -s 256m >/dev/null 2>"$out/dry.err"
	printf 'dry-run %s x1\tresult\texit %s %s\n' "$d" "$?" \
		"$(head -n1 "$out/dry.err" | sed 's/^.*: //')"
done >>"$out/roots.tsv"

region=
mems=$("$UPCXL" list -M | jq -r '[.[] | {(.host): .memdev}] | add |
	[.["cxl_mem.0"], .["cxl_mem.1"], .["cxl_mem.2"], .["cxl_mem.3"]] |
	map(select(. != null)) | join(" ")')
# shellcheck disable=SC2086
if "$CXL" create-region -d decoder0.1 -m $mems -s 1g --mode=devdax \
	>"$out/region.json" 2>"$out/region.err"; then
	region=$(jq -r .region "$out/region.json")
fi
[ -n "$region" ] || die "no region created: $(cat "$out/region.err")"
"$UPCXL" list -BMDPTER >"$out/after.json"
"$CXL" destroy-region -f "$region" || die "destroy $region failed"
[ -n "${CXL_TEST_MODULE:-}" ] && modprobe -r cxl_test
echo "captured cxl_test with $region in $out"
exit 0
