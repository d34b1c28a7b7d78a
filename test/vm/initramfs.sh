#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the guest's initramfs:
#   initramfs.sh KERNEL_DIR OUT.cpio PAYLOAD_DIR
# KERNEL_DIR comes from kernel.sh. The image is two concatenated cpio
# archives (the kernel unpacks both, the second on top):
#  - the base, cached next to the kernel and rebuilt when a tool or this
#    directory's guest files change: busybox for the basics, the host's
#    bash and GNU coreutils/grep/sed/awk/find/diff, strace (the test scripts are
#    written against them), kmod, upstream cxl/daxctl, jq, each with the
#    libraries ldd names; the kernel's cxl/dax/nvdimm modules, decompressed,
#    with depmod run; /init and the udev stand-in;
#  - the payload: PAYLOAD_DIR as it is (the runner puts the test tree, our
#    build and the run's settings there) plus the libraries of the
#    executables in it.
set -euo pipefail

kdir=${1:?kernel folder}
out=${2:?output file}
payload=${3:?payload folder}
here=$(cd "$(dirname "$0")" && pwd)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkcpio() { # folder, output
	(cd "$1" && find . -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc --quiet --owner=0:0) >"$2"
}

# files the base already has (filled from its manifest for the payload)
declare -A in_base=()

# copy files to the same absolute path under a root (following links)
put() { # root, files...
	local r=$1 f d
	shift
	for f in "$@"; do
		# the folder canonical (/lib -> /usr/lib), the name as it is
		d=$(realpath "$(dirname "$f")")
		[ -n "${in_base[$d/${f##*/}]:-}" ] && continue
		[ -e "$r$d/${f##*/}" ] && [ ! -L "$r$d/${f##*/}" ] && continue
		mkdir -p "$r$d"
		rm -f "$r$d/${f##*/}"
		cp -L "$f" "$r$d/${f##*/}"
	done
}

# executables and every library ldd reports for them
put_exe() { # root, executables...
	local r=$1
	shift
	[ $# -gt 0 ] || return 0
	put "$r" "$@"
	# shellcheck disable=SC2046
	put "$r" $( { ldd "$@" 2>/dev/null || true; } |
		awk '/=> \// {print $3} /^\t\// {print $1}' | sort -u)
}

# --- base ----------------------------------------------------------------
tools=(bash kmod cxl daxctl jq
	grep sed mawk find xargs diff cmp
	pgrep pkill ps flock setsid lsmem chmem getopt strace)
for p in $(dpkg -L coreutils | grep -E '^/(usr/)?bin/'); do
	[ -f "$p" ] && [ -x "$p" ] && tools+=("$p")
done
paths=()
for t in "${tools[@]}"; do
	p=$(command -v "$t" 2>/dev/null) || { echo "vm/initramfs: no $t" >&2; continue; }
	paths+=("$(realpath -s "$p")")
done

key=$( {
	cat "$0" "$here/init" "$here/hotplug"
	echo "$kdir"
	stat -L -c '%n %s %Y' /bin/busybox "${paths[@]}"
} | sha256sum | cut -c1-16)
cache=$kdir
[ -w "$cache" ] || cache=$tmp
base=$cache/initramfs-base-$key.cpio

if [ ! -s "$base" ] || [ ! -e "$base.files" ]; then
	root=$tmp/base
	mkdir -p "$root"/{usr/bin,usr/sbin,usr/lib,usr/lib64,etc,proc,sys,dev,tmp,run,root,out}
	# mirror the host's merged-/usr layout so ldd paths resolve unchanged
	for d in bin sbin lib lib64; do
		if [ -L "/$d" ]; then
			ln -s "$(readlink "/$d")" "$root/$d"
		else
			mkdir -p "$root/$d"
		fi
	done

	put "$root" /bin/busybox
	for a in $(/bin/busybox --list); do
		ln -s busybox "$root/usr/bin/$a" 2>/dev/null || true
	done
	for p in "${paths[@]}"; do
		rm -f "$root$p"
	done
	put_exe "$root" "${paths[@]}"
	ln -sf mawk "$root/usr/bin/awk"
	ln -sf bash "$root/usr/bin/sh"
	for m in modprobe insmod rmmod lsmod depmod modinfo; do
		ln -sf ../bin/kmod "$root/usr/sbin/$m"
		rm -f "$root/usr/bin/$m"
	done

	kver=$(basename "$(find "$kdir/lib/modules" -mindepth 1 -maxdepth 1 -type d)")
	mkdir -p "$root/usr/lib/modules"
	cp -a "$kdir/lib/modules/$kver" "$root/usr/lib/modules/"
	find "$root/usr/lib/modules/$kver" -name '*.ko.xz' -exec xz -d '{}' +
	depmod -b "$root" "$kver"

	echo 'root:x:0:0:root:/root:/bin/bash' >"$root/etc/passwd"
	echo 'root:x:0:' >"$root/etc/group"
	: >"$root/etc/fstab"
	install -m 0755 "$here/init" "$root/init"
	install -m 0755 "$here/hotplug" "$root/usr/sbin/cxl-vm-hotplug"

	rm -f "$cache"/initramfs-base-*
	(cd "$root" && find . -type f | sed 's/^\.//') >"$base.files"
	mkcpio "$root" "$tmp/base.cpio"
	mv "$tmp/base.cpio" "$base"
fi
while IFS= read -r f; do
	in_base[$f]=1
done <"$base.files"

# --- payload -------------------------------------------------------------
exes=()
while IFS= read -r -d '' f; do
	[ "$(head -c4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] && exes+=("$f")
done < <(find "$payload" -type f -perm -u+x -print0)
libs=$( { ldd "${exes[@]}" /dev/null 2>/dev/null || true; } |
	awk '/=> \// {print $3} /^\t\// {print $1}' | sort -u)
# shellcheck disable=SC2086
put "$payload" $libs
mkcpio "$payload" "$tmp/payload.cpio"

cat "$base" "$tmp/payload.cpio" >"$out"
