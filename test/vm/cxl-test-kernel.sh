#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once) a kernel that can load the kernel's own CXL mock, cxl_test
# (tools/testing/cxl), and print the folder that holds it:
#   boot/vmlinuz-<kver> (a bzImage), config, lib/modules/<kver>/ (with updates/ = the mock's
#   wrapped cxl_core/cxl_acpi/cxl_port/cxl_mem/cxl_pmem and cxl_test,
#   cxl_mock, cxl_mock_mem), kver.
#
# Debian's kernels cannot load cxl_test (CXL_BUS=y, no
# CXL_REGION_INVALIDATION_TEST / NVDIMM_SECURITY_TEST), so the source comes
# from Debian's linux-source-6.12 package (fetched with `apt-get download`,
# never installed), configured as tinyconfig + cxl-test.config and built with
# `nice -n 19 make -j2`. The result is cached under
# /var/cache/cxl-sysram/cxl-test-kernel/, keyed by the source version and a
# hash of the config fragment and of this recipe; it is rebuilt only when one
# of them changes. Only one build runs at a time (flock).
#
#   cxl-test-kernel.sh    print the folder; exit 77 when the source package
#                         cannot be had, 1 when the build fails
#   env CXL_TEST_KERNEL_CACHE   cache folder
#   env CXL_TEST_KERNEL_JOBS    make -j (default 2)
set -Eeuo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${CXL_TEST_KERNEL_CACHE:-/var/cache/cxl-sysram/cxl-test-kernel}
jobs=${CXL_TEST_KERNEL_JOBS:-2}
pkg=linux-source-6.12
fragment=$here/cxl-test.config
# bump when the build steps below change what ends up in the folder
recipe=1

say() { echo "vm/cxl-test-kernel: $*" >&2; }

# newest finished build in the cache (offline fallback)
cached() {
	local d
	d=$(find "$cache" -mindepth 1 -maxdepth 1 -type d -name 'b-*' \
		-exec test -e '{}/.complete' ';' -print 2>/dev/null | sort -V |
		tail -n1)
	[ -n "$d" ] && echo "$d"
}

candidate() {
	apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ {print $2}' |
		grep -v '(none)' || true
}

mkdir -p "$cache" 2>/dev/null || true
if [ ! -w "$cache" ]; then
	d=$(cached) && { echo "$d"; exit 0; }
	say "cannot write $cache to build the kernel"
	exit 77
fi

exec 9>"$cache/.lock"
flock 9

ver=$(candidate)
if [ -z "$ver" ] && [ "$(id -u)" = 0 ]; then
	apt-get update -qq >&2 || true
	ver=$(candidate)
fi
if [ -z "$ver" ]; then
	d=$(cached) && { echo "$d"; exit 0; }
	say "apt knows no $pkg (apt-get update?)"
	exit 77
fi

key=$( { echo "recipe $recipe"; cat "$fragment"; } | sha256sum | cut -c1-12)
dir="$cache/b-${ver}-${key}"
if [ -e "$dir/.complete" ]; then
	echo "$dir"
	exit 0
fi

# --- the source package -----------------------------------------------------
src="$cache/src"
mkdir -p "$src"
deb=$(ls "$src"/${pkg}_"${ver//:/%3a}"_*.deb 2>/dev/null | head -n1 || true)
if [ -z "$deb" ]; then
	say "downloading $pkg $ver"
	rm -f "$src"/*.deb
	if ! (cd "$src" && apt-get download -q -o APT::Sandbox::User=root \
			"$pkg=$ver" >&2); then
		if [ "$(id -u)" = 0 ] && apt-get update -qq >&2; then
			ver=$(candidate)
			dir="$cache/b-${ver}-${key}"
		fi
		if [ -z "$ver" ] || ! (cd "$src" && apt-get download -q \
				-o APT::Sandbox::User=root "$pkg=$ver" >&2); then
			d=$(cached) && { echo "$d"; exit 0; }
			say "download of $pkg failed"
			exit 77
		fi
	fi
	deb=$(ls "$src"/${pkg}_*.deb | head -n1)
fi

# From here on every failure is a failed build (exit 1), never a skip.
work="$cache/work"
log="$cache/build.log"
fail() {
	say "$*"
	[ -s "$log" ] && { say "last lines of $log:"; tail -n 40 "$log" >&2; }
	exit 1
}
trap 'fail "build step failed (line $LINENO)"' ERR

say "building $pkg $ver with $(basename "$fragment") (key $key), log $log"
start=$SECONDS
rm -rf "$work" "$dir.tmp"
mkdir -p "$work"
: >"$log"
dpkg-deb --fsys-tarfile "$deb" |
	tar -x -C "$work" --wildcards './usr/src/linux-source-*.tar.xz'
tar -xJf "$work"/usr/src/linux-source-*.tar.xz -C "$work"
rm -rf "$work/usr"
tree=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'linux-source-*')
[ -d "$tree/tools/testing/cxl" ] || fail "no tools/testing/cxl in $pkg $ver"
say "unpacked in $((SECONDS - start)) s"

mk() { nice -n 19 make -C "$tree" ARCH=x86_64 -j"$jobs" "$@" >>"$log" 2>&1; }

mk tinyconfig
(cd "$tree" && scripts/kconfig/merge_config.sh -m .config "$fragment") \
	>>"$log" 2>&1
mk olddefconfig

# every line of the fragment must have landed
missing=0
while IFS= read -r line; do
	case $line in '' | '#'*) continue ;; esac
	name=${line%%=*}
	val=${line#*=}
	if [ "$val" = n ]; then
		if grep -q "^$name=" "$tree/.config"; then
			say "config: $name is set, the fragment wants it off"
			missing=1
		fi
	elif ! grep -qxF "$line" "$tree/.config"; then
		say "config: $line did not land ($(grep "^$name=\|^# $name " \
			"$tree/.config" || echo absent))"
		missing=1
	fi
done <"$fragment"
[ $missing = 0 ] || fail "config fragment did not apply"

t=$SECONDS
mk bzImage modules
say "kernel and modules built in $((SECONDS - t)) s"
t=$SECONDS
mk M=tools/testing/cxl modules
say "tools/testing/cxl built in $((SECONDS - t)) s"

kver=$(make -s -C "$tree" ARCH=x86_64 kernelrelease)
mkdir -p "$dir.tmp/boot"
mk INSTALL_MOD_PATH="$dir.tmp" INSTALL_MOD_STRIP=1 DEPMOD=true modules_install
mk INSTALL_MOD_PATH="$dir.tmp" INSTALL_MOD_STRIP=1 DEPMOD=true \
	M=tools/testing/cxl modules_install
rm -f "$dir.tmp/lib/modules/$kver/build" "$dir.tmp/lib/modules/$kver/source"
for m in cxl_test cxl_mock cxl_mock_mem cxl_core cxl_acpi; do
	find "$dir.tmp/lib/modules/$kver/updates" -name "$m.ko" | grep -q . ||
		fail "tools/testing/cxl did not install $m.ko"
done
depmod -b "$dir.tmp" "$kver"
cp "$tree/arch/x86/boot/bzImage" "$dir.tmp/boot/vmlinuz-$kver"
cp "$tree/.config" "$dir.tmp/config"
echo "$kver" >"$dir.tmp/kver"
echo "$pkg $ver" >"$dir.tmp/source"
touch "$dir.tmp/.complete"
trap - ERR
rm -rf "$dir"
mv "$dir.tmp" "$dir"
rm -rf "$work"
# keep only this build
find "$cache" -mindepth 1 -maxdepth 1 -type d -name 'b-*' ! -path "$dir" \
	-exec rm -rf '{}' +
find "$src" -name '*.deb' ! -path "$deb" -delete
say "built $kver in $((SECONDS - start)) s"
echo "$dir"
