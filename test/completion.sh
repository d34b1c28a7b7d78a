#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bash completion (contrib/cxl-sysram-completion.bash), driven the way bash
# drives it: COMP_WORDS/COMP_CWORD set, _cxl called, COMPREPLY checked.
# First against a stub cxl that answers from fixtures (with and without
# jq), then against the built cxl ($CXL) for commands and options.
set -u
here=$(cd "$(dirname "$0")" && pwd)
script=$here/../contrib/cxl-sysram-completion.bash
[ -r "$script" ] || { echo "FAIL: $script not found"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass=0

# shellcheck source=../contrib/cxl-sysram-completion.bash
source "$script"

if complete -p cxl 2>/dev/null | grep -q -- '-F _cxl cxl$'; then
	pass=$((pass + 1))
else
	echo "FAIL: the script does not register _cxl for cxl"
	fail=$((fail + 1))
fi

# comp WORD...: complete the last word; the replies, sorted, one a line
comp()
{
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_cxl
	printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort
}

# expect NAME "WANT" WORD...: the replies are exactly WANT (space-separated)
expect()
{
	local name=$1 want got
	want=$(tr ' ' '\n' <<<"$2" | sed '/^$/d' | sort)
	shift 2
	got=$(comp "$@")
	if [ "$got" = "$want" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: $name: '$*' gave [${got//$'\n'/ }], want [${want//$'\n'/ }]"
		fail=$((fail + 1))
	fi
}

# has NAME "WORDS" WORD...: the replies include each of WORDS
has()
{
	local name=$1 w got
	local want=$2
	shift 2
	got=" $(comp "$@" | tr '\n' ' ') "
	for w in $want; do
		if [[ $got == *" $w "* ]]; then
			pass=$((pass + 1))
		else
			echo "FAIL: $name: '$*' lacks '$w' (got [$got])"
			fail=$((fail + 1))
		fi
	done
}

# ---- the stub: answers like cxl would, from fixtures ----
stub=$tmp/bin/cxl
mkdir -p "$tmp/bin"
cat >"$stub" <<'STUB'
#!/bin/bash
# a fake cxl for the completion test
usage_create='
 usage: cxl create-region <target0> ... [<options>]

    -b, --bus <bus name>  limit to the CXL bus
    -d, --decoder <root decoder>
                          root decoder to create the region under
        --debug           turn on debug output
    -s, --size <size>     region size
    -t, --type <type>     region type: ram or pmem
    -m, --memdevs         non-option arguments are memdevs
        --mode <mode>     sysram, devdax or default
        --online <type>   offline, online, kernel or movable
        --method <method>
                          auto, region-driver, dax-state or legacy
    -n, --dry-run         print the plan, change nothing
'
usage_xable='
 usage: cxl enable-region <region> [<region>...] [<options>]

    -b, --bus <bus name>  limit to regions on this CXL bus
    -d, --decoder <root decoder>
                          limit to regions under this root decoder
        --debug           turn on debug output
    -f, --force           go ahead anyway
        --mode <mode>     sysram, devdax or default
        --online <type>   offline, online, kernel or movable
'
usage_reconf='
 usage: cxl reconfigure-region <region> [<options>]

        --mode <mode>     sysram, devdax or default
        --online <type>   offline, online, kernel or movable
        --method <method>
                          auto, region-driver, dax-state or legacy
    -f, --force           go on even if the dax device is open
'
usage_list='
 usage: cxl list [<options>]

    -m, --memdev <memory device name(s)>
                          filter by CXL memory device name(s)
    -M, --memdevs         include CXL memory device info
    -r, --region <region name>
                          filter by CXL region name(s)
    -R, --regions         include CXL regions
'
case "$1 $2" in
"--list-cmds "*)
	printf '%s\n' version list help enable-memdev create-region \
		enable-region disable-region destroy-region reconfigure-region
	exit 0 ;;
"create-region --list-opts")
	echo "--bus --decoder --debug --size --type --memdevs --mode --online --method --dry-run"
	exit 130 ;;
"create-region -h")
	echo "$usage_create" >&2; exit 129 ;;
"reconfigure-region --list-opts")
	echo "--mode --online --method --force"; exit 130 ;;
"reconfigure-region -h")
	echo "$usage_reconf" >&2; exit 129 ;;
"enable-region --list-opts"|"disable-region --list-opts"|"destroy-region --list-opts")
	echo "--bus --decoder --debug --force --mode --online"; exit 130 ;;
"enable-region -h"|"disable-region -h"|"destroy-region -h")
	echo "$usage_xable" >&2; exit 129 ;;
"list --list-opts")
	echo "--memdev --memdevs --region --regions"; exit 130 ;;
"list -h")
	echo "$usage_list" >&2; exit 129 ;;
"list -M")
	cat <<'JSON'
[
  {
    "memdev":"mem0",
    "ram_size":4294967296,
    "serial":0,
    "host":"0000:0d:00.0"
  },
  {
    "memdev":"mem1",
    "ram_size":4294967296,
    "serial":1,
    "host":"0000:0e:00.0"
  },
  {
    "memdev":"mem12",
    "ram_size":4294967296,
    "serial":12,
    "host":"0000:0f:00.0"
  }
]
JSON
	exit 0 ;;
"list -R")
	case "$3" in
	-i) ;;
	*) echo "stub: completion must list idle regions too" >&2; exit 1 ;;
	esac
	# one line, as a non-pretty printer would: the sed path must cope
	echo '[{"region":"region0","size":8589934592,"type":"ram","mode":"sysram","sysram":{"online_type":"online_movable"},"decoder":"decoder0.0"},{"region":"region1","size":4294967296,"type":"ram","state":"disabled","mode":"none","decoder":"decoder0.1"}]'
	cat <<'JSON'
[
  {
    "region":"region7",
    "size":268435456,
    "decode_state":"commit",
    "mappings":[
      {
        "position":0,
        "memdev":"mem0",
        "decoder":"decoder2.0"
      }
    ],
    "decoder":"decoder0.0"
  }
]
JSON
	exit 0 ;;
"list -D")
	[ "$3 $4" = "-d root" ] || { echo "stub: want -D -d root" >&2; exit 1; }
	cat <<'JSON'
[
  {
    "decoder":"decoder0.0",
    "size":68719476736,
    "interleave_ways":2,
    "volatile_capable":true
  },
  {
    "decoder":"decoder0.1",
    "size":34359738368,
    "interleave_ways":1,
    "volatile_capable":true
  }
]
JSON
	exit 0 ;;
"list -B")
	echo '[{"bus":"root0","provider":"ACPI.CXL"}]'; exit 0 ;;
*)
	echo "stub: unexpected: $*" >&2; exit 1 ;;
esac
STUB
chmod +x "$stub"

fixture_tests()
{
	local c=$stub sfx=$1

	has "commands$sfx" "create-region reconfigure-region list" "$c" ""
	expect "command prefix$sfx" "reconfigure-region" "$c" "reco"
	expect "global options$sfx" "--version" "$c" "--vers"

	expect "option gets =$sfx" "--mode=" "$c" create-region --mo
	expect "flag gets no =$sfx" "--dry-run --debug --decoder=" \
		"$c" create-region --d
	expect "all options$sfx" "--bus= --decoder= --debug --size= --type= --memdevs --mode= --online= --method= --dry-run" \
		"$c" create-region -
	expect "--mode= (split)$sfx" "sysram devdax default" \
		"$c" create-region --mode =
	expect "--mode=d (split)$sfx" "devdax default" \
		"$c" create-region --mode = d
	expect "--mode= (one word)$sfx" "--mode=sysram --mode=devdax --mode=default" \
		"$c" create-region --mode=
	expect "--online= (split)$sfx" "offline online kernel movable online_kernel online_movable" \
		"$c" create-region --online =
	expect "--online=online_ (one word)$sfx" "--online=online_kernel --online=online_movable" \
		"$c" create-region --online=online_
	expect "--method=$sfx" "auto region-driver dax-state legacy" \
		"$c" create-region --method =
	expect "--type$sfx" "ram pmem" "$c" create-region -t ""
	expect "reconfigure --online$sfx" "offline online kernel movable online_kernel online_movable" \
		"$c" reconfigure-region region0 --online ""
	expect "enable --mode$sfx" "sysram devdax default" \
		"$c" enable-region --mode ""

	expect "memdevs after -m$sfx" "mem0 mem1 mem12" "$c" create-region -m ""
	expect "memdevs prefix$sfx" "mem1 mem12" "$c" create-region -m mem1
	expect "memdevs not repeated$sfx" "mem1 mem12" \
		"$c" create-region -m mem0 ""
	expect "root decoders -d$sfx" "all decoder0.0 decoder0.1 root" \
		"$c" create-region -d ""
	expect "root decoders --decoder=$sfx" "decoder0.1" \
		"$c" create-region --decoder = decoder0.1
	expect "decoder classes and names, destroy -d$sfx" \
		"root all decoder0.0 decoder0.1" "$c" destroy-region -d ""
	expect "decoder classes, disable --decoder=$sfx" "root" \
		"$c" disable-region --decoder = ro
	expect "region names, enable$sfx" "all region0 region1 region7" \
		"$c" enable-region ""
	expect "region names, destroy$sfx" "region0 region1 region7" \
		"$c" destroy-region -f reg
	expect "region names, disable -d$sfx" "all region0 region1 region7" \
		"$c" disable-region -d decoder0.0 ""
	expect "region names, reconfigure$sfx" "region0 region1 region7" \
		"$c" reconfigure-region ""
	expect "reconfigure --mode after region$sfx" "sysram devdax default" \
		"$c" reconfigure-region region1 --mode =
	expect "upstream list --region=$sfx" "region0 region1 region7" \
		"$c" list --region = ""
	expect "upstream list -m$sfx" "mem0 mem1 mem12" "$c" list -m ""
	expect "no values for --size$sfx" "" "$c" create-region --size ""
}

fixture_tests ""

# again without jq: the grep/sed fallback
mkdir -p "$tmp/nojq"
for t in grep sed cat sort tr; do
	p=$(command -v "$t") && ln -s "$p" "$tmp/nojq/$t"
done
(
	# shellcheck disable=SC2123 # on purpose: a PATH without jq
	PATH=$tmp/nojq
	if command -v jq >/dev/null; then
		echo "FAIL: jq still on PATH"
		exit 1
	fi
	fixture_tests " (no jq)"
	echo "$pass $fail" >"$tmp/nojq.count"
)
read -r p f <"$tmp/nojq.count" || { p=0; f=1; }
pass=$p
fail=$f

# ---- the built cxl: its command list and option tables ----
if [ -n "${CXL:-}" ] && [ -x "$CXL" ]; then
	has "real: commands" "create-region reconfigure-region enable-region disable-region destroy-region" \
		"$CXL" ""
	expect "real: --mo" "--mode=" "$CXL" create-region --mo
	expect "real: --mode=" "sysram devdax default" \
		"$CXL" create-region --mode =
	expect "real: --online=" "offline online kernel movable online_kernel online_movable" \
		"$CXL" create-region --online =
	expect "real: reconfigure --online" "offline online kernel movable online_kernel online_movable" \
		"$CXL" reconfigure-region --online ""
	expect "real: --me" "--method=" "$CXL" enable-region --me
	expect "real: -f is a flag" "--force" "$CXL" disable-region --fo
	expect "real: destroy -n" "--dry-run" "$CXL" destroy-region --dr
	for cmd in ${CXL_BUILTINS:-create-region reconfigure-region enable-region disable-region destroy-region}; do
		# every long option is offered, with "=" exactly when the usage
		# shows it takes a value
		opts=$("$CXL" "$cmd" --list-opts 2>/dev/null)
		usage=$("$CXL" "$cmd" -h 2>&1)
		want=""
		for o in $opts; do
			if grep -Eq -- "(^|[ ,])$o <" <<<"$usage"; then
				want+="$o= "
			else
				want+="$o "
			fi
		done
		expect "real: $cmd options" "$want" "$CXL" "$cmd" -
	done
else
	echo "SKIP: \$CXL not set: the built cxl was not tried"
fi

echo "completion: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
