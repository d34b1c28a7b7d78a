#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The main job, on the sysfs simulator: install what is missing, build,
# then create a 2-way CXL RAM region whose memory comes online movable
# (with the kernel's auto-online policy set to "online"), show it,
# reconfigure it, and destroy it.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
meson compile -C build >/dev/null

profile=${1:-legacy}
exec test/sim/run --profile="$profile" --topology=qemu2 \
	--auto-online=online -- scripts/demo-steps.sh "$PWD/build/cxl/cxl"
