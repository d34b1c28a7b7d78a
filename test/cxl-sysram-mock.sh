# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The part of test/cxl-sysram.sh that needs the topology of the kernel's
# cxl_test mock (tools/testing/cxl), or the simulator's model of it:
# sourced by it, run with mock_steps TYPE... where TYPE is an online type
# (movable, offline, online, kernel) or devdax; only "offline devdax" when
# the mock's windows have no memory behind them. Uses the script's $bus,
# $CXL, $CXL_UPSTREAM_BIN, created[] and check_blocks.
#   - the firmware-assembled (auto) regions found at start ($auto_regions):
#     reconfigured through the types, then destroyed;
#   - every RAM window with every type and every interleave width (1, 2,
#     4, 8, 16 ways of 256 MiB each) a dry run accepts there, the widths
#     in turn: created, checked against /sys (blocks, the kernel's
#     targetN = the JSON's mappings), destroyed, the endpoint decoders'
#     capacity given back;
#   - memdevs named in the wrong order: put at the kernel's positions;
#   - steps the kernel itself refuses: a target decoder taken by another
#     region while the create runs (rolled back), and the destroy of a
#     region below a newer one on the same memdev (refused up front: the
#     kernel would decommit it out of order, then refuse to free it);
#   - our cxl list -BMDPTER is a superset of upstream's.

MB256=$((256 << 20))
DEV=/sys/bus/cxl/devices

# args of create-region/reconfigure-region for a type
type_args() { # type
	case $1 in
	devdax) echo --mode=devdax ;;
	*) echo "--mode=sysram --online=$1" ;;
	esac
}

# the memory blocks of region $1 are as type $2 makes them
check_type() { # region, type
	case $2 in
	movable) check_blocks "$1" online Movable ;;
	kernel) check_blocks "$1" online Normal ;;
	online) check_blocks "$1" online any ;;
	offline) check_blocks "$1" offline ;;
	devdax) check_blocks "$1" absent ;;
	esac
}

# fields of a create/reconfigure JSON, tab-separated, in one jq run
# (every process costs ~1 s under emulation): region decoder ways mode
# online_type chardev targets ("decoderA,decoderB,..." by position)
json_fields() {
	jq -r '[.region, .decoder, .interleave_ways, .mode,
		(.sysram.online_type // "-"),
		(.daxregion.devices[0].chardev // "-"),
		([.mappings | sort_by(.position)[] | .decoder] | join(","))] |
		@tsv'
}

# the kernel's targets of a region, "decoderA,decoderB,..."
kernel_targets() { # region
	local i t=() w
	w=$(cat $DEV/$1/interleave_ways)
	for ((i = 0; i < w; i++)); do
		t+=("$(cat $DEV/$1/target$i)")
	done
	local IFS=,
	echo "${t[*]}"
}

# every endpoint decoder named has no capacity left
check_released() { # decoderA,decoderB,...
	local d
	for d in ${1//,/ }; do
		[ $(($(cat $DEV/$d/dpa_size))) = 0 ] ||
			{ echo "$d still has DPA"; return 1; }
	done
}

# destroy a region of type $2; memory onlined into a kernel zone may be
# held by the kernel (a busy offline): then exit 1 with the blocks named
# and the region left intact is the right answer, and it stays
destroy_typed() { # region, type, targets
	local out
	if out=$("$CXL" destroy-region -f "$1" 2>&1); then
		[ ! -e $DEV/"$1" ]
		check_released "$3"
		return 0
	fi
	echo "$out"
	case $2 in
	online | kernel) ;;
	*) return 1 ;;
	esac
	grep -q "(memory[0-9][0-9 memory]*), held by unmovable kernel allocations (ZONE_NORMAL), stay" <<<"$out"
	[ -e $DEV/"$1" ]
	check_blocks "$1" online any
	echo "cxl-sysram: $1: kernel-zone memory held by the kernel, left in place"
	held+=("$1")
}

# 1. the auto-assembled regions: through every type, then destroyed
mock_auto() { # types...
	local r t out f
	if [ -z "$auto_regions" ]; then
		echo "cxl-sysram: no firmware-assembled region to reconfigure"
		return 0
	fi
	for r in $auto_regions; do
		for t in "$@"; do
			case $t in online | kernel) continue ;; esac
			# shellcheck disable=SC2046
			out=$("$CXL" reconfigure-region "$r" $(type_args "$t"))
			IFS=$'\t' read -r -a f <<<"$(json_fields <<<"$out")"
			[ "${f[0]}" = "$r" ]
			check_type "$r" "$t"
			[ "${f[6]}" = "$(kernel_targets "$r")" ]
		done
		f6=$(kernel_targets "$r")
		"$CXL" destroy-region -f "$r"
		[ ! -e $DEV/"$r" ]
		check_released "$f6"
	done
}

# 2. every RAM window: every type, and every interleave width a dry run
#    accepts there (1, 2, 4, 8, 16 ways of 256 MiB each): the types in
#    order, the widths in turn, so each of both appears on each window
mock_matrix() { # types...
	local d w t out f n=0 k ws widths=()
	for d in $("$CXL" list -b "$bus" -D -d root |
		   jq -r '.[] | select(.volatile_capable == true) | .decoder'); do
		ws=()
		for w in 1 2 4 8 16; do
			"$CXL" create-region -n -d "$d" -w $w -s $((w * MB256)) \
				>/dev/null 2>&1 && ws+=("$w")
		done
		[ ${#ws[@]} -gt 0 ] || continue
		k=0
		for t in "$@"; do
			w=${ws[$((k % ${#ws[@]}))]}
			k=$((k + 1))
			# shellcheck disable=SC2046
			out=$("$CXL" create-region -d "$d" -w $w \
				-s $((w * MB256)) $(type_args "$t"))
			IFS=$'\t' read -r -a f <<<"$(json_fields <<<"$out")"
			created+=("${f[0]}")
			[ "${f[1]} ${f[2]}" = "$d $w" ]
			case $t in
			devdax)
				[ "${f[3]}" = devdax ]
				[ "$(basename "$(readlink /sys/bus/dax/devices/${f[5]}/driver)")" = device_dax ]
				;;
			online)
				# the zone the kernel picked
				[[ "${f[3]} ${f[4]}" =~ ^sysram\ online(_kernel|_movable)?$ ]]
				;;
			*)
				[ "${f[3]} ${f[4]}" = "sysram $(ot_name "$t")" ]
				;;
			esac
			check_type "${f[0]}" "$t"
			[ "${f[6]}" = "$(kernel_targets "${f[0]}")" ]
			destroy_typed "${f[0]}" "$t" "${f[6]}"
			n=$((n + 1))
		done
		# every width, also when there are more widths than types
		for ((; k < ${#ws[@]}; k++)); do
			w=${ws[$k]}
			# shellcheck disable=SC2046
			out=$("$CXL" create-region -d "$d" -w $w \
				-s $((w * MB256)) $(type_args "$1"))
			IFS=$'\t' read -r -a f <<<"$(json_fields <<<"$out")"
			created+=("${f[0]}")
			check_type "${f[0]}" "$1"
			[ "${f[6]}" = "$(kernel_targets "${f[0]}")" ]
			destroy_typed "${f[0]}" "$1" "${f[6]}"
			n=$((n + 1))
		done
		for w in "${ws[@]}"; do
			widths+=("$d:x$w")
		done
	done
	echo "cxl-sysram: $n regions over ${widths[*]}"
	[ ${#widths[@]} -gt 0 ]
	mock_widths=("${widths[@]}")
}

ot_name() { # type -> online_type
	case $1 in
	movable) echo online_movable ;;
	kernel) echo online_kernel ;;
	*) echo "$1" ;;
	esac
}

# 3. memdevs named in the wrong order, on the widest interleave
mock_wrong_order() { # type
	local dw d w plan want rev out f
	dw=$(printf '%s\n' "${mock_widths[@]}" | sort -t x -k2 -n | tail -n1)
	d=${dw%%:*}
	w=${dw##*x}
	[ "$w" -ge 2 ] || { echo "cxl-sysram: no interleave to misorder"; return 0; }
	plan=$("$CXL" create-region -n -d "$d" -w "$w" -s $((w * MB256)))
	read -r want rev <<<"$(jq -r '[.mappings | sort_by(.position)] |
		"\([.[][] | .decoder] | join(",")) \([.[][] | .memdev] | reverse | join(","))"' <<<"$plan")"
	# shellcheck disable=SC2046
	out=$("$CXL" create-region -d "$d" -s $((w * MB256)) $(type_args "$1") \
		-m "$rev")
	IFS=$'\t' read -r -a f <<<"$(json_fields <<<"$out")"
	created+=("${f[0]}")
	[ "${f[6]}" = "$want" ]
	[ "$(kernel_targets "${f[0]}")" = "$want" ]
	check_type "${f[0]}" "$1"
	destroy_typed "${f[0]}" "$1" "${f[6]}"
}

# is process $1 stopped by its tracer (held at an injected delay)?
traced_stop() { grep -q '^State:.*tracing stop' "/proc/$1/status" 2>/dev/null; }

# 4a. a target decoder another region takes while the create runs: the
#     kernel refuses (EBUSY), the create undoes its steps
mock_rollback_target() { # type
	local dw d w plan r pos0 steal rr gran code=0 spid cpid held_n i
	dw=$(printf '%s\n' "${mock_widths[@]}" | grep -E 'x2$' | head -n1)
	[ -n "$dw" ] || { echo "cxl-sysram: no 2-way interleave for the rollback"; return 0; }
	d=${dw%%:*}
	w=2
	plan=$("$CXL" create-region -n -d "$d" -w $w -s $((w * MB256)))
	read -r r pos0 steal <<<"$(jq -r '[.region, (.mappings | sort_by(.position) |
		.[0].decoder, .[1].decoder)] | join(" ")' <<<"$plan")"
	# hold the create when it opens the region's size (its first write
	# after create_ram_region, granularity and ways)
	# shellcheck disable=SC2046
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -qq -o /dev/null -P $DEV/"$r"/size -e trace=openat \
		-e inject=openat:delay_exit=4000000:when=1 \
		"$CXL" create-region -d "$d" -w $w -s $((w * MB256)) \
		$(type_args "$1") >/tmp/cxl-sysram.out 2>/tmp/cxl-sysram.err &
	spid=$!
	cpid=
	held_n=0
	for ((i = 0; i < 600 && held_n < 5; i++)); do
		[ -n "$cpid" ] || cpid=$(pgrep -P $spid || true)
		if [ -n "$cpid" ] && traced_stop "$cpid" && [ -e $DEV/"$r" ]; then
			held_n=$((held_n + 1))
		else
			held_n=0
		fi
		sleep 0.05
	done
	[ $held_n -ge 5 ] || { echo "the create never stopped at $r/size"; return 1; }
	# meanwhile another region takes the decoder planned for position 1
	rr=$(cat $DEV/"$d"/create_ram_region)
	echo "$rr" >$DEV/"$d"/create_ram_region
	gran=$(cat $DEV/"$d"/interleave_granularity)
	echo "$gran" >$DEV/"$rr"/interleave_granularity
	echo $w >$DEV/"$rr"/interleave_ways
	echo $((w * MB256)) >$DEV/"$rr"/size
	[ "$(cat $DEV/"$steal"/mode)" = ram ] || echo ram >$DEV/"$steal"/mode
	echo $MB256 >$DEV/"$steal"/dpa_size
	echo "$steal" >$DEV/"$rr"/target1
	wait $spid || code=$?
	cat /tmp/cxl-sysram.err
	[ $code = 1 ]
	grep -q "Device or resource busy" /tmp/cxl-sysram.err
	# everything the create did is undone; the other region is untouched
	[ ! -e $DEV/"$r" ]
	check_released "$pos0"
	[ "$(cat $DEV/"$rr"/target1)" = "$steal" ]
	echo "" >$DEV/"$rr"/target1
	echo 0 >$DEV/"$steal"/dpa_size
	echo "$rr" >$DEV/"$d"/delete_region
	[ ! -e $DEV/"$rr" ]
}

# 4b. a region below a newer one on the same memdev: the kernel (6.12)
#     decommits and detaches it, then refuses to free its capacity (DPA is
#     given back only from the top) and the detach cannot be undone; the
#     destroy must refuse before writing anything and name the decoder in
#     the way; destroying that region first must work
mock_rollback_decommit() { # type
	local dw d plan m a b fa fb out before
	dw=$(printf '%s\n' "${mock_widths[@]}" | grep -E 'x1$' | head -n1)
	[ -n "$dw" ] || { echo "cxl-sysram: no 1-way window for the decommit"; return 0; }
	d=${dw%%:*}
	plan=$("$CXL" create-region -n -d "$d" -w 1 -s $MB256)
	m=$(jq -r '.mappings[0].memdev' <<<"$plan")
	# shellcheck disable=SC2046
	a=$("$CXL" create-region -d "$d" -m "$m" -s $MB256 $(type_args "$1"))
	IFS=$'\t' read -r -a fa <<<"$(json_fields <<<"$a")"
	created+=("${fa[0]}")
	# shellcheck disable=SC2046
	b=$("$CXL" create-region -d "$d" -m "$m" -s $MB256 $(type_args "$1"))
	IFS=$'\t' read -r -a fb <<<"$(json_fields <<<"$b")"
	created+=("${fb[0]}")
	before=$("$CXL" list -R -r "${fa[0]}")
	if out=$("$CXL" destroy-region -f "${fa[0]}" 2>&1); then
		echo "$out"
		echo "destroy of ${fa[0]} below ${fb[0]} succeeded"
		return 1
	fi
	echo "$out"
	grep -q "destroy blocked, mem[0-9]* still has later active decoder decoder" <<<"$out"
	[ "$("$CXL" list -R -r "${fa[0]}")" = "$before" ]
	check_type "${fa[0]}" "$1"
	"$CXL" destroy-region -f "${fb[0]}" "${fa[0]}"
	[ ! -e $DEV/"${fa[0]}" ] && [ ! -e $DEV/"${fb[0]}" ]
	check_released "${fa[6]},${fb[6]}"
}

# 5. our listing keeps every key and value of upstream's, with a region
mock_list_superset() { # type
	local dw d w out f ours theirs
	dw=${mock_widths[0]}
	d=${dw%%:*}
	w=${dw##*x}
	# shellcheck disable=SC2046
	out=$("$CXL" create-region -d "$d" -w "$w" -s $((w * MB256)) $(type_args "$1"))
	IFS=$'\t' read -r -a f <<<"$(json_fields <<<"$out")"
	created+=("${f[0]}")
	ours=$("$CXL" list -BMDPTER)
	theirs=$("$CXL_UPSTREAM_BIN" list -BMDPTER)
	[ "$(jq -n --argjson a "$theirs" --argjson b "$ours" \
		"$JQ_SUPERSET sup(\$a; \$b)")" = true ]
	destroy_typed "${f[0]}" "$1" "${f[6]}"
}

mock_steps() { # types...
	local held=()
	mock_auto "$@"
	mock_matrix "$@"
	mock_wrong_order "${1}"
	mock_rollback_target offline
	mock_rollback_decommit "${1}"
	mock_list_superset "${1}"
	if [ ${#held[@]} -gt 0 ]; then
		echo "cxl-sysram: left in place (kernel-zone memory): ${held[*]}"
	fi
}

# the end of a run under the loaded mock: the kernel log is clean and the
# module goes away
finish_cxl_test() {
	[ -n "${CXL_TEST_MODULE:-}" ] || return 0
	check_dmesg
	modprobe -r cxl_test
	[ ! -e $DEV/"$bus" ]
	check_dmesg
}
