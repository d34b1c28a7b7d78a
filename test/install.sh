#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installing next to Debian's ndctl, done for real in throwaway roots: a
# private mount namespace in which an overlay over / (its writes go to a
# tmpfs that dies with the namespace) is the root of a chroot, with /proc,
# /sys (read-only) and /dev bound in, fresh tmpfs on /tmp and /run (no way
# to the host's systemd or udev), and the source and build trees overlaid
# at their own paths. Two rounds, each starting from the host's state:
#
# deb    the Debian package built from this tree (dpkg-buildpackage -b into
#        a copy, lintian clean): install, then cxl is ours with ndctl's
#        diverted to cxl.ndctl; every command we do not implement behaves
#        byte for byte as ndctl's did before (stdout, stderr, exit code);
#        --help shows our pages for our commands and ndctl's otherwise;
#        reinstalling ours or ndctl's (an upgrade) keeps that; remove gives
#        ndctl its files back byte-identical; purge leaves nothing of ours.
# meson  `meson install` of this build (its prefix, /usr/local by default):
#        nothing another package owns is touched, every file lands under the
#        prefix, cxl there shadows ndctl's and passes through to it; then
#        `ninja uninstall` removes every file it installed.
#
# Afterwards the host's cxl files, diversions, package database and
# /usr/local are checked to be as they were.
#
# usage: install.sh   (environment: SRC_ROOT, BUILD_ROOT, PREFIX,
#                      CXL_SYSRAM_VERSION, set by meson; KEEP_TMP=1 keeps
#                      the temporary directory with the .deb and its logs)
set -u
self=$(readlink -f "$0")

# the files ndctl owns that the package takes over
ndctl_files="/usr/bin/cxl /usr/share/bash-completion/completions/cxl"
for c in create destroy enable disable; do
	ndctl_files+=" /usr/share/man/man1/cxl-$c-region.1.gz"
done
# their names once diverted: /usr/bin/cxl.ndctl, cxl-create-region.ndctl.1.gz
diverted() {
	case $1 in
	*.1.gz) echo "${1%.1.gz}.ndctl.1.gz" ;;
	*) echo "$1.ndctl" ;;
	esac
}
# what passthrough is compared on: each line one command's arguments
passthrough_cmds="version
list -M
list -R -u
list --bogus-option
enable-port
frobnicate
disable-memdev --help"

# results: one "PASS name" or "FAIL name" line each, in $RESULTS
check() { # name, condition
	local name=${1//$'\n'/; }

	if eval "$2"; then
		echo "PASS $name" >>"$RESULTS"
	else
		echo "FAIL $name" >>"$RESULTS"
		echo "FAIL: $name"
	fi
}

# ---------------------------------------------------------------------
# inside the chroot: one step of a round, state in /tmp/t

# run_all PREFIX CXL: every passthrough command with CXL, to files PREFIX.N
run_all() {
	local n=0 args

	while IFS= read -r args; do
		n=$((n + 1))
		# shellcheck disable=SC2086
		"$2" $args >"$1.$n.out" 2>"$1.$n.err" </dev/null
		echo $? >"$1.$n.rc"
	done <<<"$passthrough_cmds"
}

# same_all REF NEW WHAT: the runs of REF and NEW are byte-identical
same_all() {
	local n=0 args f

	while IFS= read -r args; do
		n=$((n + 1))
		for f in out err rc; do
			check "$3: 'cxl $args' $f as ndctl's" \
				"cmp -s '$1.$n.$f' '$2.$n.$f'"
		done
	done <<<"$passthrough_cmds"
}

ours_diverted() { # the diversions this package made
	dpkg-divert --list | grep ' by cxl-sysram$' | sort
}

sums() { # the checksums of the ndctl files, one line each
	local f

	for f in $ndctl_files; do
		if [ -e "$f" ]; then sha256sum "$f"; else echo "missing $f"; fi
	done
}

step_before() { # the host's ndctl as it is: the reference
	local f

	mkdir -p /tmp/t
	for f in $ndctl_files; do
		[ -e "$f" ] || echo "FAIL $f not installed (ndctl)" >>"$RESULTS"
	done
	sums >/tmp/t/sums.before
	run_all /tmp/t/ref /usr/bin/cxl
	/usr/bin/cxl list --help >/tmp/t/ref.list-help 2>&1
	man cxl-create-region >/tmp/t/ref.man-create 2>&1
	dpkg -V ndctl >/tmp/t/ref.verify 2>&1
}

step_deb_install() {
	local f deb div rc

	deb=$(ls /tmp/deb/cxl-sysram_*.deb)
	dpkg -i "$deb" >/tmp/t/dpkg-i.log 2>&1
	rc=$?
	check "dpkg -i $(basename "$deb") ($(tail -n2 /tmp/t/dpkg-i.log))" \
		'[ $rc = 0 ]'
	check "package installed" \
		'[ "$(dpkg-query -W -f="\${db:Status-Abbrev}" cxl-sysram)" = "ii " ]'

	div=$(ours_diverted)
	check "six diversions by cxl-sysram ($div)" \
		'[ "$(wc -l <<<"$div")" = 6 ]'
	for f in $ndctl_files; do
		check "diversion $f -> $(diverted "$f")" \
			'[ "$(dpkg-divert --truename "$f")" = "$(diverted "$f")" ]'
		check "ndctl's $f is at $(diverted "$f"), unchanged" \
			'grep -qx "$(sha256sum <"$(diverted "$f")" | cut -d" " -f1)  $f" /tmp/t/sums.before'
		check "$f is ours" 'dpkg -L cxl-sysram | grep -qx "$f"'
	done
	check "every file of the package as built (dpkg -V: $(dpkg -V cxl-sysram 2>&1))" \
		'[ -z "$(dpkg -V cxl-sysram 2>&1)" ]'
	check "ndctl's files verify as before (dpkg -V ndctl)" \
		'[ "$(dpkg -V ndctl 2>&1)" = "$(cat /tmp/t/ref.verify)" ]' 
	check "completion is ours" \
		"cmp -s /usr/share/bash-completion/completions/cxl '$SRC_ROOT/contrib/cxl-sysram-completion.bash'"

	/usr/bin/cxl --version >/tmp/t/version 2>&1
	check "--version: ours first ($(head -n1 /tmp/t/version))" \
		'[ "$(sed -n 1p /tmp/t/version)" = "cxl-sysram $CXL_SYSRAM_VERSION" ]'
	check "--version: ndctl's, from cxl.ndctl ($(sed -n 2p /tmp/t/version))" \
		'[ "$(sed -n 2p /tmp/t/version)" = "upstream cxl $(cat /tmp/t/ref.1.out) (/usr/bin/cxl.ndctl)" ]'
	run_all /tmp/t/deb /usr/bin/cxl
	same_all /tmp/t/ref /tmp/t/deb "package"

	/usr/bin/cxl create-region --help >/tmp/t/help 2>&1
	rc=$?
	check "create-region --help: exit 0 (got $rc)" '[ $rc = 0 ]'
	check "create-region --help: our page (--mode)" \
		'grep -q "cxl-sysram" /tmp/t/help && grep -q -- "--mode" /tmp/t/help'
	man cxl-create-region >/tmp/t/man 2>&1
	check "man cxl-create-region: ours" 'cmp -s /tmp/t/help /tmp/t/man'
	man cxl-create-region.ndctl >/tmp/t/man 2>&1
	check "man cxl-create-region.ndctl: ndctl's page" \
		'cmp -s /tmp/t/ref.man-create /tmp/t/man'
	/usr/bin/cxl list --help >/tmp/t/help 2>&1
	check "list --help: ndctl's page, as before" \
		'cmp -s /tmp/t/ref.list-help /tmp/t/help'

	f=$(dpkg -L cxl-sysram | grep '/cxl-sysram-config@.service$')
	check "systemd unit installed ($f)" '[ -f "$f" ]'
	check "unit runs /usr/bin/cxl" \
		'grep -qx "ExecStart=/usr/bin/cxl reconfigure-region --check-config %i" "$f"'
	f=$(dpkg -L cxl-sysram | grep '/rules.d/90-cxl-sysram.rules$')
	check "udev rule installed ($f)" '[ -f "$f" ]'
	dpkg -L cxl-sysram >/tmp/t/deb.files
}

# what apt does on an upgrade of either package: unpack it again over
# itself. Ours keeps /usr/bin/cxl; ndctl's lands at the diverted names.
step_deb_reinstall() {
	local f rc ours

	# shellcheck disable=SC2034 # read by check's eval
	ours=$(sha256sum </usr/bin/cxl)
	dpkg -i /tmp/deb/cxl-sysram_*.deb >/tmp/t/dpkg-i2.log 2>&1
	rc=$?
	check "dpkg -i again, an upgrade (exit $rc: $(tail -n1 /tmp/t/dpkg-i2.log))" \
		'[ $rc = 0 ]'
	check "upgrade: still six diversions" \
		'[ "$(ours_diverted | wc -l)" = 6 ]'
	if [ ! -f /tmp/deb/ndctl.deb ]; then
		echo "no ndctl .deb: its reinstall was not tried"
		return
	fi
	dpkg -i /tmp/deb/ndctl.deb >/tmp/t/dpkg-n.log 2>&1
	rc=$?
	check "ndctl reinstalled (exit $rc: $(tail -n1 /tmp/t/dpkg-n.log))" \
		'[ $rc = 0 ]'
	check "ndctl reinstalled: /usr/bin/cxl is still ours" \
		'[ "$(sha256sum </usr/bin/cxl)" = "$ours" ]'
	for f in $ndctl_files; do
		check "ndctl reinstalled: its $f went to $(diverted "$f")" \
			'grep -qx "$(sha256sum <"$(diverted "$f")" | cut -d" " -f1)  $f" /tmp/t/sums.before'
	done
	check "ndctl reinstalled: every file of ours intact (dpkg -V)" \
		'[ -z "$(dpkg -V cxl-sysram 2>&1)" ]'
	/usr/bin/cxl --version >/tmp/t/version 2>&1
	check "ndctl reinstalled: --version still both" \
		'[ "$(sed -n 2p /tmp/t/version)" = "upstream cxl $(cat /tmp/t/ref.1.out) (/usr/bin/cxl.ndctl)" ]'
}

step_deb_remove() {
	local f rc

	dpkg -r cxl-sysram >/tmp/t/dpkg-r.log 2>&1
	rc=$?
	check "dpkg -r ($(tail -n2 /tmp/t/dpkg-r.log))" '[ $rc = 0 ]'
	sums >/tmp/t/sums.after
	check "remove: ndctl's files back, byte-identical" \
		'cmp -s /tmp/t/sums.before /tmp/t/sums.after'
	for f in $ndctl_files; do
		check "remove: no $(diverted "$f")" '[ ! -e "$(diverted "$f")" ]'
		check "remove: $f is ndctl's (dpkg -S)" \
			'[ "$(dpkg -S "$f" 2>&1)" = "ndctl: $f" ]'
	done
	check "remove: ndctl's files verify as before (dpkg -V ndctl)" \
		'[ "$(dpkg -V ndctl 2>&1)" = "$(cat /tmp/t/ref.verify)" ]' 
	check "remove: no diversion left" \
		'[ -z "$(ours_diverted)" ]'
	run_all /tmp/t/removed /usr/bin/cxl
	same_all /tmp/t/ref /tmp/t/removed "removed"
	man cxl-create-region >/tmp/t/man 2>&1
	check "remove: man cxl-create-region is ndctl's again" \
		'cmp -s /tmp/t/ref.man-create /tmp/t/man'
	while IFS= read -r f; do
		[ -d "$f" ] && continue
		check "remove: $f gone" '[ ! -e "$f" ] || dpkg -S "$f" >/dev/null 2>&1'
	done </tmp/t/deb.files
}

step_deb_purge() {
	local rc

	dpkg -P cxl-sysram >/tmp/t/dpkg-p.log 2>&1
	rc=$?
	check "dpkg -P ($(tail -n2 /tmp/t/dpkg-p.log))" '[ $rc = 0 ]'
	check "purge: dpkg knows no cxl-sysram" \
		'! dpkg-query -W cxl-sysram >/dev/null 2>&1'
	check "purge: no maintainer scripts or lists left" \
		'! ls -d /var/lib/dpkg/info/cxl-sysram[.:]* >/dev/null 2>&1'
	check "purge: no diversion left" \
		'! grep -qx cxl-sysram /var/lib/dpkg/diversions'
}

step_meson_install() {
	local bin=$PREFIX/bin/cxl line rc

	check "meson: not over ndctl's cxl ($bin)" '[ "$bin" != /usr/bin/cxl ]' ||
		return
	meson install -C "$BUILD_ROOT" --no-rebuild >/tmp/t/meson-i.log 2>&1
	rc=$?
	check "meson install ($(tail -n2 /tmp/t/meson-i.log))" '[ $rc = 0 ]'
	sums >/tmp/t/sums.after
	check "meson install: ndctl's files untouched" \
		'cmp -s /tmp/t/sums.before /tmp/t/sums.after'
	check "meson install: cxl on PATH is $bin ($(command -v cxl))" \
		'[ "$(command -v cxl)" = "$bin" ]'
	cxl --version >/tmp/t/version 2>&1
	check "meson: --version: ours and ndctl's ($(tr '\n' ';' </tmp/t/version))" \
		'[ "$(sed -n 1p /tmp/t/version)" = "cxl-sysram $CXL_SYSRAM_VERSION" ] &&
		 [ "$(sed -n 2p /tmp/t/version)" = "upstream cxl $(cat /tmp/t/ref.1.out) (/usr/bin/cxl)" ]'
	run_all /tmp/t/meson cxl
	same_all /tmp/t/ref /tmp/t/meson "meson"

	# the pages must come from the install, not from the build tree
	rm -f "$BUILD_ROOT"/Documentation/cxl/*.[17]
	cxl create-region --help >/tmp/t/help 2>&1
	check "meson: create-region --help: our page from $PREFIX" \
		'grep -q "cxl-sysram" /tmp/t/help && grep -q -- "--mode" /tmp/t/help'
	man cxl-create-region >/tmp/t/man 2>&1
	check "meson: man cxl-create-region finds ours first" \
		'cmp -s /tmp/t/help /tmp/t/man'
	cxl list --help >/tmp/t/help 2>&1
	check "meson: list --help: ndctl's page" \
		'cmp -s /tmp/t/ref.list-help /tmp/t/help'
	line=$(grep '^ExecStart=' "$PREFIX/lib/systemd/system/cxl-sysram-config@.service")
	check "meson: unit runs $bin ($line)" \
		'[ "$line" = "ExecStart=$bin reconfigure-region --check-config %i" ]'
	check "meson: udev rule under $PREFIX" \
		'[ -f "$PREFIX/lib/udev/rules.d/90-cxl-sysram.rules" ]'
	check "meson: completion under $PREFIX" \
		"cmp -s '$PREFIX/share/bash-completion/completions/cxl' '$SRC_ROOT/contrib/cxl-sysram-completion.bash'"
}

step_meson_uninstall() {
	local rc

	ninja -C "$BUILD_ROOT" uninstall >/tmp/t/meson-u.log 2>&1
	rc=$?
	check "ninja uninstall ($(tail -n2 /tmp/t/meson-u.log))" '[ $rc = 0 ]'
	sums >/tmp/t/sums.after
	check "meson uninstall: ndctl's files untouched" \
		'cmp -s /tmp/t/sums.before /tmp/t/sums.after'
	check "meson uninstall: cxl on PATH is ndctl's again" \
		'[ "$(command -v cxl)" = /usr/bin/cxl ]'
}

# ---------------------------------------------------------------------
# inside the private mount namespace, outside the chroot

# overlay LOWER MOUNTPOINT NAME: LOWER seen at MOUNTPOINT, writes to tmpfs
overlay() {
	mkdir -p "$ns/$3.upper" "$ns/$3.work" "$2" &&
		mount -t overlay "ovl-$3" \
			-o "lowerdir=$1,upperdir=$ns/$3.upper,workdir=$ns/$3.work" "$2"
}

make_root() {
	local d

	root=$ns/root
	overlay / "$root" root || return 1
	# a separate /usr, /var or /etc is not in the overlay of /
	for d in /usr /var /etc; do
		if mountpoint -q "$d"; then
			overlay "$d" "$root$d" "${d#/}" || return 1
		fi
	done
	mount --bind /proc "$root/proc" &&
		mount --bind /sys "$root/sys" &&
		mount -o remount,bind,ro "$root/sys" &&
		mount --bind /dev "$root/dev" &&
		mount -t tmpfs tmpfs "$root/tmp" &&
		mount -t tmpfs tmpfs "$root/run" || return 1
	overlay "$SRC_ROOT" "$root$SRC_ROOT" src || return 1
	case $BUILD_ROOT/ in
	"$SRC_ROOT"/*) ;;
	*) overlay "$BUILD_ROOT" "$root$BUILD_ROOT" build || return 1 ;;
	esac
	if [ -n "${1:-}" ]; then
		mkdir "$root/tmp/deb" && cp "$1" "$root/tmp/deb/" || return 1
		if [ -f "$tmp/ndctl.deb" ]; then
			cp "$tmp/ndctl.deb" "$root/tmp/deb/" || return 1
		fi
	fi
}

in_root() { # STEP: run it chrooted, collect its results
	chroot "$root" /usr/bin/env -i \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LC_ALL=C.UTF-8 MANPAGER=cat PAGER=cat MANWIDTH=80 \
		SRC_ROOT="$SRC_ROOT" BUILD_ROOT="$BUILD_ROOT" PREFIX="$PREFIX" \
		CXL_SYSRAM_VERSION="$CXL_SYSRAM_VERSION" RESULTS=/tmp/t/results \
		/bin/bash "$self" --step "$1"
	[ -f "$root/tmp/t/results" ] && cat "$root/tmp/t/results" >>"$RESULTS"
	rm -f "$root/tmp/t/results"
}

# left_behind WHAT ALLOWED_RE: what the round left in the overlay of /:
# every new or changed entry that is not back to the host's content, and
# every entry it deleted, outside the paths matching ALLOWED_RE
left_behind() {
	local upper=$ns/root.upper p rel

	while IFS= read -r p; do
		rel=${p#"$upper"}
		[[ $rel =~ $2 ]] && continue
		# the mount points of the trees' overlays
		case "$SRC_ROOT/ $BUILD_ROOT/" in
		"$rel"/*|*" $rel"/*) [ -d "$p" ] && continue ;;
		esac
		if [ -c "$p" ] && [ "$(stat -c %t:%T "$p")" = 0:0 ]; then
			echo "deleted $rel"
		elif [ -d "$p" ]; then
			[ -d "$rel" ] || echo "new directory $rel"
		elif [ -L "$p" ]; then
			[ "$(readlink "$p")" = "$(readlink "$rel" 2>/dev/null)" ] ||
				echo "left $rel"
		elif ! cmp -s "$p" "$rel"; then
			echo "left $rel"
		fi
	done < <(find "$upper" -mindepth 1 | sort)
}

# dpkg's own records and logs, and man-db's index, change with any install
dpkg_state='^/var/(lib/dpkg|log|cache/man|cache/debconf)(/|$)'

ns_deb() { # the package round
	local left

	make_root "$1" || { echo "FAIL deb: throwaway root" >>"$RESULTS"; return; }
	in_root before
	in_root deb_install
	in_root deb_reinstall
	in_root deb_remove
	in_root deb_purge
	left=$(left_behind deb "$dpkg_state")
	check "purge: nothing of ours left in / (${left//$'\n'/; })" '[ -z "$left" ]'
}

ns_meson() { # the source install round
	local left

	make_root || { echo "FAIL meson: throwaway root" >>"$RESULTS"; return; }
	in_root before
	in_root meson_install
	left=$(left_behind meson "^($PREFIX|/var/cache/man)(/|\$)")
	check "meson install: every file under $PREFIX (${left//$'\n'/; })" \
		'[ -z "$left" ]'
	in_root meson_uninstall
	# meson's uninstall removes the files it installed, not directories
	left=$(left_behind meson '^/var/cache/man(/|$)' |
		grep -v "^new directory $PREFIX/")
	check "meson uninstall: no file left (${left//$'\n'/; })" '[ -z "$left" ]'
}

# ---------------------------------------------------------------------
# on the host

# what a round could have changed on the host if it escaped
fingerprint() {
	local f

	for f in $ndctl_files; do
		for g in "$f" "$(diverted "$f")"; do
			if [ -e "$g" ]; then sha256sum "$g"; else echo "no $g"; fi
		done
	done
	dpkg-divert --list | sort
	dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' ndctl cxl-sysram 2>&1
	ls -d /var/lib/dpkg/info/cxl-sysram[.:]* 2>&1
	ls -d /lib/udev/rules.d/90-cxl-sysram.rules \
		/lib/systemd/system/cxl-sysram-config@.service 2>&1
	find /usr/local -newer "$tmp/stamp" 2>&1
	sha256sum "$BUILD_ROOT/meson-logs/install-log.txt" 2>&1
}

build_deb() { # into $tmp/deb, from a copy of the tree
	local t0 rc

	mkdir -p "$tmp/deb/src"
	if git -C "$SRC_ROOT" rev-parse --show-toplevel >/dev/null 2>&1; then
		# tracked and untracked files, not what .gitignore names
		(cd "$SRC_ROOT" && git ls-files -co --exclude-standard |
			while IFS= read -r f; do [ -e "$f" ] && echo "$f"; done |
			tar -cf - -T -) | tar -xf - -C "$tmp/deb/src"
	else
		tar -C "$SRC_ROOT" -cf - --exclude=.git --exclude='./build*' . |
			tar -xf - -C "$tmp/deb/src"
	fi
	t0=$(date +%s)
	(cd "$tmp/deb/src" && dpkg-buildpackage -b -us -uc -Jauto) \
		>"$tmp/deb/build.log" 2>&1
	rc=$?
	echo "dpkg-buildpackage: exit $rc in $(($(date +%s) - t0)) s"
	check "dpkg-buildpackage -b (exit $rc)" '[ $rc = 0 ]' ||
		tail -n 30 "$tmp/deb/build.log"
	deb=$(ls "$tmp"/deb/cxl-sysram_*.deb 2>/dev/null)
	check "one cxl-sysram .deb built ($deb)" '[ -f "$deb" ]'
}

# ndctl's .deb of the installed version, for reinstalling it over the
# package: apt's cache has it when apt installed ndctl, else it is fetched
# (apt-get download, the host's sources) into this project's cache
find_ndctl_deb() {
	local ver arch f cache=/var/cache/cxl-sysram/debs

	ver=$(dpkg-query -W -f='${Version}' ndctl)
	arch=$(dpkg-query -W -f='${Architecture}' ndctl)
	f=ndctl_${ver//:/%3a}_$arch.deb
	for d in /var/cache/apt/archives "$cache"; do
		if [ -f "$d/$f" ]; then
			cp "$d/$f" "$tmp/ndctl.deb"
			return
		fi
	done
	mkdir -p "$cache" &&
		(cd "$cache" && apt-get download -q=2 "ndctl=$ver") >/dev/null 2>&1 &&
		[ -f "$cache/$f" ] && cp "$cache/$f" "$tmp/ndctl.deb" && return
	echo "could not fetch ndctl $ver's .deb: reinstalling ndctl over the package is not tried"
}

run_lintian() {
	local tags t0

	if ! command -v lintian >/dev/null; then
		echo "lintian not installed: the package was not checked"
		return
	fi
	t0=$(date +%s)
	tags=$(lintian --fail-on error,warning "$tmp"/deb/cxl-sysram_*.changes 2>&1 |
		grep -v 'running with root privileges')
	echo "lintian: $(($(date +%s) - t0)) s"
	check "lintian: no error, no warning (${tags//$'\n'/; })" \
		"! grep -q '^[EW]:' <<<\"\$tags\""
	[ -n "$tags" ] && echo "lintian: $tags"
}

host_main() {
	local why='' before after t0 pass fail

	[ "$(id -u)" = 0 ] || why="needs root (a mount namespace and chroot)"
	for p in unshare chroot mount dpkg-divert dpkg-buildpackage dh; do
		[ -n "$why" ] || command -v $p >/dev/null ||
			why="$p not installed (scripts/install-deps.sh installs it)"
	done
	[ -n "$why" ] || grep -qw overlay /proc/filesystems ||
		modprobe overlay 2>/dev/null || why="no overlayfs in this kernel"
	[ -n "$why" ] || [ "$(dpkg-query -W -f='${db:Status-Abbrev}' ndctl 2>/dev/null)" = "ii " ] ||
		why="Debian's ndctl is not installed"
	[ -n "$why" ] || [ -z "$(ours_diverted)" ] ||
		why="cxl-sysram is installed on this host: the rounds need ndctl's cxl"
	if [ -n "$why" ]; then
		echo "SKIP: $why"
		exit 77
	fi

	tmp=$(mktemp -d /tmp/cxl-sysram-install.XXXXXX)
	trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
	RESULTS=$tmp/results
	: >"$RESULTS"
	touch "$tmp/stamp"
	before=$(fingerprint)

	build_deb
	run_lintian
	find_ndctl_deb
	if [ -f "${deb:-}" ]; then
		t0=$(date +%s)
		unshare -m --propagation private /bin/bash "$self" --ns deb \
			"$tmp" "$deb"
		echo "package round: $(($(date +%s) - t0)) s"
	fi
	t0=$(date +%s)
	unshare -m --propagation private /bin/bash "$self" --ns meson "$tmp"
	echo "source install round: $(($(date +%s) - t0)) s"

	after=$(fingerprint)
	check "host untouched ($(diff <(echo "$before") <(echo "$after") | grep '^[<>]' | tr '\n' ';'))" \
		'[ "$before" = "$after" ]'

	pass=$(grep -c '^PASS' "$RESULTS")
	fail=$(grep -c '^FAIL' "$RESULTS")
	grep '^FAIL' "$RESULTS" | sort | uniq -c | sort -rn | head -n 20
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ] && [ "$pass" -gt 100 ]
}

: "${SRC_ROOT:?}" "${BUILD_ROOT:?}" "${PREFIX:?}" "${CXL_SYSRAM_VERSION:?}"
case ${1:-} in
--step)
	"step_$2"
	;;
--ns)
	tmp=$3
	RESULTS=$tmp/results
	ns=$tmp/ns
	mkdir -p "$ns" && mount -t tmpfs tmpfs "$ns" ||
		{ echo "FAIL $2: tmpfs for the overlay" >>"$RESULTS"; exit 1; }
	"ns_$2" "${4:-}"
	;;
*)
	host_main
	;;
esac
