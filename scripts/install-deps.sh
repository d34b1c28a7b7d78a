#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian 12 packages this project needs, only those missing.
#   scripts/install-deps.sh         build, unit and simulator tests, the
#                                   Debian package (debian/) and its checks
#   scripts/install-deps.sh --vm    also the real-kernel (QEMU) tier
set -euo pipefail

pkgs=(build-essential meson ninja-build pkg-config
	libcxl-dev libdaxctl-dev libkmod-dev libudev-dev libjson-c-dev
	uuid-dev libfuse3-dev fuse3 libcmocka-dev asciidoctor jq
	ndctl daxctl util-linux man-db strace valgrind
	clang libclang-rt-dev
	debhelper lintian
	# the Debian 13 build (test/debian13/run)
	debootstrap)

want_vm=0
[ "${1:-}" = "--vm" ] && want_vm=1
if [ $want_vm = 1 ]; then
	pkgs+=(busybox-static kmod cpio xz-utils
		# the cxl_test kernel (test/vm/cxl-test-kernel.sh)
		bc bison flex libelf-dev libssl-dev make gcc)
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed" || missing+=("$p")
done

updated=0
apt_update() {
	[ $updated = 1 ] && return 0
	apt-get update -qq
	updated=1
}

if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "install-deps: missing ${missing[*]}; run as root" >&2
		exit 1
	fi
	echo "install-deps: installing ${missing[*]}"
	apt_update
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
fi

[ $want_vm = 1 ] || exit 0

# QEMU >= 8 is needed for volatile CXL type-3 memory: bookworm-backports.
if ! qemu-system-x86_64 -device cxl-type3,help 2>/dev/null |
		grep -q volatile-memdev; then
	src=/etc/apt/sources.list.d/cxl-sysram-backports.sources
	if ! grep -rqs bookworm-backports /etc/apt/sources.list \
			/etc/apt/sources.list.d/; then
		# the archive the host uses already: no host name in this tree
		mirror=$("$(dirname "$0")/debian-uri.sh" main)
		cat > "$src" <<SRC
Types: deb
URIs: $mirror
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
		updated=0
	fi
	apt_update
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends -t bookworm-backports \
		qemu-system-x86 >/dev/null
fi
