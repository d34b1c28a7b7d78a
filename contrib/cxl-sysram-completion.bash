# SPDX-License-Identifier: GPL-2.0
#
# bash completion for cxl (cxl-sysram). Installed as "cxl", it takes the
# place of the completion upstream ndctl ships for the same command.
#
# Commands come from "cxl --list-cmds", a command's long options from
# "cxl <command> --list-opts", and which of them take a value from the
# usage that "cxl <command> -h" prints, so commands the distribution's cxl
# implements complete as well as ours. Object names (memdevs, regions,
# root decoders, buses) come from "cxl list", read with jq when it is
# installed and with grep and sed otherwise.

# values of the options cxl-sysram adds
_cxl_sysram_modes="sysram devdax default"
_cxl_sysram_online="offline online kernel movable online_kernel online_movable"
_cxl_sysram_methods="auto region-driver dax-state legacy"

# _cxl_run ARGS...: run the cxl being completed, quietly
_cxl_run()
{
	"$_cxl_bin" "$@" 2>/dev/null </dev/null
}

# _cxl_json_names KEY: the string values of "KEY" in the JSON on stdin
_cxl_json_names()
{
	if command -v jq >/dev/null 2>&1; then
		jq -r ".. | objects | .\"$1\"? // empty | strings" 2>/dev/null
	else
		grep -o "\"$1\"[[:space:]]*:[[:space:]]*\"[^\"]*\"" |
			sed 's/.*"\([^"]*\)"$/\1/'
	fi
}

_cxl_memdevs()
{
	_cxl_run list -M | _cxl_json_names memdev
}

# disabled regions too: enable-region and destroy-region want them
_cxl_regions()
{
	_cxl_run list -R -i | _cxl_json_names region
}

_cxl_root_decoders()
{
	_cxl_run list -D -d root | _cxl_json_names decoder
}

_cxl_buses()
{
	_cxl_run list -B | _cxl_json_names bus
}

# _cxl_value_opts CMD: "long" for each long option that takes a value and
# "s=long" for each short option that has a long name, from the usage
_cxl_value_opts()
{
	"$_cxl_bin" "$1" -h 2>&1 </dev/null | sed -n \
		-e 's/^ *-\(.\), --\([a-zA-Z0-9-]*\)[ =[]*<.*/\2 \1=\2/p' \
		-e 's/^ *-\(.\), --\([a-zA-Z0-9-]*\)\( .*\)\{0,1\}$/\1=\2/p' \
		-e 's/^ *--\([a-zA-Z0-9-]*\)[ =[]*<.*/\1/p'
}

# _cxl_add WORDS CUR [PREFIX]: COMPREPLY gets the WORDS starting with CUR,
# each with PREFIX in front
_cxl_add()
{
	local w

	for w in $1; do
		[[ $w == "$2"* ]] && COMPREPLY+=("${3:-}$w")
	done
}

# _cxl_values CMD LONG CUR [PREFIX]: complete the value of option LONG
_cxl_values()
{
	local cmd=$1 opt=$2 cur=$3 pfx=${4:-}

	case $opt in
	mode)
		_cxl_add "$_cxl_sysram_modes" "$cur" "$pfx" ;;
	online)
		_cxl_add "$_cxl_sysram_online" "$cur" "$pfx" ;;
	method)
		_cxl_add "$_cxl_sysram_methods" "$cur" "$pfx" ;;
	type)
		_cxl_add "ram pmem" "$cur" "$pfx" ;;
	decoder)
		case $cmd in
		# upstream's classes that select regions (create: the
		# first root decoder they match), then the names
		create-region | enable-region | disable-region | destroy-region)
			_cxl_add "root all $(_cxl_root_decoders)" \
				"$cur" "$pfx" ;;
		*-region) _cxl_add "$(_cxl_root_decoders)" "$cur" "$pfx" ;;
		*) _cxl_add "root switch endpoint $(_cxl_root_decoders)" \
			"$cur" "$pfx" ;;
		esac ;;
	memdev)
		_cxl_add "$(_cxl_memdevs)" "$cur" "$pfx" ;;
	region)
		_cxl_add "$(_cxl_regions)" "$cur" "$pfx" ;;
	bus)
		_cxl_add "all $(_cxl_buses)" "$cur" "$pfx" ;;
	input | output | firmware-file)
		local f

		while IFS= read -r f; do
			COMPREPLY+=("$pfx$f")
		done < <(compgen -f -- "$cur")
		;;
	config-dir)
		local d

		while IFS= read -r d; do
			COMPREPLY+=("$pfx$d")
		done < <(compgen -d -- "$cur")
		;;
	esac
}

# _cxl_positionals CMD CUR: complete a non-option argument of CMD
_cxl_positionals()
{
	local cmd=$1 cur=$2 w i used=" "

	for ((i = 1; i < ${#COMP_WORDS[@]}; i++)); do
		((i == COMP_CWORD)) || used+="${COMP_WORDS[i]} "
	done

	case $cmd in
	create-region | *-memdev | *-labels | set-partition | reserve-dpa | \
	free-dpa | update-firmware | set-alert-config | wait-sanitize)
		# names already on the line are not offered again
		for w in $(_cxl_memdevs); do
			[[ $used == *" $w "* ]] || _cxl_add "$w" "$cur"
		done
		;;
	reconfigure-region)
		if [[ $used == *" --check-config "* ]]; then
			_cxl_add "all $(_cxl_regions)" "$cur"
		else
			_cxl_add "$(_cxl_regions)" "$cur"
		fi
		;;
	enable-region | disable-region | destroy-region)
		_cxl_add "all $(_cxl_regions)" "$cur"
		;;
	help)
		_cxl_add "$(_cxl_run --list-cmds)" "$cur"
		;;
	esac
}

_cxl()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=""
	local _cxl_bin=${COMP_WORDS[0]} cmd="" i o vopts=" "

	COMPREPLY=()
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	[[ $_cxl_bin == \~/* ]] && _cxl_bin=$HOME/${_cxl_bin#\~/}

	# the command: the first word after cxl that is not an option
	for ((i = 1; i < COMP_CWORD; i++)); do
		if [[ ${COMP_WORDS[i]} != -* ]]; then
			cmd=${COMP_WORDS[i]}
			break
		fi
	done
	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			_cxl_add "--version --help --list-cmds" "$cur"
		else
			_cxl_add "$(_cxl_run --list-cmds)" "$cur"
		fi
		return 0
	fi

	# "--opt=value": bash splits at "=" (COMP_WORDBREAKS), so the cursor
	# is on "=" or on the word after it; without that split it is one word
	if [[ $cur == "=" && $prev == --* ]]; then
		_cxl_values "$cmd" "${prev#--}" ""
		return 0
	fi
	if [[ $prev == "=" ]] && ((COMP_CWORD > 1)) &&
		[[ ${COMP_WORDS[COMP_CWORD - 2]} == --* ]]; then
		_cxl_values "$cmd" "${COMP_WORDS[COMP_CWORD - 2]#--}" "$cur"
		return 0
	fi
	if [[ $cur == --*=* ]]; then
		o=${cur%%=*}
		_cxl_values "$cmd" "${o#--}" "${cur#*=}" "$o="
		return 0
	fi

	for o in $(_cxl_value_opts "$cmd"); do
		vopts+="$o "
	done

	# "--opt value" and "-o value"
	if [[ $prev == --* && $vopts == *" ${prev#--} "* ]]; then
		_cxl_values "$cmd" "${prev#--}" "$cur"
		return 0
	fi
	if [[ $prev == -? && $vopts == *" ${prev#-}="* ]]; then
		o=${vopts#*" ${prev#-}="}
		o=${o%% *}
		if [[ $vopts == *" $o "* ]]; then
			_cxl_values "$cmd" "$o" "$cur"
			return 0
		fi
	fi

	if [[ $cur == -* ]]; then
		for o in $(_cxl_run "$cmd" --list-opts); do
			[[ $o == "$cur"* ]] || continue
			if [[ $vopts == *" ${o#--} "* ]]; then
				COMPREPLY+=("$o=")
			else
				COMPREPLY+=("$o")
			fi
		done
		# "--mode=" wants its value next, not a space
		if ((${#COMPREPLY[@]} == 1)) && [[ ${COMPREPLY[0]} == *= ]]; then
			compopt -o nospace 2>/dev/null
		fi
		return 0
	fi

	_cxl_positionals "$cmd" "$cur"
	return 0
}

complete -F _cxl cxl
