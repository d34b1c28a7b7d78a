#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Target selection without -m (run through test/sim/run on the large
# topology with 64 memdevs: eight host bridges of eight): every reachable
# memdev is considered, the default interleave is the widest the root and
# its bridges allow (16), the memdevs spread evenly over the bridges and
# their ports, and a failure names every memdev and the reason of the
# closest root.
. "$(dirname "$0")/common"

rc=77
set -e
trap 'err $LINENO' ERR
check_prereq jq
. "$(dirname "$0")/sim-lib.sh"
rc=1

root=$("$CXL" list -D -d root |
	jq -r '[.[] | select(.interleave_ways == 8)][0].decoder')
[ "$root" != null ] || do_skip "needs the large topology with 64 memdevs"

# the host bridge a memdev hangs off: the pciDDDD:BB of its device path
bridge_of()
{
	readlink -f "/sys/bus/cxl/devices/$1" | grep -o 'pci[0-9a-f]*:[0-9a-f]*'
}

spread_ok()
{
	local plan=$1 want=$2 per=$3 m counts

	check "$want ways: $want targets" \
		'[ "$(jq ".mappings | length" "$plan")" = "$want" ]'
	check "$want ways: distinct memdevs" \
		'[ "$(jq "[.mappings[].memdev] | unique | length" "$plan")" = "$want" ]'
	counts=$(for m in $(jq -r '.mappings[].memdev' "$plan"); do
		bridge_of "$m"
	done | sort | uniq -c | awk '{print $1}' | sort -u | tr '\n' ' ')
	check "$want ways: $per per host bridge (got $counts)" \
		'[ "$counts" = "$per " ]'
}

run_traced "$tmp/plan" "$tmp/err" "$CXL" create-region -n -d "$root" --online=movable
check "-d $root -n: exit 0 ($(head -n1 "$tmp/err"))" '[ $code = 0 ]'
check "-d $root -n: widest valid interleave" \
	'[ "$(jq .interleave_ways "$tmp/plan")" = 16 ]'
check "-d $root -n: no write" '[ "$nw" = 0 ]'
spread_ok "$tmp/plan" 16 2

"$CXL" create-region -n -d "$root" -w 16 --online=movable >"$tmp/plan16"
spread_ok "$tmp/plan16" 16 2
"$CXL" create-region -n -d "$root" -w 8 --online=movable >"$tmp/plan8"
spread_ok "$tmp/plan8" 8 1

code=0
"$CXL" create-region -n -d "$root" -w 3 --online=movable >/dev/null 2>"$tmp/err" || code=$?
check "-w 3: exit 1" '[ $code = 1 ]'
check "-w 3: says why in one line" \
	'[ "$(wc -l <"$tmp/err")" = 1 ] && grep -q "not a multiple of its 8 host bridges" "$tmp/err"'

# the real thing: every one of the 16 memdevs, online movable, then gone
before=$(state)
"$CXL" create-region -d "$root" --online=movable >"$tmp/out" 2>/dev/null
check "create: 16 ways" '[ "$(jq .interleave_ways "$tmp/out")" = 16 ]'
check "create: movable" \
	'[ "$(jq -r .sysram.online_type "$tmp/out")" = online_movable ]'
destroy_ok "$(jq -r .region "$tmp/out")"
check "destroy restores the state" '[ "$(state)" = "$before" ]'

# a failure names every memdev and what the closest root lacks: three
# memdevs below three bridges fit no window (x1 per bridge, or x8)
m=$(for x in $("$CXL" list -M | jq -r '.[].memdev'); do
	echo "$(bridge_of "$x") $x"
done | sort -u -k1,1 | head -n 3 | awk '{print $2}' | tr '\n' ' ')
code=0
# shellcheck disable=SC2086 # three memdev names
"$CXL" create-region -n -m $m >/dev/null 2>"$tmp/err" || code=$?
check "3 memdevs: exit 1" '[ $code = 1 ]'
for x in $m; do
	check "3 memdevs: $x named" 'grep -qw "$x" "$tmp/err"'
done
check "3 memdevs: the closest root's reason" \
	'grep -q "($root: " "$tmp/err"'

finish
