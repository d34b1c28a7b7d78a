#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fidelity capture of the dax/kmem "state" interface (Linux 7.3):
#   guest-capture-state.sh [OUTDIR]   (default $CXL_CAPTURE_OUT, $CXL_VM_OUT)
# A RAM region over every memdev, made and bound by raw sysfs writes while
# auto_online_blocks=offline, then a fixed sequence of writes to
# daxX.Y/state (and around it: per-block offlining behind kmem's back,
# kmem unbind and bind with another default policy). Each step is a line
# of OUTDIR/state.tsv: label, result of the write (ok or the error text),
# the value `state` reads afterwards (or "absent"), and the region's
# blocks (present, online, Movable, Normal). OUTDIR/state-attrs.tsv: the
# dax device's attribute names while bound to kmem. Memory never goes to
# ZONE_NORMAL here, so the teardown cannot be refused.
# Runs in the VM (test/vm/run) and under the simulator (test/sim/run
# --profile=dax-state). Exit 0 when captured, 77 without a state attribute.
set -uo pipefail
# shellcheck source=test/vm/guest-lib.sh
. "$(dirname "$0")/guest-lib.sh"

out=${1:-${CXL_CAPTURE_OUT:-${CXL_VM_OUT:?no output folder}}}
mkdir -p "$out"
[ "${CXL_VM:-}" = 1 ] && modprobe -a dax_cxl device_dax kmem

orig=$(cat "$MEMDIR/auto_online_blocks")
trap 'echo "$orig" >"$MEMDIR/auto_online_blocks"' EXIT
must offline "$MEMDIR/auto_online_blocks"
region=$(raw_create_region) || die "no region"
dax=$(region_dax "$region") || die "no dax device under $region"
S=$SYS/bus/dax/devices/$dax/state
D=$SYS/bus/dax/drivers
wait_for '[ "$(dax_driver "$dax")" = kmem ]' 10
# kmem adds "state" once its probe returned: give it that long
wait_for "[ -e $S ]" 10 ||
	{ note "no $S: not a dax-state kernel"; raw_destroy_region "$region"; exit 77; }
res=$(cat "$CXLDEV/$region/resource")
size=$(hex2dec "$(cat "$CXLDEV/$region/size")")
mapfile -t blocks < <(blocks_of "$res" "$size")
must "$orig" "$MEMDIR/auto_online_blocks"

summary() {
	local b st z p=0 on=0 mv=0 nm=0
	for b in "${blocks[@]}"; do
		[ -e "$MEMDIR/$b" ] || continue
		p=$((p + 1))
		read -r st <"$MEMDIR/$b/state"
		[ "$st" = online ] || continue
		on=$((on + 1))
		read -r z <"$MEMDIR/$b/valid_zones"
		case "$z" in
		Movable) mv=$((mv + 1)) ;;
		Normal) nm=$((nm + 1)) ;;
		esac
	done
	echo "present=$p online=$on movable=$mv normal=$nm"
}
now() {
	local v=absent
	[ -e "$S" ] && read -r v <"$S"
	echo "$v"
}
: >"$out/state.tsv"
step() { # label, value or "-" (read only), file (default: state)
	local r=- e
	if [ "$2" != - ]; then
		if e=$(wr "$2" "${3:-$S}"); then r=ok; else r=$e; fi
	fi
	printf '%s\t%s\t%s\t%s\n' "$1" "$r" "$(now)" "$(summary)" >>"$out/state.tsv"
}

attrs() { # folder
	local f
	for f in "$1"/*; do
		[ -e "$f" ] || [ -L "$f" ] || continue
		echo "${f##*/}"
	done
}
attrs "$SYS/bus/dax/devices/$dax" >"$out/state-attrs.tsv"

step "bound with auto_online_blocks=offline" -
step "write offline" offline
step "write bogus" bogus
step "online_movable from offline" online_movable
step "unplugged" unplugged
step "unplugged again" unplugged
step "online_movable" online_movable
step "online_movable again" online_movable
step "online_kernel while online" online_kernel
step "online while online" online
step "unplugged after online_movable" unplugged
step "online_movable once more" online_movable
for b in "${blocks[@]}"; do
	wr offline "$MEMDIR/$b/state" >/dev/null
done
step "every block offlined behind kmem" -
step "unplugged with blocks offline" unplugged
step "kmem unbind" "$dax" "$D/kmem/unbind"
must online_movable "$MEMDIR/auto_online_blocks"
step "kmem bind, auto_online_blocks=online_movable" "$dax" "$D/kmem/bind"
must "$orig" "$MEMDIR/auto_online_blocks"
wait_for "[ -e $S ]" 10
step "after the bind" -
step "unplugged before teardown" unplugged
step "kmem unbind for teardown" "$dax" "$D/kmem/unbind"
raw_destroy_region "$region"
printf 'region after delete\t%s\n' \
	"$(ls -d "$CXLDEV/$region" 2>/dev/null || echo gone)" >>"$out/state.tsv"
echo "captured the state sequence of $dax in $out ($(wc -l <"$out/state.tsv") steps)"
exit 0
