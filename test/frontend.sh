#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The front end: commands we do not implement behave exactly like the
# distribution's cxl (same stdout, stderr and exit code); --version,
# --list-cmds, usage errors and the self-exec guard.
set -u
CXL=${CXL:?CXL must point at the built cxl}
UP=${CXL_UPSTREAM:-/usr/bin/cxl}
[ -x "$UP" ] || { echo "SKIP: upstream cxl $UP not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass=0

check() { # name, condition
	if eval "$2"; then
		pass=$((pass + 1))
	else
		echo "FAIL: $1"
		fail=$((fail + 1))
	fi
}

same() { # args... : ours and upstream's output and exit code must match
	local rc_o rc_u
	"$CXL" "$@" >"$tmp/o.out" 2>"$tmp/o.err" </dev/null; rc_o=$?
	"$UP" "$@" >"$tmp/u.out" 2>"$tmp/u.err" </dev/null; rc_u=$?
	check "'$*': exit $rc_o vs upstream $rc_u" "[ $rc_o = $rc_u ]"
	check "'$*': stdout differs" "cmp -s '$tmp/o.out' '$tmp/u.out'"
	check "'$*': stderr differs" "cmp -s '$tmp/o.err' '$tmp/u.err'"
}

export MANPAGER=cat PAGER=cat MANWIDTH=80
same list -M
same list -R -u
same version
same enable-memdev --help
same list --bogus-option
same enable-port
same frobnicate
same list -BMDPTE -vvv

# --version: ours, then upstream's
out=$("$CXL" --version)
check "--version first line" \
	'[ "$(sed -n 1p <<<"$out")" = "cxl-sysram ${CXL_SYSRAM_VERSION:?}" ]'
check "--version names upstream" \
	'grep -q "^upstream cxl $("$UP" --version)" <<<"$out"'

# --list-cmds: every upstream command, plus ours, each once
"$CXL" --list-cmds >"$tmp/cmds"
rc=$?
check "--list-cmds exit 0" "[ $rc = 0 ]"
for c in $("$UP" --list-cmds); do
	check "--list-cmds has $c" "grep -qx -- '$c' '$tmp/cmds'"
done
for c in ${CXL_BUILTINS:-}; do
	check "--list-cmds has built-in $c" "grep -qx -- '$c' '$tmp/cmds'"
done
check "--list-cmds has no duplicates" \
	'[ -z "$(sort "$tmp/cmds" | uniq -d)" ]'

# unknown global option: usage, 129 (like upstream)
"$CXL" --bogus >/dev/null 2>&1
check "--bogus exits 129" "[ $? = 129 ]"

# pointing CXL_UPSTREAM at ourselves fails at once with one line
self=$(readlink -f "$CXL")
timeout 10 env CXL_UPSTREAM="$self" "$CXL" list >"$tmp/loop.out" \
	2>"$tmp/loop.err"
rc=$?
check "self-exec exits 1 (got $rc)" "[ $rc = 1 ]"
check "self-exec: one line on stderr" "[ \$(wc -l <'$tmp/loop.err') = 1 ]"
check "self-exec: nothing on stdout" "[ ! -s '$tmp/loop.out' ]"
check "self-exec: message says why" "grep -q 'this program itself' '$tmp/loop.err'"

# a wrapper script that calls us back is caught too (no loop)
printf '#!/bin/sh\nexec "%s" "$@"\n' "$self" >"$tmp/wrap"
chmod +x "$tmp/wrap"
timeout 10 env CXL_UPSTREAM="$tmp/wrap" "$CXL" list >/dev/null 2>"$tmp/w.err"
rc=$?
check "wrapper loop exits 1 (got $rc)" "[ $rc = 1 ]"

# another copy of this program as upstream (a source install over the
# distribution's cxl): it refuses to answer as upstream, and --version says
# in one line why there is no upstream version
cp "$self" "$tmp/copy"
out=$(env CXL_UPSTREAM="$tmp/copy" "$CXL" --version 2>"$tmp/v.err")
check "--version, upstream a copy of us: two lines ($out)" \
	'[ "$(wc -l <<<"$out")" = 2 ]'
check "--version, upstream a copy of us: says why ($out)" \
	'grep -qxF "upstream cxl: unavailable ($tmp/copy --version: exit status 1)" <<<"$out"'
check "--version, upstream a copy of us: the copy says so" \
	'grep -q "run as the upstream cxl of another cxl-sysram" "$tmp/v.err"'
timeout 10 env CXL_UPSTREAM="$tmp/copy" "$CXL" frobnicate >"$tmp/c.out" \
	2>"$tmp/c.err"
rc=$?
check "passthrough to a copy of us: exit 1 (got $rc)" "[ $rc = 1 ]"
check "passthrough to a copy of us: one line" \
	"[ \$(wc -l <'$tmp/c.err') = 1 ] && [ ! -s '$tmp/c.out' ]"
out=$(env CXL_UPSTREAM=/nonexistent/cxl "$CXL" --version 2>&1)
check "--version, no upstream: says why ($out)" \
	'[ "$(sed -n 2p <<<"$out")" = "upstream cxl: unavailable (/nonexistent/cxl: No such file or directory)" ]'

# a missing upstream: one line, exit 1
env CXL_UPSTREAM=/nonexistent/cxl "$CXL" list >/dev/null 2>"$tmp/m.err"
rc=$?
check "missing upstream exits 1" "[ $rc = 1 ]"
check "missing upstream: one line" "[ \$(wc -l <'$tmp/m.err') = 1 ]"

# an upstream the kernel will not run (no ELF, no #!): the exec's error in
# one line, exit 1, from the listing that runs it as a child
printf 'not a program\n' >"$tmp/noexec"
chmod +x "$tmp/noexec"
env CXL_UPSTREAM="$tmp/noexec" "$CXL" list >"$tmp/ne.out" 2>"$tmp/ne.err"
rc=$?
check "unrunnable upstream: exit 1 (got $rc)" "[ $rc = 1 ]"
check "unrunnable upstream: one line naming it and the error" \
	"[ \$(wc -l <'$tmp/ne.err') = 1 ] && grep -qF \"'$tmp/noexec': Exec format error\" '$tmp/ne.err'"
check "unrunnable upstream: nothing on stdout" "[ ! -s '$tmp/ne.out' ]"

# the upstream a listing starts keeps the signals its caller ignores (a
# nohup'd run stays immune to SIGHUP), and starting it resets only the
# handlers this program installs: not two calls per signal, as posix_spawn
# makes (128 in the child before its exec)
cat >"$tmp/sigup" <<'SH'
#!/bin/sh
printf '[{"sigign":"%s"}]\n' "$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/self/status)"
SH
chmod +x "$tmp/sigup"
out=$( (trap '' HUP; env CXL_UPSTREAM="$tmp/sigup" "$CXL" list) 2>&1)
ign=$(sed -n 's/.*"sigign":"\([0-9a-f]*\)".*/\1/p' <<<"$out")
check "upstream keeps an ignored SIGHUP ($out)" \
	"[ -n '$ign' ] && (( 0x$ign & 1 ))"
if command -v strace >/dev/null; then
	env CXL_UPSTREAM="$tmp/sigup" strace -f -qq -o "$tmp/st" \
		-e trace=rt_sigaction,execve "$CXL" list >/dev/null 2>&1
	n=$(awk -v up="$tmp/sigup" 'index($0, "execve(\"" up "\"") { exit }
		/rt_sigaction/ { n++ } END { print n + 0 }' "$tmp/st")
	check "starting upstream: at most 6 sigaction calls (got $n)" \
		"[ $n -le 6 ] && grep -qF 'execve(\"$tmp/sigup\"' '$tmp/st'"
else
	echo "note: no strace: the start of upstream was not counted"
fi

# no command: usage and exit 1 like upstream
"$CXL" >/dev/null 2>&1
check "no command exits 1" "[ $? = 1 ]"

for c in ${CXL_BUILTINS:-}; do
	"$CXL" "$c" --list-opts >"$tmp/lo" 2>&1
	rc=$?
	check "$c --list-opts exits 130" "[ $rc = 130 ]"
	check "$c --list-opts lists --debug" "grep -q -- '--debug' '$tmp/lo'"
	check "$c --list-opts lists --verbose" "grep -q -- '--verbose' '$tmp/lo'"
	check "$c -h: -v is --verbose" \
		"'$CXL' '$c' -h 2>&1 | grep -q -- '-v, --verbose'"
	"$CXL" "$c" --no-such-option >/dev/null 2>"$tmp/e"
	rc=$?
	check "$c unknown option exits 129" "[ $rc = 129 ]"
	"$CXL" "$c" -h >/dev/null 2>"$tmp/e"
	rc=$?
	check "$c -h exits 129 with usage" "[ $rc = 129 ] && grep -q usage '$tmp/e'"
done

# --help shows this project's page, not the distribution's page of the
# same name (which lacks --mode); list keeps upstream's page
if [ -n "${CXL_MAN_DIR:-}" ] && command -v man >/dev/null; then
	for c in ${CXL_BUILTINS:-}; do
		for form in "$c --help" "help $c"; do
			# shellcheck disable=SC2086
			"$CXL" $form >"$tmp/h.out" 2>"$tmp/h.err"
			rc=$?
			check "'$form': exit $rc" "[ $rc = 0 ]"
			check "'$form': not our page" \
				"grep -q 'cxl-sysram' '$tmp/h.out'"
		done
	done
	"$CXL" create-region --help >"$tmp/h.out" 2>&1
	check "create-region --help: documents --mode" \
		"grep -q -- '--mode' '$tmp/h.out'"
	"$CXL" list --help >"$tmp/h.out" 2>&1
	check "list --help: upstream's cxl-list(1)" "grep -q '^CXL-LIST(1)' '$tmp/h.out'"

	# no page anywhere: one line that says so, then the usage (as -h)
	if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
		man1=$(sed -n 's/^#define MAN1_DIR "\(.*\)"$/\1/p' \
			"$(dirname "$CXL_MAN_DIR")/../config.h")
		unshare -m sh -c '
			mount -t tmpfs none "$1" || exit 2
			[ ! -d "$2" ] || mount -t tmpfs none "$2" || exit 2
			exec "$3" create-region --help' sh "$CXL_MAN_DIR" \
			"${man1:-/nonexistent}" "$CXL" >"$tmp/h.out" 2>"$tmp/h.err"
		rc=$?
		check "--help without pages: exit 129 (got $rc)" "[ $rc = 129 ]"
		check "--help without pages: says so" \
			"head -n1 '$tmp/h.err' | grep -q 'cxl-create-region(1) of cxl-sysram is not installed'"
		check "--help without pages: usage follows" \
			"grep -q 'usage: cxl create-region' '$tmp/h.err'"
	fi
fi

# writing commands refuse early, with one line, when not run as root
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	for c in "create-region -m mem0" "reconfigure-region region0 --online=movable" \
		 "destroy-region all" "disable-region all" "enable-region all"; do
		# shellcheck disable=SC2086
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$CXL" $c >"$tmp/nr.out" 2>"$tmp/nr.err"
		rc=$?
		check "non-root $c: exit 1 (got $rc)" "[ $rc = 1 ]"
		check "non-root $c: one line" "[ \$(wc -l <'$tmp/nr.err') = 1 ]"
		check "non-root $c: says root" "grep -q 'must be run as root' '$tmp/nr.err'"
	done
fi

echo "$pass passed, $fail failed"
[ $fail = 0 ]
