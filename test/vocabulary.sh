#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# One vocabulary: every value the command line accepts for --mode,
# --online, --method, -d and a region is accepted by the policy files for
# mode, online, method and match.decoder (and by --check-config for a
# region), and every value one refuses the other refuses too. Each
# "(valid: ...)" list the command line prints names exactly the values
# accepted. Run against the built cxl; no CXL hardware or simulator: a
# value is refused when the command exits 129 (usage), accepted when it
# gets past the usage checks, and a policy file is checked with
# "--check-config --dry-run" and no region.
set -u
CXL=${CXL:?CXL must point at the built cxl}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
conf=$tmp/conf.d
mkdir -m 0755 "$conf"
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# cli ARGS...: "yes" when the command line accepts them, else "no"
cli()
{
	"$CXL" "$@" >/dev/null 2>"$tmp/cli.err"
	[ $? = 129 ] && echo no || echo yes
}

# policy KEY VALUE [LINE...]: "yes" when a rule with it parses, "no" when
# the parser refuses it
policy()
{
	local key=$1 value=$2

	shift 2
	{
		echo "[region t]"
		echo "match.serial = 1"
		printf '%s\n' "$@"
		echo "$key = $value"
	} >"$conf/t.conf"
	chmod 0644 "$conf/t.conf"
	if "$CXL" reconfigure-region --check-config -n --config-dir="$conf" \
		>/dev/null 2>"$tmp/policy.err"; then
		echo yes
	else
		# refused by the parser, not for some other reason
		if grep -q "t.conf:[0-9]*: " "$tmp/policy.err"; then
			echo no
		else
			echo "broken ($(head -n1 "$tmp/policy.err"))"
		fi
	fi
}

# the valid list of the command line's last error, one value a line
valid_list()
{
	sed -n 's/.*(valid: \([^)]*\)).*/\1/p' "$tmp/cli.err" | tr -d ' ' |
		tr ',' '\n' | sort
}

# same NAME CLI POLICY [WHAT-CLI WHAT-POLICY]: both accept or both refuse
same()
{
	if [ "$2" = "$3" ]; then
		ok
	else
		bad "$1: ${4:-command line} $2, ${5:-policy file} $3"
	fi
}

# table OPTION KEY "CLI-ARGS-BEFORE" "POLICY-LINES" VALUE...
table()
{
	local opt=$1 key=$2 pre=$3 lines=$4 v c p accepted=()

	shift 4
	for v in "$@"; do
		# shellcheck disable=SC2086
		c=$(cli reconfigure-region region2147483647 -n $pre "--$opt=$v")
		# shellcheck disable=SC2086
		p=$(policy "$key" "$v" $lines)
		same "--$opt=$v / $key = $v" "$c" "$p"
		[ "$c" = yes ] && accepted+=("$v")
	done
	# the list printed for a bad value: exactly the accepted ones
	# shellcheck disable=SC2086
	cli reconfigure-region region2147483647 -n $pre "--$opt=bogus" >/dev/null
	if [ "$(valid_list)" = "$(printf '%s\n' "${accepted[@]}" | sort)" ]; then
		ok
	else
		bad "--$opt: valid list '$(valid_list | tr '\n' ' ')' is not the accepted '${accepted[*]}'"
	fi
}

# (blanks around a value and comments are the file's syntax: none here)
near_misses=("" " " "Movable" "MOVABLE" "online-movable" "zone_movable"
	"online_normal" "normal" "on" "1" "none" "invalid" "sysRAM" "dev-dax"
	"system-ram" "region_driver" "dax_state" "regiondriver" "Auto"
	"legacy," "default," "x" "-1" "a b")

table online online "" "" offline online kernel movable online_kernel \
	online_movable "${near_misses[@]}"
table mode mode "" "" sysram devdax default "${near_misses[@]}"
table method method "--mode=sysram" "mode=sysram" auto region-driver \
	dax-state legacy "${near_misses[@]}"

# -d of create-region and match.decoder
for v in decoder0.0 0.0 decoder12.3 12.3 decoder2147483647.0 decoder0 0 \
	decoder00.0 00.0 0.01 decoder-1.0 -1.0 "decoder 0.0" 0x0.0 0.0x \
	decoder2147483648.0 ../decoder0.0 decoder0.0/ "" Decoder0.0; do
	c=$(cli create-region -n -d "$v" -m mem2147483647)
	p=$(policy match.decoder "$v" "mode = devdax")
	same "-d '$v' / match.decoder = '$v'" "$c" "$p"
done

# a region: reconfigure-region and --check-config take what
# enable/disable/destroy-region take (N or regionN), "all" only with
# --check-config
for v in 0 7 region0 region2147483647 2147483647 01 region01 x0 region \
	region-1 -1 0x1 2147483648 ../region0 "region0 " "" 0.0; do
	c=$(cli reconfigure-region "$v" --online=movable -n)
	p=$(cli reconfigure-region --check-config "$v" -n --config-dir="$conf")
	x=$(cli disable-region "$v")
	same "region '$v'" "$c" "$p" reconfigure-region --check-config
	same "region '$v'" "$c" "$x" reconfigure-region disable-region
done

echo "$pass passed, $fail failed"
[ $fail = 0 ]
