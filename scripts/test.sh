#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what is missing, build with AddressSanitizer/UBSan and warnings
# as errors, and run every test suite. This is what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

vm=
[ -d test/vm ] && vm=--vm
scripts/install-deps.sh $vm

# the prefix is meson's default; set here too for build directories set up
# when it was /usr (the install test must not install over ndctl's cxl)
opts=(-Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false
	-Dbuildtype=debugoptimized --prefix=/usr/local)
if [ -f build/build.ninja ]; then
	meson configure build "${opts[@]}" >/dev/null
else
	meson setup build "${opts[@]}" >/dev/null
fi
meson compile -C build
meson test -C build --print-errorlogs --num-processes 2 "$@"
