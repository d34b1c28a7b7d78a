#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# create-region against the simulator (run through test/sim/run): memdev
# order, decoder choice, devdax with no hot-add, dry-run versus the real
# writes, fault injection at every write step, bad invocations, and the
# sysfs operation count. Needs the simulator's control files.
. "$(dirname "$0")/common"

rc=77
set -e
trap 'err $LINENO' ERR
check_prereq jq
. "$(dirname "$0")/sim-lib.sh"
rc=1

bus=$(pick_bus)
policy=$(cat $MEMORY/auto_online_blocks)

# a 2-way plan: the tool picks the decoder and the positions
"$CXL" create-region --online=movable -n -b "$bus" -w 2 -d "$("$CXL" list -b "$bus" -D -d root |
	jq -r '[.[] | select(.volatile_capable == true and .interleave_ways == 2)][0].decoder // empty')" \
	>"$tmp/plan2" 2>/dev/null ||
	"$CXL" create-region --online=movable -n -b "$bus" -w 2 -d "$("$CXL" list -b "$bus" -D -d root |
	jq -r '[.[] | select(.volatile_capable == true)][0].decoder')" >"$tmp/plan2"
dec=$(jq -r .decoder "$tmp/plan2")
m0=$(jq -r '.mappings[0].memdev' "$tmp/plan2")
m1=$(jq -r '.mappings[1].memdev' "$tmp/plan2")
size=$((2 * (256 << 20)))

# 1. memdevs in reverse order, no -d: a committed region, positions as
#    the topology requires, and the decoder it picked is named
before=$(state)
out=$("$CXL" create-region --online=movable -m "$m1" "$m0" -s $size 2>"$tmp/err")
r=$(jq -r .region <<<"$out")
check "reverse order: committed" '[ "$(jq -r .decode_state <<<"$out")" = commit ]'
check "reverse order: $m0 at position 0" \
	'[ "$(jq -r ".mappings[] | select(.position == 0) | .memdev" <<<"$out")" = "$m0" ]'
check "no -d: decoder reported in JSON" '[ "$(jq -r .decoder <<<"$out")" != null ]'
check "no -d: decoder named on stderr" 'grep -q "picked as root decoder" "$tmp/err"'
check "summary line" 'grep -q "created 1 region" "$tmp/err"'
destroy_ok "$r"
check "destroy restores the state" '[ "$(state)" = "$before" ]'

# 2. devdax: a char device, and at no moment a hot-added block
echo reset > $SIM/stats
out=$("$CXL" create-region -d "$dec" -m "$m0" "$m1" -s $size --mode=devdax 2>/dev/null)
r=$(jq -r .region <<<"$out")
check "devdax: mode" '[ "$(jq -r .mode <<<"$out")" = devdax ]'
check "devdax: peak hot-added blocks 0" \
	'[ "$(jq .hotplug.peak_present $SIM/stats)" = 0 ]'
check "devdax: char device" '[ -e /dev/$(jq -r ".daxregion.devices[0].chardev" <<<"$out") ]'
destroy_ok "$r"

# 3. --mode=default: the kernel's default driver, like upstream
out=$("$CXL" create-region -d "$dec" -m "$m0" "$m1" -s $size --mode=default 2>/dev/null)
r=$(jq -r .region <<<"$out")
check "default: bound to cxl_region" '[ "$(jq -r .region_driver <<<"$out")" = cxl_region ]'
destroy_ok "$r"
check "policy unchanged" '[ "$(cat $MEMORY/auto_online_blocks)" = "$policy" ]'

# 4. dry-run writes nothing
for online in movable kernel offline; do
	echo reset > $SIM/stats
	before=$(state)
	run_traced "$tmp/plan" "$tmp/perr" "$CXL" create-region -n -d "$dec" \
		-m "$m0" "$m1" -s $size --online=$online
	check "dry-run $online: exit 0" '[ $code = 0 ]'
	check "dry-run $online: no write ($nw)" '[ "$nw" = 0 ]'
	check "dry-run $online: the simulator saw only the flushes" \
		'[ "$(writes)" = "$nf" ]'
	check "dry-run $online: state unchanged" '[ "$(state)" = "$before" ]'
	# (that the plan lists the run's writes is sim-plan.sh's to check)
done

# 5. fault injection at every write step of the real run
for online in movable kernel; do
	"$CXL" create-region --debug -d "$dec" -m "$m0" "$m1" -s $size --online=$online \
		>"$tmp/out" 2>"$tmp/dbg"
	# region and dax ids change from run to run: match any
	sed -n 's/^cxl region: cmd_create_region: write \([^ ]*\) .*$/\1/p' "$tmp/dbg" |
		sed -e 's/region[0-9][0-9]*/region*/g' -e 's/dax[0-9][0-9]*\./dax*./g' \
		>"$tmp/steps"
	destroy_ok "$(jq -r .region "$tmp/out")"
	nsteps=$(wc -l <"$tmp/steps")
	for e in EBUSY ENXIO ENOMEM; do
		msg=$(errno_text $e)
		for ((i = 1; i <= nsteps; i++)); do
			path=$(sed -n "${i}p" "$tmp/steps")
			nth=$(head -n "$i" "$tmp/steps" | grep -cxF "$path")
			before=$(state)
			echo "$path $nth $e" > $SIM/fail
			code=0
			"$CXL" create-region -d "$dec" -m "$m0" "$m1" -s $size \
				--online=$online >"$tmp/fo" 2>"$tmp/fe" || code=$?
			echo clear > $SIM/fail
			cases=$((${cases:-0} + 1))
			if [ $e = EBUSY ] && [[ $path == */create_ram_region ]]; then
				# EBUSY there is a name race: claimed again
				check "EBUSY at claim: retried (got $code)" '[ $code = 0 ]'
				destroy_ok "$(jq -r .region "$tmp/fo")"
				check "EBUSY at claim: state as before" '[ "$(state)" = "$before" ]'
				continue
			fi
			check "fault $e at step $i ($path): exit 1 (got $code)" '[ $code = 1 ]'
			check "fault $e at step $i: message names errno" 'grep -q "failed: $msg" "$tmp/fe"'
			check "fault $e at step $i: nothing on stdout" '[ ! -s "$tmp/fo" ]'
			check "fault $e at step $i ($path): state as before" '[ "$(state)" = "$before" ]'
			if [ "$(state)" != "$before" ]; then
				diff <(echo "$before") <(state) | head -20
				for r in $("$CXL" list -R -i | jq -r '.[].region'); do
					"$CXL" destroy-region -f "$r" 2>/dev/null || true
				done
			fi
		done
	done
done
echo "fault injection: $cases cases"

# 6. bad invocations: one line, exit 129 (usage) or 1, and no write
bad_args=(
	"-m mem0 -s 1q" "-m mem0 -s -1" "-m mem0 -s 0" "-m mem0 -s 1.5g"
	"-m mem0 -s 99999999999999999999" "-m mem0 -s 1p" "-m mem0 -s ''"
	"-m mem0 --mode=bogus" "-m mem0 --mode=" "-m mem0 --online=normal"
	"-m mem0 --online=Movable" "-m mem0 --method=magic"
	"-m mem0 --mode=devdax --online=movable" "-m mem0 --mode=default --online=kernel"
	"-m mem0 --mode=default --method=legacy" "-m mem0 -t pmem --mode=sysram"
	"-m mem0 -t pmem --online=movable" "-m mem0 -t pmem -n" "-m mem0 -t foo"
	"-m mem0 -U 00000000-0000-0000-0000-000000000000"
	"-m ../mem0" "-m mem0/.." "-m mem0/../../region0" "-m /sys/bus/cxl/devices/mem0"
	"-m memory0" "-m mem01" "-m mem0 mem0" "-m mem0,mem0" "-m mem-1"
	"-d ../decoder0.0 -m mem0" "-d decoder0.0/.. -m mem0" "-d region0 -m mem0"
	"-d decoder0 -m mem0" "-m mem0 -w 0" "-m mem0 -w 5" "-m mem0 -w x"
	"-m mem0 mem1 -w 4" "-m mem0 -g 100" "-m mem0 -g 0" "-m mem0 -g 300"
	"-m mem0 --timeout=0" "-m mem0 --timeout=-5" "-m mem0 --timeout=soon"
	"mem0" "" "-m mem0 --bogus" "-m mem0 -q" "-m mem0 --size"
	"-m mem999" "-m mem0 -d decoder99.0" "-m mem0 -s 1t"
	"-m mem0 mem1 -s 256m" "-m mem0 -b nosuchbus"
)
before=$(state)
for a in "${bad_args[@]}"; do
	eval "run_traced \"\$tmp/bo\" \"\$tmp/be\" \"\$CXL\" create-region $a"
	check "bad '$a': no write ($nw)" '[ "$nw" = 0 ]'
	check "bad '$a': exit 129 or 1 (got $code)" '[ $code = 129 ] || [ $code = 1 ]'
	check "bad '$a': one line (got $(wc -l <"$tmp/be"))" '[ "$(wc -l <"$tmp/be")" = 1 ]'
	check "bad '$a': nothing on stdout" '[ ! -s "$tmp/bo" ]'
done
check "bad invocations: state unchanged" '[ "$(state)" = "$before" ]'
echo "bad invocations: ${#bad_args[@]}"

# 6b. one wording for sizes, in the units they were given in: too large
#     first (a huge size is that, whatever its remainder), never hex
#     mixed with the user's string
size_msgs=(
	"-d $dec -m $m0 -s 1t|--size 1t is too large: the memdevs have [0-9]+[kmg] free"
	"-d $dec -m $m0 -s 1T|--size 1T is too large: the memdevs have [0-9]+[KMG] free"
	"-d $dec -m $m0 -s 18446744073709551615|--size 18446744073709551615 is too large: the memdevs have [0-9]+ free"
	"-d $dec -m $m0 -s 0xffffffffffffffff|--size 0xffffffffffffffff is too large: the memdevs have 0x[0-9a-f]+ free"
	"-d $dec -m $m0 -s 99999999999999999999|--size 99999999999999999999 is too large$"
	"-d $dec -m $m0 $m1 -s 256m|--size 256m is not a multiple of 512m \\(2 ways x 256 MiB\\)"
	"-d $dec -m $m0 $m1 -s 805306368|--size 805306368 is not a multiple of 536870912 \\(2 ways"
)
for c in "${size_msgs[@]}"; do
	a=${c%%|*} want=${c#*|}
	# shellcheck disable=SC2086
	run_traced "$tmp/bo" "$tmp/be" "$CXL" create-region --online=movable $a
	check "size '$a': says '$want' ($(cat "$tmp/be"))" 'grep -Eq -- "$want" "$tmp/be"'
	check "size '$a': no write ($nw)" '[ "$nw" = 0 ]'
done

# 7. sysfs operations of one create (region-driver: the minimum is
#    1 claim + 3 geometry + 3 per target + commit + 3 for the drivers)
#    (an endpoint decoder already in mode "ram" saves its mode write)
"$CXL" create-region --online=movable -n -d "$dec" -m "$m0" "$m1" -s $size >"$tmp/plan" 2>/dev/null
planned=$(jq '[.plan[] | select(.write)] | length' "$tmp/plan")
echo reset > $SIM/stats
run_traced "$tmp/out" /dev/null "$CXL" create-region --online=movable -d "$dec" -m "$m0" "$m1" -s $size
echo "create-region ($CXL_SIM_PROFILE, 2 targets): $nw state writes," \
	"$nf libcxl flushes; simulator: $(jq -c 'del(.hotplug)' $SIM/stats)"
if [ "$CXL_SIM_PROFILE" = region-driver ]; then
	mode_writes=$(jq '[.plan[] | select(.write // "" | test("/mode$"))] | length' "$tmp/plan")
	check "region-driver create: the minimum, 12 + mode writes (got $nw)" \
		'[ "$nw" = $((12 + mode_writes)) ] && [ "$nw" = "$planned" ]'
fi
destroy_ok "$(jq -r .region "$tmp/out")"

# 8. an interface that cannot deliver the type: one line, exit 1, no write
case $CXL_SIM_PROFILE in
region-driver*) cant="--method=region-driver --online=kernel" ;;
*) cant="--method=region-driver" ;;
esac
# shellcheck disable=SC2086
run_traced "$tmp/co" "$tmp/ce" "$CXL" create-region -d "$dec" -m "$m0" "$m1" \
	-s $size $cant
check "$cant: exit 1 (got $code)" '[ $code = 1 ]'
check "$cant: one line" '[ "$(wc -l <"$tmp/ce")" = 1 ]'
check "$cant: no write" '[ "$nw" = 0 ]'

# 9. SIGINT/SIGTERM in the middle of the hot-add: rolled back, policy
#    restored, exit 128 + the signal with one line saying so. strace sends
#    the signal as the command opens the bind (deterministic, whatever
#    the machine's load): the bind goes through, the next step sees the
#    signal and everything is undone
interrupt_at_bind()
{
	local sig=$1 num=$2 drv

	before=$(state)
	drv=$(ls /sys/bus/cxl/drivers | grep -m1 -E '^(cxl_sysram_region|region_sysram)$' || echo none)
	code=0
	ASAN_OPTIONS=detect_leaks=0 strace -qq -o /dev/null \
		-P /sys/bus/cxl/drivers/cxl_region/bind \
		-P "/sys/bus/cxl/drivers/$drv/bind" \
		-e trace=openat -e inject=openat:signal="$sig":when=1 \
		"$CXL" create-region --online=movable -d "$dec" -m "$m0" "$m1" -s $size \
		>"$tmp/so" 2>"$tmp/se" || code=$?
	check "$sig: exit $((128 + num)) (got $code)" '[ $code = $((128 + num)) ]'
	check "$sig: says interrupted and rolled back" \
		'grep -q "^cxl create-region: interrupted by SIG$sig; rolled back$" "$tmp/se"'
	check "$sig: auto_online_blocks restored" '[ "$(cat $MEMORY/auto_online_blocks)" = "$policy" ]'
	check "$sig: state as before" '[ "$(state)" = "$before" ]'
}
interrupt_at_bind INT 2
interrupt_at_bind TERM 15

# 10. two creates racing for the same memdev: one wins or both get
#     distinct regions; the loser leaves nothing behind
before=$(state)
"$CXL" create-region --online=movable -d "$dec" -m "$m0" -s 256m >"$tmp/r1" 2>/dev/null &
p1=$!
"$CXL" create-region --online=movable -d "$dec" -m "$m0" -s 256m >"$tmp/r2" 2>/dev/null &
p2=$!
c1=0
c2=0
wait $p1 || c1=$?
wait $p2 || c2=$?
check "race: at least one succeeds ($c1 $c2)" '[ $c1 = 0 ] || [ $c2 = 0 ]'
r1=$(jq -r '.region // empty' "$tmp/r1" 2>/dev/null || true)
r2=$(jq -r '.region // empty' "$tmp/r2" 2>/dev/null || true)
check "race: distinct regions" '[ -z "$r1" ] || [ -z "$r2" ] || [ "$r1" != "$r2" ]'
# shellcheck disable=SC2086
[ -z "$r1$r2" ] || destroy_ok $r1 $r2
check "race: nothing left behind" '[ "$(state)" = "$before" ]'

# 11. writers take turns: a create waits while another writer holds the lock
flock /run/cxl-sysram.lock sleep 3 &
lpid=$!
t0=$(date +%s%N)
while flock -n /run/cxl-sysram.lock true; do
	sleep 0.05
	t0=$(date +%s%N)
done
r=$("$CXL" create-region --online=movable -d "$dec" -m "$m0" -s 256m 2>"$tmp/le" | jq -r .region)
t1=$(date +%s%N)
wait $lpid
check "lock: create waited for the holder ($(((t1 - t0) / 1000000)) ms)" \
	'[ $(((t1 - t0) / 1000000)) -ge 1000 ]'
check "lock: the wait is said once" \
	'[ "$(grep -c "waiting for another cxl command" "$tmp/le")" = 1 ]'
destroy_ok "$r"

# 11b. a devdax create whose device_dax probe the kernel defers (7.3,
# seen under load right after a region over the same range went): the
# bind is tried again while it says EAGAIN; a probe deferred for good
# fails after 5 s, with everything put back
case $CXL_SIM_PROFILE in
legacy | dax-state)
	echo "device_dax 2" >$SIM/defer
	code=0
	out=$("$CXL" create-region -d "$dec" -m "$m0" "$m1" -s 512m \
		--mode=devdax --debug 2>"$tmp/de") || code=$?
	echo clear >$SIM/defer
	r=$(jq -r .region <<<"$out" 2>/dev/null || true)
	dax=$(jq -r '.daxregion.devices[0].chardev' <<<"$out" 2>/dev/null || true)
	check "deferred probe: exit 0 ($(tail -n1 "$tmp/de"))" '[ $code = 0 ]'
	check "deferred probe: tried again" 'grep -q "probe deferred by the kernel" "$tmp/de"'
	check "deferred probe: $dax bound to device_dax" \
		'[ "$(basename "$(readlink "/sys/bus/dax/devices/$dax/driver")")" = device_dax ]'
	destroy_ok "$r"
	before=$(state)
	echo "device_dax 100000" >$SIM/defer
	code=0
	"$CXL" create-region -d "$dec" -m "$m0" "$m1" -s 512m --mode=devdax \
		>/dev/null 2>"$tmp/de" || code=$?
	echo clear >$SIM/defer
	check "probe deferred for good: exit 1 (got $code)" '[ $code = 1 ]'
	check "probe deferred for good: says EAGAIN" \
		'grep -q "bind device_dax failed: Resource temporarily unavailable" "$tmp/de"'
	check "probe deferred for good: state as before" '[ "$(state)" = "$before" ]'
	;;
esac

# 12. interrupted while waiting for the lock: nothing changed, exit 130
before=$(state)
flock /run/cxl-sysram.lock sleep 5 &
lpid=$!
while flock -n /run/cxl-sysram.lock true; do sleep 0.05; done
"$CXL" create-region --online=movable -d "$dec" -m "$m0" -s 256m >/dev/null 2>"$tmp/le" &
cpid=$!
for _ in $(seq 100); do
	grep -q "waiting for another" "$tmp/le" && break
	sleep 0.05
done
check "lock: the waiter names the holder's pid" \
	'grep -q "waiting for another cxl command (pid [0-9]*)" "$tmp/le"'
kill -INT $cpid
code=0
wait $cpid || code=$?
kill $lpid 2>/dev/null || true
wait $lpid 2>/dev/null || true
check "lock wait + SIGINT: exit 130 (got $code)" '[ $code = 130 ]'
check "lock wait + SIGINT: says nothing changed" \
	'grep -q "interrupted by SIGINT while waiting for the lock; nothing changed" "$tmp/le"'
check "lock wait + SIGINT: state as before" '[ "$(state)" = "$before" ]'

finish
