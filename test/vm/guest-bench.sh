#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of the real-kernel benchmark (bench/vm.sh boots it on the
# `bench` topology): one RAM region over every memdev, as large as they
# are, taken three ways through the same four steps, one after the other
# in this boot:
#   create     a region over all memdevs, its memory online movable
#   devdax     reconfigure: memory offline and removed, /dev/daxX.Y
#   sysram     reconfigure back: memory hot-added and online movable
#   destroy    memory offline and removed, region deleted, DPA freed
# The ways:
#   cxl        our cxl (create-region, reconfigure-region, destroy-region)
#   minimal    the fewest sysfs writes the kernel needs for the same result,
#              by bash builtins (no process started, names found before the
#              clock starts): the physical limit, only the kernel's work
#   blocks     the same by bash builtins, block by block in the kernel's
#              cheaper order: hot-added offline, each block onlined from
#              the top down, offlined from the second block up with the
#              first last (on 7.3 instead of the whole-device state)
#   upstream   upstream cxl create-region (or, when it cannot create RAM
#              regions, the region by sysfs) with auto_online_blocks at
#              offline, then daxctl online-memory / reconfigure-device /
#              offline-memory, upstream cxl destroy-region
# An untimed cycle of the minimal way warms the kernel up first; then
# CXL_BENCH_ROUNDS rounds (default 3), each taking the ways in another
# order; the table has the medians. For each step: wall time, and the CPU time (user, system) of the shell and
# its children over the step, i.e. of the tool including the kernel work
# done in its system calls. Every result is checked from /sys after the
# step (not timed). Prints a table (also /out/bench.txt); exit 1 when a
# step did not give its result, never for a time.
set -uo pipefail
# shellcheck source=test/vm/guest-lib.sh
. "$(dirname "$0")/guest-lib.sh"

out=${CXL_VM_OUT:-$(mktemp -d)}
up=/usr/bin
[ -n "${CXL_VM_UPSTREAM:-}" ] && up=$CXL_VM_UPSTREAM/bin
UPC=$up/cxl
UPD=$up/daxctl
DAXBUS=$SYS/bus/dax
AUTO=$MEMDIR/auto_online_blocks

[ -x "${CXL:-}" ] || { echo "SKIP: no cxl build in the guest"; exit 77; }
# a pause without starting a process (read times out on a pipe that never
# delivers): the waits of the minimal way must cost only the waiting
exec {SLP}<> <(:)
pause() { read -r -t 0.01 -u "$SLP" _ || true; }
# the drivers of every step loaded now, so that no step waits for modprobe
modprobe -a -q dax_cxl kmem device_dax 2>/dev/null

mapfile -t mds < <(memdevs)
ways=${#mds[@]}
root=$(ram_root_decoder) || die "no RAM-capable root decoder"
gran=$(cat "$CXLDEV/$root/interleave_granularity")
per=
for m in "${mds[@]}"; do
	i=$(ram_size_of "$m")
	[ -z "$per" ] || [ "$i" -lt "$per" ] && per=$i
done
size=$((per * ways))
decs=()
for m in "${mds[@]}"; do
	decs+=("$(free_decoder_of "$m")") || die "$m: no free endpoint decoder"
done
bs=$(hex2dec "0x$(cat "$MEMDIR/block_size_bytes")")
nblk=$((size / bs))
orig=$(cat "$AUTO")
trap 'echo "$orig" >"$AUTO"' EXIT
upver=$("$UPC" version 2>/dev/null)
# Debian 12's cxl 76.1 says "region type 'ram' not supported yet"
upcreate=0
[ "${upver%%.*}" -gt 76 ] 2>/dev/null && upcreate=1
note "kernel $(uname -r), ${ways} memdevs, region $((size >> 30)) GiB =" \
	"$nblk blocks of $((bs >> 20)) MiB, auto_online_blocks=$orig," \
	"upstream cxl/daxctl $upver"

# --- timing ----------------------------------------------------------------
# `times` is a builtin: redirected to a file it forks nothing
tfile=$(mktemp)
secs() { # 1m2.345s -> 62.345
	local m=${1%%m*} s=${1#*m}
	s=${s%s}
	awk -v m="$m" -v s="$s" 'BEGIN { printf "%.3f", m * 60 + s }'
}
cpu_now() { # -> user sys (self + children), raw
	local su ss cu cs
	times >"$tfile"
	{ read -r su ss; read -r cu cs; } <"$tfile"
	CPU=("$su" "$ss" "$cu" "$cs")
}
declare -A T_WALL T_USR T_SYS T_OK
clock_start() {
	cpu_now
	C0=("${CPU[@]}")
	W0=$EPOCHREALTIME
}
clock_stop() { # way step: appends this run's figures
	local w1=$EPOCHREALTIME
	cpu_now
	T_WALL[$1.$2]+="$(awk -v a="$W0" -v b="$w1" 'BEGIN { printf "%.2f", b - a }') "
	T_USR[$1.$2]+="$(awk -v a="$(secs "${C0[0]}")" -v b="$(secs "${CPU[0]}")" \
		-v c="$(secs "${C0[2]}")" -v d="$(secs "${CPU[2]}")" \
		'BEGIN { printf "%.2f", b - a + d - c }') "
	T_SYS[$1.$2]+="$(awk -v a="$(secs "${C0[1]}")" -v b="$(secs "${CPU[1]}")" \
		-v c="$(secs "${C0[3]}")" -v d="$(secs "${CPU[3]}")" \
		'BEGIN { printf "%.2f", b - a + d - c }') "
}
# the median of a list of numbers
median() {
	# shellcheck disable=SC2086
	printf '%s\n' $1 | sort -n |
		awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'
}
range() {
	# shellcheck disable=SC2086
	printf '%s\n' $1 | sort -n | awk 'NR == 1 { a = $1 } { b = $1 } END { if (NR > 1) printf "%s-%s", a, b }'
}

# --- the state after a step (not timed) -------------------------------------
the_region() {
	local r=("$CXLDEV"/region*)
	[ -e "${r[0]}" ] && echo "${r[0]##*/}"
}
blocks_now() { # region -> "N online Movable" lines / absent
	local res b st z n=0
	res=$(cat "$CXLDEV/$1/resource")
	for b in $(blocks_of "$res" "$size"); do
		[ -e "$MEMDIR/$b" ] || continue
		read -r st <"$MEMDIR/$b/state"
		read -r z <"$MEMDIR/$b/valid_zones"
		echo "$st $z"
		n=$((n + 1))
	done | sort | uniq -c | awk '{ $1 = $1; print }'
}
check() { # way step
	local r got want dax drv
	r=$(the_region)
	case $2 in
	create | sysram)
		want="$nblk online Movable"
		[ -n "$r" ] && got=$(blocks_now "$r") || got="no region"
		dax=$(region_dax "$r" 2>/dev/null) && drv=$(dax_driver "$dax")
		[ "${drv:-}" = kmem ] || got="$got, dax ${dax:-none} on ${drv:-none}"
		;;
	devdax)
		want=" dax on device_dax"
		[ -n "$r" ] && got=$(blocks_now "$r") || got="no region"
		dax=$(region_dax "$r" 2>/dev/null) && drv=$(dax_driver "$dax")
		got="$got dax on ${drv:-none}"
		;;
	destroy)
		want="no region, DPA free"
		got="no region"
		[ -n "$r" ] && got="$r left"
		for d in "${decs[@]}"; do
			[ "$(($(cat "$CXLDEV/$d/dpa_size")))" = 0 ] || got="$got, $d holds DPA"
		done
		[ "$got" = "no region" ] && got="$want"
		;;
	esac
	if [ "$got" = "$want" ]; then
		[ "${T_OK[$1.$2]:-ok}" = ok ] && T_OK[$1.$2]=ok
	else
		T_OK[$1.$2]=FAILED
		fail "$1 $2: got '$got', want '$want'"
	fi
}

# --- the ways ------------------------------------------------------------
# the region's memory blocks (builtins only), for the per-block work
region_blocks() { # region
	local res i first
	read -r res <"$CXLDEV/$1/resource"
	first=$((res / bs))
	BLK=()
	for ((i = first; i < first + nblk; i++)); do
		BLK+=("memory$i")
	done
}
quiet() { "$@" >/dev/null 2>"$out/last.err" || { echo "# $* failed:"; sed 's/^/#   /' "$out/last.err"; }; }
# wait (builtins only) until the dax device of region $1 is bound to $2
wait_bound() { # region driver
	local i d
	for ((i = 0; i < 1000; i++)); do
		for d in "$CXLDEV/$1"/dax_region*/dax*.*; do
			# the driver's folder links each device bound to it
			[ -e "$DAXBUS/drivers/$2/${d##*/}" ] && return 0
		done
		pause
	done
	return 1
}
# every block of the region present and online (builtin reads)
wait_online() {
	local b st i ok
	for ((i = 0; i < 1000; i++)); do
		ok=1
		for b in "${BLK[@]}"; do
			st=
			read -r st <"$MEMDIR/$b/state" 2>/dev/null
			[ "$st" = online ] || { ok=0; break; }
		done
		[ $ok = 1 ] && return 0
		pause
	done
	return 1
}
# every block of the region present (builtin tests)
wait_present() {
	local b i ok
	for ((i = 0; i < 1000; i++)); do
		ok=1
		for b in "${BLK[@]}"; do
			[ -e "$MEMDIR/$b/state" ] || { ok=0; break; }
		done
		[ $ok = 1 ] && return 0
		pause
	done
	return 1
}
# each block offline by its own write, in the kernel's cheaper order
# (the second block first, then upwards, the first block last)
offline_blocks() {
	local i n=${#BLK[@]}
	for ((i = 1; i <= n; i++)); do
		echo offline >"$MEMDIR/${BLK[i % n]}/state"
	done
}
# each block online movable by its own write, from the top block down
online_blocks() {
	local i
	for ((i = ${#BLK[@]} - 1; i >= 0; i--)); do
		echo online_movable >"$MEMDIR/${BLK[i]}/state"
	done
}
# the dax device has the dax state attribute (Linux 7.3)
has_state() { [ -e "$DAXBUS/devices/$1/state" ]; }

min_create() { # [policy held while kmem probes, default online_movable]
	local r i
	echo "${1:-online_movable}" >"$AUTO"
	read -r r <"$CXLDEV/$root/create_ram_region"
	echo "$r" >"$CXLDEV/$root/create_ram_region"
	echo "$gran" >"$CXLDEV/$r/interleave_granularity"
	echo "$ways" >"$CXLDEV/$r/interleave_ways"
	echo "$size" >"$CXLDEV/$r/size"
	for i in "${!decs[@]}"; do
		echo ram >"$CXLDEV/${decs[$i]}/mode"
		echo "$per" >"$CXLDEV/${decs[$i]}/dpa_size"
	done
	for i in "${!decs[@]}"; do
		echo "${decs[$i]}" >"$CXLDEV/$r/target$i"
	done
	echo 1 >"$CXLDEV/$r/commit"
	echo "$r" >"$SYS/bus/cxl/drivers/cxl_region/bind"
	# Linux 7.3 probes the dax device asynchronously: the policy must
	# hold until kmem has hot-added the memory (6.12: done by now). A
	# kmem bind request waits for the probe (the device lock) and then
	# fails, EBUSY: a barrier that costs no polling
	echo "dax${r#region}.0" 2>/dev/null >"$DAXBUS/drivers/kmem/bind"
	wait_bound "$r" kmem
	echo "$orig" >"$AUTO"
	MR=$r
}
min_devdax() { # region dax
	if has_state "$2"; then
		echo unplugged >"$DAXBUS/devices/$2/state"
	else
		offline_blocks
	fi
	echo "$2" >"$DAXBUS/drivers/kmem/unbind"
	echo "$2" >"$DAXBUS/drivers/device_dax/new_id"
	echo "$2" >"$DAXBUS/drivers/device_dax/remove_id"
}
min_sysram() { # region dax [policy, default online_movable]
	echo "${3:-online_movable}" >"$AUTO"
	echo "$2" >"$DAXBUS/drivers/device_dax/unbind"
	echo "$2" >"$DAXBUS/drivers/kmem/bind"
	echo "$orig" >"$AUTO"
}
min_destroy() { # region dax [blocks: offline already]
	local r=$1 i
	if [ "${3:-}" = blocks ]; then
		:
	elif has_state "$2"; then
		echo unplugged >"$DAXBUS/devices/$2/state"
	else
		offline_blocks
	fi
	echo "$r" >"$SYS/bus/cxl/drivers/cxl_region/unbind"
	echo 0 >"$CXLDEV/$r/commit"
	for i in "${!decs[@]}"; do
		echo "" >"$CXLDEV/$r/target$i"
	done
	for i in "${!decs[@]}"; do
		echo 0 >"$CXLDEV/${decs[$i]}/dpa_size"
	done
	echo "$r" >"$CXLDEV/$root/delete_region"
}

way_minimal() {
	local r dax
	clock_start
	min_create
	region_blocks "$MR"
	wait_online
	clock_stop minimal create
	r=$MR
	check minimal create
	dax=$(region_dax "$r")
	clock_start
	min_devdax "$r" "$dax"
	wait_bound "$r" device_dax
	clock_stop minimal devdax
	check minimal devdax
	clock_start
	min_sysram "$r" "$dax"
	wait_online
	clock_stop minimal sysram
	check minimal sysram
	clock_start
	min_destroy "$r" "$dax"
	clock_stop minimal destroy
	check minimal destroy
}

# the same results block by block in the kernel's cheaper order: hot-add
# offline, each block online by its own write; offline likewise
way_blocks() {
	local r dax
	clock_start
	min_create offline
	region_blocks "$MR"
	wait_present
	online_blocks
	clock_stop blocks create
	r=$MR
	check blocks create
	dax=$(region_dax "$r")
	clock_start
	offline_blocks
	echo "$dax" >"$DAXBUS/drivers/kmem/unbind"
	echo "$dax" >"$DAXBUS/drivers/device_dax/new_id"
	echo "$dax" >"$DAXBUS/drivers/device_dax/remove_id"
	wait_bound "$r" device_dax
	clock_stop blocks devdax
	check blocks devdax
	clock_start
	min_sysram "$r" "$dax" offline
	wait_present
	online_blocks
	clock_stop blocks sysram
	check blocks sysram
	clock_start
	offline_blocks
	min_destroy "$r" "$dax" blocks
	clock_stop blocks destroy
	check blocks destroy
}

way_cxl() {
	local r
	clock_start
	quiet "$CXL" create-region -t ram -m "${mds[@]}" --mode=sysram --online=movable
	clock_stop cxl create
	check cxl create
	r=$(the_region)
	clock_start
	quiet "$CXL" reconfigure-region "$r" --mode=devdax
	clock_stop cxl devdax
	check cxl devdax
	clock_start
	quiet "$CXL" reconfigure-region "$r" --mode=sysram --online=movable
	clock_stop cxl sysram
	check cxl sysram
	clock_start
	quiet "$CXL" destroy-region -f "$r"
	clock_stop cxl destroy
	check cxl destroy
}

way_upstream() {
	local r= dax j
	clock_start
	echo offline >"$AUTO"
	if [ $upcreate = 1 ]; then
		j=$("$UPC" create-region -t ram -d "$root" -m "${mds[@]}" 2>"$out/last.err") || {
			echo "# $UPC create-region -t ram -d $root -m ${mds[*]} failed:"
			sed 's/^/#   /' "$out/last.err"
		}
		[[ $j =~ \"region\":\ *\"(region[0-9]+)\" ]] && r=${BASH_REMATCH[1]}
	else
		min_create
		echo offline >"$AUTO"
		r=$MR
	fi
	# the dax device's name, as an admin would take it from the output;
	# on 7.3 kmem probes asynchronously: daxctl finds no memory until the
	# blocks are there ("all memory sections (0) already online")
	wait_bound "${r:-none}" kmem
	dax=$(region_dax "${r:-none}")
	[ -n "$r" ] && region_blocks "$r" && wait_present
	quiet "$UPD" online-memory "$dax"
	clock_stop upstream create
	check upstream create
	clock_start
	quiet "$UPD" reconfigure-device --mode=devdax -f "$dax"
	clock_stop upstream devdax
	check upstream devdax
	clock_start
	quiet "$UPD" reconfigure-device --mode=system-ram "$dax"
	clock_stop upstream sysram
	check upstream sysram
	clock_start
	quiet "$UPD" offline-memory "$dax"
	quiet "$UPC" destroy-region -f "${r:-none}"
	clock_stop upstream destroy
	check upstream destroy
	echo "$orig" >"$AUTO"
}

ways_all="cxl minimal blocks upstream"
rounds=${CXL_BENCH_ROUNDS:-3}
dmesg_mark
# one untimed cycle first: the first region after boot pays for code and
# caches the kernel has not touched yet (seen: 3.9 s, then 0.7-1.3 s)
note "warm-up (minimal, not counted)"
way_minimal
unset 'T_WALL[minimal.create]' 'T_USR[minimal.create]' 'T_SYS[minimal.create]' \
	'T_WALL[minimal.devdax]' 'T_USR[minimal.devdax]' 'T_SYS[minimal.devdax]' \
	'T_WALL[minimal.sysram]' 'T_USR[minimal.sysram]' 'T_SYS[minimal.sysram]' \
	'T_WALL[minimal.destroy]' 'T_USR[minimal.destroy]' 'T_SYS[minimal.destroy]'
for ((round = 0; round < rounds; round++)); do
	# each round in another order, so that no way always goes first
	read -r -a order <<<"$ways_all"
	for ((k = 0; k < round % ${#order[@]}; k++)); do
		order=("${order[@]:1}" "${order[0]}")
	done
	for w in "${order[@]}"; do
		note "round $((round + 1)): $w"
		"way_$w"
		# what a failed way left must not spoil the next one
		r=$(the_region)
		if [ -n "$r" ]; then
			note "cleaning up $r after $w"
			"$CXL" destroy-region -f "$r" >/dev/null 2>&1
		fi
		echo "$orig" >"$AUTO"
	done
done

# --- the listing -----------------------------------------------------------
# `cxl list -R` and `-RX` with the region online movable: ours (on the
# distribution's 76.1 and on $UPC), against each upstream (76.1: -R only,
# it has no -X); interleaved,
# CXL_BENCH_LIST_RUNS runs each (default 7), the medians in ms
ms_of() { # command... -> its wall time in ms (output dropped)
	local a b
	a=$EPOCHREALTIME
	"$@" >/dev/null 2>&1
	b=$EPOCHREALTIME
	awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f\n", (b - a) * 1000 }'
}
declare -A L_MS
list_cmd() { # who flags
	case $1 in
	ours) "$CXL" list "$2" ;;
	ours-up) CXL_UPSTREAM=$UPC "$CXL" list "$2" ;;
	76.1) /usr/bin/cxl list "$2" ;;
	up) "$UPC" list "$2" ;;
	esac
}
listing_whos="ours 76.1"
[ "$UPC" != /usr/bin/cxl ] && listing_whos="$listing_whos ours-up up"
quiet "$CXL" create-region -t ram -m "${mds[@]}" --mode=sysram --online=movable
r=$(the_region)
if [ -n "$r" ]; then
	# checked, not timed: every listing names the region
	for who in $listing_whos; do
		list_cmd "$who" -R 2>/dev/null | grep -q "\"$r\"" ||
			fail "listing: $who list -R does not name $r"
		list_cmd "$who" -R >/dev/null 2>&1 # warm
	done
	for ((i = 0; i < ${CXL_BENCH_LIST_RUNS:-7}; i++)); do
		for flags in -R -RX; do
			for who in $listing_whos; do
				# 76.1 has no -X (it refuses the option)
				[ "$who.$flags" = 76.1.-RX ] && continue
				L_MS[$who.$flags]+="$(ms_of list_cmd "$who" "$flags") "
			done
		done
	done
	quiet "$CXL" destroy-region -f "$r"
fi
echo "$orig" >"$AUTO"

# --- the table -------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
{
	echo "kernel $(uname -r) (${CXL_VM_KERNEL:-?}), region $((size >> 30)) GiB ($nblk blocks), upstream $upver$([ $upcreate = 1 ] || echo ', region by sysfs'), median of $rounds, clock ${CXL_BENCH_CLOCK:-host}"
	echo
	echo "| step | way | wall s | (range) | user s | sys s | result |"
	echo "|---|---|---|---|---|---|---|"
	for s in create devdax sysram destroy; do
		for w in $ways_all; do
			k=$w.$s
			echo "| $s | $w | $(median "${T_WALL[$k]:-}") | $(range "${T_WALL[$k]:-}") | $(median "${T_USR[$k]:-}") | $(median "${T_SYS[$k]:-}") | ${T_OK[$k]:-not run} |"
		done
	done
	echo
	echo "| step | cxl / minimal (wall) | cxl / blocks (wall) | cxl / upstream (wall) |"
	echo "|---|---|---|---|"
	for s in create devdax sysram destroy; do
		c=$(median "${T_WALL[cxl.$s]:-}")
		echo "| $s | $(ratio "$c" "$(median "${T_WALL[minimal.$s]:-}")") | $(ratio "$c" "$(median "${T_WALL[blocks.$s]:-}")") | $(ratio "$c" "$(median "${T_WALL[upstream.$s]:-}")") |"
	done
	echo
	echo "listing, the region online movable: median of ${CXL_BENCH_LIST_RUNS:-7}, ms"
	echo
	echo "| listing | ours (on 76.1) | upstream 76.1 | ratio | ours on $upver | upstream $upver | ratio |"
	echo "|---|---|---|---|---|---|---|"
	for flags in -R -RX; do
		o=$(median "${L_MS[ours.$flags]:-}")
		u=$(median "${L_MS[76.1.$flags]:-}")
		ou=$(median "${L_MS[ours-up.$flags]:-}")
		uu=$(median "${L_MS[up.$flags]:-}")
		[ -n "${L_MS[76.1.$flags]:-}" ] || u="(no \`-X\`)"
		echo "| \`$flags\` | $o | $u | $(ratio "$o" "$u") | $ou | $uu | $(ratio "$ou" "$uu") |"
	done
} | tee "$out/bench.txt"
rm -f "$tfile"
check_dmesg || fail "the kernel log has warnings"
finish
