#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What the operator sees (run through test/sim/run, the large topology of
# two 32 GiB memdevs, every profile): on a terminal, a progress line for
# the steps over many memory blocks, erased when each ends, and nothing of
# it on a pipe or a file; -v says the memory blocks in ranges, not one line
# per block; --debug of a create that fails shows the write of every undo,
# also those a callback makes (a memory block put back offline).
. "$(dirname "$0")/common"

rc=77
set -e
trap 'err $LINENO' ERR
check_prereq jq
check_prereq script
check_prereq perl
. "$(dirname "$0")/sim-lib.sh"
rc=1

m0=$("$CXL" list -M | jq -r '.[0].memdev')
m1=$("$CXL" list -M | jq -r '.[1].memdev')
sysram=(--mode=sysram --online=movable)
bs=$((16#$(cat $MEMORY/block_size_bytes)))
base=$(state)

# range REGION-JSON: "F L START END" of the region's memory blocks
range()
{
	local res size

	res=$(jq -r .resource "$1")
	size=$(jq -r .size "$1")
	printf '%d %d %#x %#x\n' $((res / bs)) $(((res + size) / bs - 1)) \
		"$res" $((res + size - 1))
}

# on_tty OUT CMD...: run CMD with stdout to OUT and stderr on a terminal;
# the terminal's bytes go to $tmp/tty
on_tty()
{
	local out=$1 q

	shift
	q=$(printf '%q ' "$@")
	script -qec "$q >$out" /dev/null >"$tmp/tty" </dev/null
}

# the lines a terminal shows at the end for the bytes on stdin: "\r"
# goes back to the line's start, ESC [ K erases to its end
screen()
{
	perl -0777 -ne 'for my $l (split /\r?\n/) {
		my ($s, $c) = ("", 0);
		while ($l =~ /\G(\r|\e\[K|.)/gs) {
			if ($1 eq "\r") { $c = 0 }
			elsif ($1 eq "\e[K") { substr($s, $c) = "" }
			else { substr($s, $c, 1) = $1; $c++ }
		}
		print "$s\n";
	}'
}

# 1. a create of all the capacity (512 blocks) on a terminal
on_tty "$tmp/c.json" "$CXL" create-region -m "$m0" "$m1" "${sysram[@]}"
region=$(jq -r .region "$tmp/c.json")
check "pty create: the region is made" '[ "$region" = region0 ]'
n=$(grep -a -o $'\r[^\r]*: [0-9]*/512 blocks' "$tmp/tty" | wc -l)
check "pty create: a progress line is drawn (got $n draws)" '[ "$n" -ge 1 ]'
check "pty create: the progress says the verification" \
	"grep -q -a 'region0: verify online_movable memory: [0-9]*/512 blocks' '$tmp/tty'"
screen <"$tmp/tty" >"$tmp/screen"
check "pty create: no progress left on the screen" \
	"! grep -q 'blocks/s\\|/512 blocks' '$tmp/screen'"
check "pty create: the summary line stays" \
	"grep -qx 'cxl region: cmd_create_region: created 1 region' '$tmp/screen'"

# 2. the same destroy, on a pipe and into a file: not a byte of progress
"$CXL" destroy-region -f "$region" 2>&1 >/dev/null | cat >"$tmp/pipe"
check "pipe destroy: no carriage return or escape" \
	"! grep -q \$'[\\r\\e]' '$tmp/pipe'"
check "pipe destroy: only the summary" \
	"[ \"\$(cat '$tmp/pipe')\" = 'cxl region: cmd_destroy_region: destroyed 1 region' ]"
"$CXL" create-region -m "$m0" "$m1" "${sysram[@]}" >"$tmp/c.json" 2>"$tmp/file"
check "file create: no carriage return or escape" \
	"! grep -q \$'[\\r\\e]' '$tmp/file'"
check "file create: no progress" "! grep -q 'blocks' '$tmp/file'"
destroy_ok "$region"

# 3. -v: the blocks in one range, said as the region's address range
"$CXL" create-region -v -m "$m0" "$m1" -s 4g "${sysram[@]}" \
	>"$tmp/c.json" 2>"$tmp/v"
read -r f l s e <<<"$(range "$tmp/c.json")"
want="cxl region: cmd_create_region: region0: memory blocks $f-$l ($s-$e): online movable"
check "-v create: '$want'" "grep -qxF '$want' '$tmp/v'"
check "-v create: 32 blocks" '[ $((l - f + 1)) = 32 ]'
check "-v create: no line per block" \
	"! grep -q 'memory block [0-9]\\|memory[0-9]' '$tmp/v'"
check "-v create: the commit and the waits are said" \
	"grep -q ': region0: commit$' '$tmp/v' &&
	 grep -q 'wait for memory blocks: ready after [0-9]* ms$' '$tmp/v'"
check "-v create: no debug lines" "! grep -q ': write /sys/' '$tmp/v'"
# two blocks taken offline by hand split the destroy's offline in two
echo offline >$MEMORY/memory$((f + 10))/state
echo offline >$MEMORY/memory$((f + 11))/state
"$CXL" destroy-region -v -f region0 >/dev/null 2>"$tmp/v"
a="cxl region: cmd_destroy_region: region0: memory blocks"
want1="$a $f-$((f + 9)) ($s-$(printf %#x $(((f + 10) * bs - 1)))): offline"
want2="$a $((f + 12))-$l ($(printf %#x $(((f + 12) * bs)))-$e): offline"
check "-v destroy: '$want1'" "grep -qxF '$want1' '$tmp/v'"
check "-v destroy: '$want2'" "grep -qxF '$want2' '$tmp/v'"
check "-v destroy: the delete is said" "grep -q ': region0: delete$' '$tmp/v'"
check "destroy: back to the start" '[ "$(state)" = "$base" ]'

# 4. --debug of a create whose fifth block fails to online (legacy: one
# write per block, from the top block down): the four blocks before it go
# offline again, each write said, and so is every other undo's
"$CXL" create-region -m "$m0" "$m1" -s 1g "${sysram[@]}" --method=legacy \
	>"$tmp/c.json" 2>/dev/null
read -r f l s e <<<"$(range "$tmp/c.json")"
destroy_ok region0
base=$(state)
echo "$MEMORY/memory$((l - 4))/state 1 EIO" >$SIM/fail
code=0
"$CXL" create-region --debug -m "$m0" "$m1" -s 1g "${sysram[@]}" \
	--method=legacy >/dev/null 2>"$tmp/d" || code=$?
echo clear >$SIM/fail
check "failed create: exit 1 (got $code)" '[ "$code" = 1 ]'
check "failed create: everything put back" '[ "$(state)" = "$base" ]'
p="cxl region: cmd_create_region:"
check "failed create: the failed write is said" \
	"grep -qxF '$p failed write $MEMORY/memory$((l - 4))/state online_movable: Input/output error' '$tmp/d'"
sed -n '/rolling back/,$p' "$tmp/d" >"$tmp/undo"
for ((b = l - 3; b <= l; b++)); do
	check "failed create: the undo of memory$b writes offline" \
		"grep -qxF '$p write $MEMORY/memory$b/state offline' '$tmp/undo'"
done
want="$p undo: memory blocks $((l - 3))-$l ($(printf %#x $(((l - 3) * bs)))-$e): offline"
check "failed create: '$want'" "grep -qxF '$want' '$tmp/undo'"
check "failed create: the unbind's undo writes" \
	"grep -qxF '$p write /sys/bus/cxl/drivers/cxl_region/unbind region0' '$tmp/undo'"
check "failed create: the commit's undo writes" \
	"grep -qxF '$p write /sys/bus/cxl/devices/region0/commit 0' '$tmp/undo'"
check "failed create: the region's delete is written" \
	"grep -q '^$p write /sys/bus/cxl/devices/decoder[0-9.]*/delete_region region0$' '$tmp/undo'"
# every undo that ran is followed by the write it made, before the next
nu=$(grep -c "^$p undo [^:]" "$tmp/undo" || true)
nw=$(awk -v p="$p" 'index($0, p " undo ") == 1 && $0 !~ /undo: / { u = 1; next }
	u && index($0, p " write /sys/") == 1 { n++; u = 0 } END { print n + 0 }' "$tmp/undo")
check "failed create: each of the $nu undos says its write (got $nw)" \
	'[ "$nu" -ge 10 ] && [ "$nw" = "$nu" ]'
check "failed create: the method and its reason are said" \
	"grep -q '^$p method legacy (hot-add: legacy, then online: legacy): asked for with --method$' '$tmp/d'"

invariants narration
finish
