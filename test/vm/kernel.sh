#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Make one of the amd64 kernels Debian serves available for the VM tier and
# print the folder that holds it (boot/vmlinuz-<kver>, lib/modules/<kver>/).
#
#   kernel.sh [FLAVOUR]   FLAVOUR: 6.12 (default), 6.1 or 7.3
#
#   6.1   Debian 12's stock kernel, linux-image-6.1.0-N-amd64-unsigned
#         (bookworm, and its security updates)
#   6.12  linux-image-6.12.N+deb12-amd64-unsigned (bookworm-security)
#   7.3   trixie-backports: since 7.x the kernel comes in three packages,
#         linux-binary-7.3.N+deb13-amd64 (vmlinuz), linux-modules-... and
#         linux-base-... (modules.builtin*, modules.order, config); the
#         linux-image-... package is an empty meta package
#
# The packages are never installed on the host: a private apt
# configuration under the cache (its own sources.list, lists and package
# cache; the archive URI is the one the host's apt sources use) resolves
# the newest of the flavour at run time, as old ABIs rotate out of the
# archive, and `apt-get download`s it; only the parts the guest needs are
# unpacked. The host's apt setup is never changed. Without network, the
# newest kernel of the flavour already in the cache is used.
#
#   exit 77              no kernel of that flavour available
#   env CXL_VM_CACHE     cache folder (default /var/cache/cxl-sysram/vm)
#   env CXL_VM_KERNEL_DEB  use this .deb (a 6.x linux-image) instead
#   env CXL_VM_REFRESH=1   resolve again even if done in the last hour
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
flavour=${1:-6.12}
cache=${CXL_VM_CACHE:-/var/cache/cxl-sysram/vm}
apt=$cache/apt
kcache=$cache/$flavour

say() { echo "vm/kernel: $*" >&2; }

case "$flavour" in
6.1) pattern='^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$' ;;
6.12) pattern='^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' ;;
7.3) pattern='^linux-binary-7\.3\.[0-9]+\+deb13-amd64$' ;;
*)
	say "unknown kernel flavour '$flavour' (valid: 6.1, 6.12, 7.3)"
	exit 129
	;;
esac

# newest folder of this flavour already unpacked in the cache, if any
cached() {
	local d
	d=$(find "$kcache" -mindepth 1 -maxdepth 1 -type d -name 'k-*' \
		-exec test -e '{}/.complete' ';' -print 2>/dev/null | sort -V |
		tail -n1)
	[ -n "$d" ] && echo "$d"
}

# unpack DEB... into FOLDER as boot/vmlinuz-<kver> and lib/modules/<kver>
# (6.x packages use /boot and /lib, the 7.x ones /usr/lib/modules)
unpack() {
	local dir=${!#} tmp deb pre list m kver
	tmp="$dir.tmp"
	rm -rf "$tmp"
	mkdir -p "$tmp"
	for deb in "${@:1:$#-1}"; do
		list=$(dpkg-deb -c "$deb" | awk '{print $6}')
		pre=./lib/modules
		grep -q '^\./usr/lib/modules/' <<<"$list" && pre=./usr/lib/modules
		m=()
		grep -q '^\./boot/vmlinuz-' <<<"$list" && m+=('./boot/vmlinuz-*')
		for f in vmlinuz config modules.builtin modules.builtin.modinfo \
			modules.order; do
			grep -q "^$pre/[^/]*/$f\$" <<<"$list" && m+=("$pre/*/$f")
		done
		for f in cxl dax nvdimm acpi/nfit; do
			grep -q "^$pre/[^/]*/kernel/drivers/$f/" <<<"$list" &&
				m+=("$pre/*/kernel/drivers/$f")
		done
		[ ${#m[@]} -gt 0 ] || continue
		dpkg-deb --fsys-tarfile "$deb" |
			tar -x -C "$tmp" --wildcards "${m[@]}"
	done
	if [ -d "$tmp/usr/lib/modules" ]; then
		mkdir -p "$tmp/lib"
		mv "$tmp/usr/lib/modules" "$tmp/lib/modules"
		rm -rf "${tmp:?}/usr"
	fi
	kver=$(basename "$(find "$tmp/lib/modules" -mindepth 1 -maxdepth 1 \
		-type d | head -n1)")
	if [ -e "$tmp/lib/modules/$kver/vmlinuz" ]; then
		mkdir -p "$tmp/boot"
		mv "$tmp/lib/modules/$kver/vmlinuz" "$tmp/boot/vmlinuz-$kver"
	fi
	[ -e "$tmp/boot/vmlinuz-$kver" ] || {
		say "no vmlinuz in ${*:1:$#-1}"
		return 1
	}
	touch "$tmp/.complete"
	rm -rf "$dir"
	mv "$tmp" "$dir"
}

mkdir -p "$kcache"

if [ -n "${CXL_VM_KERNEL_DEB:-}" ]; then
	dir="$kcache/k-$(basename "$CXL_VM_KERNEL_DEB" .deb)"
	[ -e "$dir/.complete" ] || unpack "$CXL_VM_KERNEL_DEB" "$dir"
	echo "$dir"
	exit 0
fi

# resolved less than an hour ago (a CI run boots several times): reuse
stamp=$kcache/.resolved
if [ -z "${CXL_VM_REFRESH:-}" ] && [ -n "$(find "$stamp" -mmin -60 2>/dev/null)" ]; then
	d=$(cat "$stamp")
	[ -e "$d/.complete" ] && { echo "$d"; exit 0; }
fi
resolved() { # folder
	echo "$1" >"$stamp" 2>/dev/null || true
	echo "$1"
}
fallback() { # message
	local d
	d=$(cached) && { echo "$d"; exit 0; }
	say "$1"
	exit 77
}

if [ "$(id -u)" != 0 ] && [ ! -w "$cache" ]; then
	fallback "cannot write $cache to resolve and download a $flavour kernel"
fi

# --- the private apt configuration ----------------------------------------
aptopts=(-o "Dir::Etc::sourcelist=$apt/sources.list"
	-o Dir::Etc::sourceparts=- -o "Dir::State::lists=$apt/lists"
	-o "Dir::Cache=$apt/cache" -o Acquire::Languages=none
	-o APT::Sandbox::User=root -q)
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

apt_update() {
	local main sec opt
	main=$("$here/../../scripts/debian-uri.sh" main) || return 1
	sec=$("$here/../../scripts/debian-uri.sh" security) || return 1
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
	opt="[arch=amd64 signed-by=$keyring]"
	cat >"$apt/sources.list.new" <<-LIST
		deb $opt $main bookworm main
		deb $opt $sec bookworm-security main
		deb $opt $main trixie-backports main
	LIST
	mv "$apt/sources.list.new" "$apt/sources.list"
	apt-get "${aptopts[@]}" update >&2 && touch "$apt/.updated"
}

# the private index, refreshed at most once an hour
if [ -n "${CXL_VM_REFRESH:-}" ] ||
	[ -z "$(find "$apt/.updated" -mmin -60 2>/dev/null)" ]; then
	apt_update || say "apt-get update of the private index failed"
fi

resolve() {
	apt-cache "${aptopts[@]}" search --names-only "$pattern" 2>/dev/null |
		awk '{print $1}' | sort -V | tail -n1
}
candidate() { # package
	apt-cache "${aptopts[@]}" policy "$1" 2>/dev/null |
		awk '/Candidate:/ {print $2}'
}

pkg=$(resolve || true)
[ -n "$pkg" ] || fallback "no $flavour kernel package known (pattern $pattern)"
ver=$(candidate "$pkg")
pkgs=("$pkg")
if [ "$flavour" = 7.3 ]; then
	kv=${pkg#linux-binary-}
	pkgs+=("linux-modules-$kv" "linux-base-$kv")
fi
dir="$kcache/k-${pkg}_${ver}"
if [ -e "$dir/.complete" ]; then
	resolved "$dir"
	exit 0
fi

dl=$kcache/download
rm -rf "$dl"
mkdir -p "$dl"
say "downloading ${pkgs[*]} $ver"
(cd "$dl" && apt-get "${aptopts[@]}" download "${pkgs[@]/%/=$ver}" >&2) ||
	fallback "download of ${pkgs[*]} $ver failed"
unpack "$dl"/*.deb "$dir"
rm -rf "$dl"
# keep only the newest unpacked kernel of the flavour
find "$kcache" -mindepth 1 -maxdepth 1 -type d -name 'k-*' \
	! -path "$dir" -exec rm -rf '{}' +
resolved "$dir"
