#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The man pages: every built-in command ($CXL_BUILTINS) has a page, every
# long option its --list-opts prints is documented in the page's OPTIONS
# (with "=" exactly when it takes a value, and its short letter), the
# pages have the usual sections and SPDX headers, meson builds them all,
# and, when asciidoctor is installed, each page renders without a warning.
set -u
CXL=${CXL:?CXL must point at the built cxl}
BUILTINS=${CXL_BUILTINS:-create-region reconfigure-region enable-region disable-region destroy-region}
here=$(cd "$(dirname "$0")" && pwd)
doc=$here/../Documentation/cxl
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass=0

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# resolve NAME: the page with its include:: fragments expanded, recursively
resolve()
{
	local f=$1 depth=${2:-0} line inc

	((depth > 8)) && { echo "include loop in $f" >&2; return; }
	while IFS= read -r line || [ -n "$line" ]; do
		if [[ $line =~ ^include::([^[]+)\[\]$ ]]; then
			inc=$(dirname "$f")/${BASH_REMATCH[1]}
			if [ -r "$inc" ]; then
				resolve "$inc" $((depth + 1))
			else
				echo "MISSING-INCLUDE ${BASH_REMATCH[1]}"
			fi
		else
			printf '%s\n' "$line"
		fi
	done <"$f"
}

# every source carries the SPDX line first
for f in "$doc"/*.txt "$doc"/meson.build; do
	first=$(head -n1 "$f")
	case $f in
	*.txt) want="// SPDX-License-Identifier: GPL-2.0" ;;
	*) want="# SPDX-License-Identifier: GPL-2.0" ;;
	esac
	[ "$first" = "$want" ] && ok || bad "$(basename "$f"): first line is not '$want'"
done

# the pages: those with a "= name(section)" title
pages=()
for f in "$doc"/*.txt; do
	grep -Eq '^= [a-z0-9-]+\([0-9]\)$' "$f" && pages+=("$f")
done

for f in "${pages[@]}"; do
	name=$(basename "$f" .txt)
	resolve "$f" >"$tmp/$name.full"
	if grep -q '^MISSING-INCLUDE' "$tmp/$name.full"; then
		bad "$name: $(grep '^MISSING-INCLUDE' "$tmp/$name.full" | head -n1)"
	fi
	grep -Eq "^= $name\\([0-9]\\)$" "$f" && ok || bad "$name: the title is not '$name(N)'"
	for s in NAME DESCRIPTION "SEE ALSO"; do
		grep -qx "== $s" "$f" && ok || bad "$name: no $s section"
	done
	grep -Eq "^$name - [a-z]" "$tmp/$name.full" && ok ||
		bad "$name: NAME is not '$name - <what it does>'"
	# listed in meson.build, with its fragments
	grep -q "\\['$name', '[0-9]'\\]" "$doc/meson.build" && ok ||
		bad "$name: not in cxl_manpages of Documentation/cxl/meson.build"
	for inc in $(sed -n 's/^include::\([^[]*\)\[\]$/\1/p' "$f"); do
		grep -q "'$inc'" "$doc/meson.build" && ok ||
			bad "$name: fragment $inc is not in man_fragments of meson.build"
	done
done

# each built-in command: a page that documents all its options
for cmd in $BUILTINS; do
	if [ "$cmd" = list ]; then
		# upstream's cxl-list(1) stays; the additions are in cxl-sysram(7)
		grep -qx '== CXL LIST' "$doc/cxl-sysram.txt" && ok ||
			bad "cxl-sysram: no CXL LIST section for the list additions"
		continue
	fi
	page=$doc/cxl-$cmd.txt
	if [ ! -r "$page" ]; then
		bad "$cmd: no man page source ($page)"
		continue
	fi
	ok
	full=$tmp/cxl-$cmd.full
	for s in SYNOPSIS OPTIONS EXAMPLES "EXIT STATUS"; do
		grep -qx "== $s" "$page" && ok || bad "cxl-$cmd: no $s section"
	done
	opts=$("$CXL" "$cmd" --list-opts 2>/dev/null)
	rc=$?
	[ "$rc" = 130 ] && ok || bad "$cmd --list-opts exited $rc, not 130"
	[ -n "$opts" ] || { bad "$cmd --list-opts printed nothing"; continue; }
	"$CXL" "$cmd" -h >"$tmp/usage" 2>&1
	# the OPTIONS section only, fragments included
	sed -n '/^== OPTIONS$/,/^== /p' "$full" >"$tmp/options"
	for o in $opts; do
		long=${o#--}
		if grep -Eq -- "(^|[ ,])--$long <" "$tmp/usage"; then
			term="--$long=::"
		else
			term="--$long::"
		fi
		if grep -qxF -- "$term" "$tmp/options"; then
			ok
		elif grep -qE -- "^--$long=?::$" "$tmp/options"; then
			bad "cxl-$cmd: $o is documented, but not as '$term'"
		else
			bad "cxl-$cmd: $o is not documented under OPTIONS"
		fi
		short=$(sed -n "s/^ *-\\(.\\), --$long\\( .*\\)\\{0,1\\}\$/\\1/p" "$tmp/usage")
		if [ -n "$short" ]; then
			grep -qxF -- "-$short::" "$tmp/options" && ok ||
				bad "cxl-$cmd: -$short (--$long) is not documented"
		fi
	done
done

# rendering: asciidoctor, warnings are failures; then man, when present
if command -v asciidoctor >/dev/null; then
	for f in "${pages[@]}"; do
		name=$(basename "$f" .txt)
		sec=$(sed -n 's/^= .*(\([0-9]\))$/\1/p' "$f")
		if asciidoctor -b manpage -d manpage -a mansource=cxl-sysram \
			-a 'manmanual=cxl Manual' --failure-level=WARN \
			-D "$tmp/out" "$f" 2>"$tmp/adoc.err" &&
			[ ! -s "$tmp/adoc.err" ]; then
			ok
		else
			bad "$name: asciidoctor: $(head -n3 "$tmp/adoc.err")"
			continue
		fi
		out=$tmp/out/$name.$sec
		[ -s "$out" ] && ok || { bad "$name: no $name.$sec rendered"; continue; }
		if command -v man >/dev/null; then
			MANWIDTH=80 man -l "$out" >"$tmp/man.out" 2>"$tmp/man.err"
			if grep -q '^NAME' "$tmp/man.out" && ! grep -qi warning "$tmp/man.err"; then
				ok
			else
				bad "$name: man -l: $(head -n3 "$tmp/man.err")"
			fi
		fi
	done
else
	echo "SKIP: asciidoctor not installed: pages were not rendered"
fi

echo "docs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
