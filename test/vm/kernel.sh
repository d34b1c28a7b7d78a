#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Make Debian's newest 6.12 amd64 kernel available for the VM tier and print
# the folder that holds it (boot/vmlinuz-*, lib/modules/<kver>/...).
#
# The package is never installed on the host: it is fetched with
# `apt-get download` into a cache folder and only the parts the guest needs
# (vmlinuz, the cxl/dax/nvdimm modules, modules.builtin*) are unpacked.
# Old ABIs rotate out of the archive, so the package name is resolved at run
# time. Without network, the newest kernel already in the cache is used.
#
#   kernel.sh            print the kernel folder (exit 77: none available)
#   env CXL_VM_CACHE     cache folder (default /var/cache/cxl-sysram-vm)
#   env CXL_VM_KERNEL_DEB  use this .deb instead of resolving one
#   env CXL_VM_REFRESH=1   resolve again even if done in the last hour
set -euo pipefail

cache=${CXL_VM_CACHE:-/var/cache/cxl-sysram-vm}
pattern='^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$'

say() { echo "vm/kernel: $*" >&2; }

# newest folder already unpacked in the cache, if any
cached() {
	local d
	d=$(find "$cache" -mindepth 1 -maxdepth 1 -type d -name 'k-*' \
		-exec test -e '{}/.complete' ';' -print 2>/dev/null | sort -V |
		tail -n1)
	[ -n "$d" ] && echo "$d"
}

unpack() { # deb, folder
	local tmp="$2.tmp"
	rm -rf "$tmp"
	mkdir -p "$tmp"
	dpkg-deb --fsys-tarfile "$1" | tar -x -C "$tmp" --wildcards \
		'./boot/vmlinuz-*' \
		'./lib/modules/*/modules.builtin' \
		'./lib/modules/*/modules.builtin.modinfo' \
		'./lib/modules/*/modules.order' \
		'./lib/modules/*/kernel/drivers/cxl' \
		'./lib/modules/*/kernel/drivers/dax' \
		'./lib/modules/*/kernel/drivers/nvdimm' \
		'./lib/modules/*/kernel/drivers/acpi/nfit'
	touch "$tmp/.complete"
	rm -rf "$2"
	mv "$tmp" "$2"
}

mkdir -p "$cache"

if [ -n "${CXL_VM_KERNEL_DEB:-}" ]; then
	dir="$cache/k-$(basename "$CXL_VM_KERNEL_DEB" .deb)"
	[ -e "$dir/.complete" ] || unpack "$CXL_VM_KERNEL_DEB" "$dir"
	echo "$dir"
	exit 0
fi

# resolved less than an hour ago (a CI run boots several times): reuse
stamp=$cache/.resolved
if [ -z "${CXL_VM_REFRESH:-}" ] && [ -n "$(find "$stamp" -mmin -60 2>/dev/null)" ]; then
	d=$(cat "$stamp")
	[ -e "$d/.complete" ] && { echo "$d"; exit 0; }
fi
resolved() { # folder
	echo "$1" >"$stamp" 2>/dev/null || true
	echo "$1"
}

resolve() {
	apt-cache search --names-only "$pattern" 2>/dev/null |
		awk '{print $1}' | sort -V | tail -n1
}

pkg=$(resolve || true)
if [ -z "$pkg" ]; then
	d=$(cached) && { echo "$d"; exit 0; }
	say "no linux-image-6.12*-amd64-unsigned known to apt (apt-get update?)"
	exit 77
fi

ver=$(apt-cache policy "$pkg" | awk '/Candidate:/ {print $2}')
dir="$cache/k-${pkg}_${ver}"
if [ -e "$dir/.complete" ]; then
	resolved "$dir"
	exit 0
fi

if [ "$(id -u)" != 0 ] && [ ! -w "$cache" ]; then
	d=$(cached) && { echo "$d"; exit 0; }
	say "cannot write $cache to download $pkg"
	exit 77
fi

download() {
	(cd "$cache" && apt-get download -q -o APT::Sandbox::User=root \
		"$pkg=$ver" >&2)
}

say "downloading $pkg $ver"
rm -f "$cache"/linux-image-*.deb
if ! download; then
	# the index may be stale (ABI rotated out): refresh once and retry
	if [ "$(id -u)" = 0 ] && apt-get update -qq >&2; then
		pkg=$(resolve || true)
		ver=$(apt-cache policy "$pkg" | awk '/Candidate:/ {print $2}')
		dir="$cache/k-${pkg}_${ver}"
	fi
	if [ -z "$pkg" ] || ! download; then
		d=$(cached) && { echo "$d"; exit 0; }
		say "download of $pkg failed"
		exit 77
	fi
fi
deb=$(ls "$cache"/linux-image-*.deb)
unpack "$deb" "$dir"
rm -f "$deb"
# keep only the newest unpacked kernel
find "$cache" -mindepth 1 -maxdepth 1 -type d -name 'k-*' \
	! -path "$dir" -exec rm -rf '{}' +
resolved "$dir"
