#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What cxl create-region makes when its command line says nothing of the
# memory (no --mode, --online or --method), run through test/sim/run on
# cxl_test's topology (volatile-only and pmem-only root decoders) and on
# qemu2's (one root decoder that can hold both):
#   - the type comes from the root decoder, as upstream decides it (pmem
#     wins where the decoder can hold both): then the command is
#     upstream's, byte for byte;
#   - RAM comes up under the kernel's own policy, bound to cxl_region;
#   - -d takes upstream's filters (root, all, lists): the first match;
#   - --method alone means sysram, movable;
#   - a [new-regions] section of the policy files is the default instead,
#     ignored when the command line says more; unusable policy files
#     refuse such a command before anything is written.
. "$(dirname "$0")/common"

rc=77
set -e
trap 'err $LINENO' ERR
check_prereq jq strace
. "$(dirname "$0")/sim-lib.sh"
rc=1

roots=$("$CXL" list -D -d root)
ram_root=$(jq -r '[.[] | select(.volatile_capable == true and
	.pmem_capable != true)][0].decoder // empty' <<<"$roots")
pmem_root=$(jq -r '[.[] | select(.pmem_capable == true and
	.volatile_capable != true)][0].decoder // empty' <<<"$roots")
dual_root=$(jq -r '[.[] | select(.pmem_capable == true and
	.volatile_capable == true)][0].decoder // empty' <<<"$roots")
[ -n "$ram_root$dual_root" ] || do_skip "no volatile-capable root decoder"
MEMORY=/sys/devices/system/memory

# created OUT: the region a create printed, destroyed at once
destroy_printed()
{
	local r

	r=$(jq -r .region "$1" 2>/dev/null || true)
	[ -n "$r" ] && [ "$r" != null ] && destroy_ok "$r"
	return 0
}

# same_as_upstream NAME ARGS...: ours and upstream's cxl create-region,
# each from the same state, print the same and exit the same
same_as_upstream()
{
	local name=$1 ours theirs before

	shift
	before=$(state)
	ours=0
	"$CXL" create-region "$@" >"$tmp/o1" 2>"$tmp/e1" || ours=$?
	destroy_printed "$tmp/o1"
	check "$name: state back after ours" '[ "$(state)" = "$before" ]'
	theirs=0
	"$CXL_UPSTREAM_BIN" create-region "$@" >"$tmp/o2" 2>"$tmp/e2" ||
		theirs=$?
	destroy_printed "$tmp/o2"
	check "$name: exit $ours, upstream's $theirs" '[ $ours = $theirs ]'
	check "$name: stdout is upstream's" 'cmp -s "$tmp/o1" "$tmp/o2"'
	check "$name: stderr is upstream's ($(head -n1 "$tmp/e1"))" \
		'cmp -s "$tmp/e1" "$tmp/e2"'
}

# 1. the type from the root decoder: a pmem-only one makes a pmem region,
#    and so does one that can hold both (upstream's rule)
for d in $pmem_root $dual_root; do
	"$CXL" create-region -d "$d" -w 1 >"$tmp/out" 2>"$tmp/err" || true
	r=$(jq -r .region "$tmp/out" 2>/dev/null || true)
	if [ -n "$r" ] && [ "$r" != null ]; then
		check "$d, no -t: a pmem region" \
			'[ "$("$CXL" list -R -r "$r" | jq -r ".[0].type")" = pmem ]'
		destroy_ok "$r"
	else
		# qemu's memdevs have no pmem: upstream's refusal, in its words
		check "$d, no -t: created, or upstream refused ($(head -n1 "$tmp/err"))" \
			'[ -n "$dual_root" ] && [ "$d" = "$dual_root" ]'
	fi
	same_as_upstream "$d, no -t" -d "$d" -w 1
	# a dry run is ours alone: a usage error that says why
	code=0
	"$CXL" create-region -n -d "$d" -w 1 >/dev/null 2>"$tmp/err" || code=$?
	check "$d, no -t, -n: exit 129 (got $code)" '[ $code = 129 ]'
	check "$d, no -t, -n: says why" \
		'grep -q "$d can hold pmem, so without -t the region is pmem" "$tmp/err"'
done

# 2. RAM under the kernel's own policy: whatever auto_online_blocks says
ram=${ram_root:-$dual_root}
t=
[ -n "$ram_root" ] || t="-t ram"
policy=$(cat $MEMORY/auto_online_blocks)
for kp in offline online_movable; do
	echo $kp >$MEMORY/auto_online_blocks
	code=0
	# shellcheck disable=SC2086 # -t ram or nothing
	"$CXL" create-region -d "$ram" -w 1 -s 256m $t >"$tmp/out" \
		2>"$tmp/err" || code=$?
	check "kernel policy $kp: created ($(head -n1 "$tmp/err"))" '[ $code = 0 ]'
	check "kernel policy $kp: bound to cxl_region" \
		'[ "$(jq -r .region_driver "$tmp/out")" = cxl_region ]'
	check "kernel policy $kp: the memory is $kp" \
		'[ "$(jq -r .sysram.online_type "$tmp/out")" = $kp ]'
	if [ $kp = offline ]; then
		dax=$(jq -r '.daxregion.devices[0].chardev' "$tmp/out")
		code=0
		"$DAXCTL" reconfigure-device -m devdax "$dax" >/dev/null 2>&1 ||
			code=$?
		check "kernel policy offline: daxctl takes it to devdax" \
			'[ $code = 0 ] && [ "$(basename "$(readlink /sys/bus/dax/devices/$dax/driver)")" = device_dax ]'
	fi
	destroy_printed "$tmp/out"
done
echo offline >$MEMORY/auto_online_blocks

# 3. -d as upstream's filter: the first root decoder that matches
first=$(jq -r '.[0].decoder' <<<"$roots")
if [ "$(jq -r '.[0].pmem_capable // false' <<<"$roots")" != true ]; then
	"$CXL" create-region -n -d root -w 1 -s 256m >"$tmp/out"
	check "-d root: the first root decoder, $first" \
		'[ "$(jq -r .decoder "$tmp/out")" = "$first" ]'
	"$CXL" create-region -n -d "decoder9.9 $ram" -w 1 -s 256m $t >"$tmp/out"
	check "-d 'decoder9.9 $ram': $ram" \
		'[ "$(jq -r .decoder "$tmp/out")" = "$ram" ]'
fi
code=0
"$CXL" create-region -n -d 'root decoder0.x' -w 1 >/dev/null 2>"$tmp/err" ||
	code=$?
check "-d with a bad item: exit 129 (got $code)" '[ $code = 129 ]'
check "-d with a bad item: names the choices" \
	'grep -q "(valid: decoderX.Y, X.Y, root, all, or a list of them)" "$tmp/err"'

# 4. --method alone asks for sysram, onlined movable
"$CXL" create-region -n -d "$ram" -w 1 -s 256m --method=legacy >"$tmp/out"
check "--method alone: sysram movable" \
	'[ "$(jq -r "[.mode, .online] | join(\" \")" "$tmp/out")" = "sysram online_movable" ]'

# 5. the administrator's default for new regions
conf=$tmp/conf.d
mkdir -m 0755 "$conf"
printf '[new-regions]\nonline = movable\n' >"$conf/10-new.conf"
chmod 0644 "$conf/10-new.conf"
"$CXL" create-region --config-dir="$conf" -d "$ram" -w 1 -s 256m \
	>"$tmp/out" 2>"$tmp/err"
check "[new-regions] online = movable: movable on an offline kernel" \
	'[ "$(jq -r .sysram.online_type "$tmp/out")" = online_movable ]'
destroy_printed "$tmp/out"
"$CXL" create-region --config-dir="$conf" -n -d "$ram" -w 1 -s 256m \
	--online=offline >"$tmp/out"
check "[new-regions]: --online on the command line wins" \
	'[ "$(jq -r .online "$tmp/out")" = offline ]'
if [ -n "$dual_root" ]; then
	"$CXL" create-region --config-dir="$conf" -n -d "$dual_root" -w 1 \
		-s 256m >"$tmp/out"
	check "[new-regions]: ram on a decoder that can hold pmem" \
		'[ "$(jq -r .mode "$tmp/out")" = sysram ]'
fi
printf '[new-regions]\nmode = devdax\n' >"$conf/10-new.conf"
"$CXL" create-region --config-dir="$conf" -n -d "$ram" -w 1 -s 256m \
	>"$tmp/out"
check "[new-regions] mode = devdax: a devdax plan" \
	'[ "$(jq -r .mode "$tmp/out")" = devdax ]'

# unusable files: exit 1, the file named, the remedy for this folder,
# nothing written
policy_refused()
{
	local name=$1 want=$2 before

	before=$(state)
	run_traced "$tmp/o" "$tmp/e" "$CXL" create-region \
		--config-dir="$conf" -d "$ram" -w 1 -s 256m
	check "$name: exit 1 (got $code)" '[ $code = 1 ]'
	check "$name: says $want ($(head -n1 "$tmp/e"))" \
		'grep -qF "$want" "$tmp/e"'
	check "$name: the remedy checks this folder" \
		'grep -qF "cxl reconfigure-region --check-config --dry-run --config-dir=$conf)" "$tmp/e"'
	check "$name: no write ($nw)" '[ "$nw" = 0 ]'
	check "$name: state unchanged" '[ "$(state)" = "$before" ]'
}
printf '[new-regions]\nonline = movabel\n' >"$conf/10-new.conf"
policy_refused "a bad value" "10-new.conf:2: unknown online type 'movabel'"
printf '[new-regions]\nonline = movable\n' >"$conf/10-new.conf"
chmod 0666 "$conf/10-new.conf"
policy_refused "a file others can write" "10-new.conf: refused"
chmod 0644 "$conf/10-new.conf"
cp "$conf/10-new.conf" "$conf/20-again.conf"
policy_refused "two [new-regions]" "rule '[new-regions]' defined twice"
rm "$conf/20-again.conf"
code=0
"$CXL" create-region --config-dir="$tmp/none" -n -d "$ram" -w 1 -s 256m \
	>/dev/null 2>&1 || code=$?
check "a --config-dir that does not exist: exit 1" '[ $code = 1 ]'

echo "$policy" >$MEMORY/auto_online_blocks
finish
