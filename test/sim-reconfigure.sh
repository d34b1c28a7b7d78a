#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# reconfigure-region, disable/enable/destroy-region and cxl list against
# the simulator (run through test/sim/run): every cell of the transition
# table, busy memory, destroy after any sequence, list as a superset of
# upstream's, and fault injection at every write of reconfigure/destroy.
. "$(dirname "$0")/common"

rc=77
set -e
trap 'err $LINENO' ERR
check_prereq jq
. "$(dirname "$0")/sim-lib.sh"
rc=1

echo online > $MEMORY/auto_online_blocks
bus=$(pick_bus)
dec=$("$CXL" list -b "$bus" -D -d root |
	jq -r '[.[] | select(.volatile_capable == true)][0].decoder')
"$CXL" create-region --online=movable -n -d "$dec" -w 2 >"$tmp/plan" 2>/dev/null ||
	"$CXL" create-region --online=movable -n -d "$dec" -w 1 >"$tmp/plan"
mems=$(jq -r '[.mappings[].memdev] | join(" ")' "$tmp/plan")
ways=$(jq -r .interleave_ways "$tmp/plan")
size=$((ways * (256 << 20)))
initial=$(state)

create() # <from-state>
{
	local args
	case $1 in
	default) args="--mode=default" ;;
	devdax) args="--mode=devdax" ;;
	*) args="--mode=sysram --online=$1" ;;
	esac
	# shellcheck disable=SC2086
	region=$("$CXL" create-region -d "$dec" -m $mems -s $size $args 2>/dev/null |
		jq -r .region)
	[ -n "$region" ] && [ "$region" != null ]
}

dax_driver() # region -> driver of its dax device
{
	jq -r --arg r "$1" '[.dax_devices[] | select(.region == "dax_" + $r)][0].driver // "none"' \
		$SIM/state
}

# the simulated kernel shows what was asked for
verify() # region target
{
	local r=$1 want=$2
	case $want in
	devdax)
		check_blocks "$r" absent || return 1
		[ "$(dax_driver "$r")" = device_dax ] || return 1
		dax=$("$CXL" list -RX -r "$r" | jq -r '.[0].daxregion.devices[0].chardev')
		[ -e "/dev/$dax" ] ;;
	movable) check_blocks "$r" online Movable && [ "$(dax_driver "$r")" = kmem ] ;;
	kernel) check_blocks "$r" online Normal && [ "$(dax_driver "$r")" = kmem ] ;;
	online) check_blocks "$r" online any && [ "$(dax_driver "$r")" = kmem ] ;;
	offline) check_blocks "$r" offline && [ "$(dax_driver "$r")" = kmem ] ;;
	esac
}

reconf_args() # target
{
	case $1 in
	devdax) echo "--mode=devdax" ;;
	*) echo "--mode=sysram --online=$1" ;;
	esac
}

# 1. the transition table: from each state to each state
froms="default movable kernel online offline devdax"
tos="movable kernel online offline devdax"
for from in $froms; do
	for to in $tos; do
		create "$from"
		# a no-op exactly when the region already is what is asked
		if verify "$region" "$to" 2>/dev/null; then
			want_changed=false
		else
			want_changed=true
		fi
		# shellcheck disable=SC2046
		out=$("$CXL" reconfigure-region "$region" $(reconf_args "$to") 2>"$tmp/err") ||
			{ bad "$from -> $to: exit $? $(cat "$tmp/err")"; "$CXL" destroy-region -f "$region" 2>/dev/null; continue; }
		check "$from -> $to: blocks and bindings" 'verify "$region" "$to"'
		check "$from -> $to: changed is $want_changed" \
			'[ "$(jq -r .changed <<<"$out")" = $want_changed ]'
		[ "$from" = "$to" ] && check "$from -> $to: no-op" '[ $want_changed = false ]'
		check "$from -> $to: previous" \
			'[ "$(jq -r .previous.mode <<<"$out")" = "$([ $from = devdax ] && echo devdax || echo sysram)" ]'
		check "$from -> $to: JSON mode" \
			'[ "$(jq -r .mode <<<"$out")" = "$([ $to = devdax ] && echo devdax || echo sysram)" ]'
		destroy_ok "$region"
		check "$from -> $to: destroy restores the state" '[ "$(state)" = "$initial" ]'
	done
done

# 2. memory that refuses to go offline: stop, put back, name the blocks
for to in devdax kernel; do
	for force in "" -f; do
		create movable
		read -r first count <<<"$(region_blocks "$region")"
		echo "memory$((first + 1))-$((first + 2))" > $SIM/busy
		before=$(state)
		code=0
		# shellcheck disable=SC2046
		"$CXL" reconfigure-region "$region" $(reconf_args $to) $force \
			>"$tmp/out" 2>"$tmp/err" || code=$?
		check "busy -> $to $force: exit 1 (got $code)" '[ $code = 1 ]'
		check "busy -> $to $force: names memory$((first + 1))" \
			'grep -q "memory$((first + 1))" "$tmp/err"'
		check "busy -> $to $force: names memory$((first + 2))" \
			'grep -q "memory$((first + 2))" "$tmp/err"'
		check "busy -> $to $force: state as before" '[ "$(state)" = "$before" ]'
		check "busy -> $to $force: memory online as before" 'verify "$region" movable'
		echo clear > $SIM/busy
		destroy_ok "$region"
	done
done

# busy memory also stops disable and destroy (destroy never orphans it)
create movable
read -r first count <<<"$(region_blocks "$region")"
echo "memory$first" > $SIM/busy
before=$(state)
code=0
"$CXL" destroy-region -f "$region" 2>"$tmp/err" || code=$?
check "busy destroy: exit 1" '[ $code = 1 ]'
check "busy destroy: state as before" '[ "$(state)" = "$before" ]'
code=0
"$CXL" disable-region "$region" 2>"$tmp/err" || code=$?
check "busy disable: exit 1" '[ $code = 1 ]'
check "busy disable: state as before" '[ "$(state)" = "$before" ]'
echo clear > $SIM/busy
destroy_ok "$region"

# 3. an open char device blocks leaving devdax, unless -f
create devdax
dax=$("$CXL" list -RX -r "$region" | jq -r '.[0].daxregion.devices[0].chardev')
exec 3<"/dev/$dax"
code=0
"$CXL" reconfigure-region "$region" --mode=sysram 2>"$tmp/err" || code=$?
check "devdax in use: exit 1" '[ $code = 1 ]'
check "devdax in use: names the pid" 'grep -q "pid $$" "$tmp/err"'
check "devdax in use: unchanged" 'verify "$region" devdax'
"$CXL" reconfigure-region "$region" --mode=sysram -f >/dev/null 2>&1
check "devdax in use, -f: sysram" 'verify "$region" movable'
exec 3<&-
destroy_ok "$region"

# 4. destroy after sequences returns to the initial state
sequences=(
	"movable"
	"kernel;reconfigure --mode=devdax"
	"devdax;reconfigure --online=movable"
	"offline;reconfigure --online=online"
	"default;reconfigure --online=kernel"
	"movable;disable;enable --online=kernel"
	"devdax;disable;enable --mode=devdax"
	"movable;disable"
)
for seq in "${sequences[@]}"; do
	IFS=';' read -r -a steps <<<"$seq"
	create "${steps[0]}"
	for s in "${steps[@]:1}"; do
		# shellcheck disable=SC2086
		"$CXL" ${s%% *}-region "$region" ${s#* } >/dev/null 2>&1 ||
			"$CXL" ${s}-region "$region" >/dev/null 2>&1
	done
	destroy_ok "$region"
	check "destroy after '$seq': initial state" '[ "$(state)" = "$initial" ]'
done

# 5. cxl list: ours minus the added keys equals upstream's
create movable
strip='walk(if type == "object" and has("decode_state") then
	del(.type, .daxregion, .mode, .region_driver, .sysram, .decoder)
	else . end)'
for flags in "-R" "-RT" "-M" "-D" "-BMDPTER" "-R -u" "-R -i" "-RD"; do
	# shellcheck disable=SC2086
	ours=$("$CXL" list $flags | jq -S "$strip")
	# shellcheck disable=SC2086
	theirs=$("$CXL_UPSTREAM_BIN" list $flags | jq -S "$strip")
	check "list $flags: superset of upstream" '[ "$ours" = "$theirs" ]'
done
ours=$("$CXL" list -RX | jq -S "$strip")
theirs=$("$CXL_UPSTREAM_BIN" list -R | jq -S "$strip")
check "list -RX: superset of upstream -R" '[ "$ours" = "$theirs" ]'
check "list -R: type, mode, sysram on regions" \
	'"$CXL" list -R | jq -e ".[0] | has(\"type\") and has(\"mode\") and has(\"sysram\")" >/dev/null'
check "list -RX: daxregion" '"$CXL" list -RX | jq -e ".[0].daxregion.devices[0].chardev" >/dev/null'
destroy_ok "$region"

# 6. fault injection at every write of reconfigure and destroy
inject_all() # fn-name label setup-state command...
{
	local fn=$1 label=$2 from=$3 i nth path e msg code
	shift 3
	create "$from"
	"$@" --debug "$region" >/dev/null 2>"$tmp/dbg"
	sed -n "s/^cxl region: $fn: write \\([^ ]*\\) .*\$/\\1/p" "$tmp/dbg" |
		sed -e 's/region[0-9][0-9]*/region*/g' -e 's/dax[0-9][0-9]*\./dax*./g' \
		>"$tmp/steps"
	[ -e /sys/bus/cxl/devices/$region ] && destroy_ok "$region"
	for e in EBUSY ENXIO ENOMEM; do
		msg=$(errno_text $e)
		for ((i = 1; i <= $(wc -l <"$tmp/steps"); i++)); do
			path=$(sed -n "${i}p" "$tmp/steps")
			nth=$(head -n "$i" "$tmp/steps" | grep -cxF "$path")
			create "$from"
			before=$(state)
			echo "$path $nth $e" > $SIM/fail
			code=0
			"$@" "$region" >/dev/null 2>"$tmp/fe" || code=$?
			echo clear > $SIM/fail
			cases=$((${cases:-0} + 1))
			check "$label: $e at $path: exit 1 (got $code)" '[ $code = 1 ]'
			check "$label: $e at $path: errno named" 'grep -q "$msg" "$tmp/fe"'
			check "$label: $e at $path: state as before" '[ "$(state)" = "$before" ]'
			[ -e /sys/bus/cxl/devices/$region ] &&
				"$CXL" destroy-region -f "$region" >/dev/null 2>&1
		done
	done
}
inject_all cmd_reconfigure_region "movable->kernel" movable "$CXL" reconfigure-region --online=kernel
inject_all cmd_reconfigure_region "movable->devdax" movable "$CXL" reconfigure-region --mode=devdax
inject_all cmd_reconfigure_region "devdax->movable" devdax "$CXL" reconfigure-region --mode=sysram
inject_all cmd_destroy_region "destroy movable" movable "$CXL" destroy-region -f
inject_all cmd_destroy_region "destroy devdax" devdax "$CXL" destroy-region -f
echo "fault injection: $cases cases"
check "initial state at the end" '[ "$(state)" = "$initial" ]'

finish
