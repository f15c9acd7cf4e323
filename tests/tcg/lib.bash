# shellcheck shell=bash
# The shared start of the tests in the QEMU arm64 host (tests/tcg/arm64-*.sh):
# paths, SKIP (a TAP SKIP line and exit 77), wall-time helpers, and the
# check that the host, the cross compiler and, when asked, arm64 libfdt
# can be had.  Sourced, not run.

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
qh=$repo/scripts/qemu-host
tcg_test=tests/tcg/$(basename "$0")

skip() {
	echo "1..0 # SKIP $*"
	echo "SKIP: $tcg_test: $*" >&2
	exit 77
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# tcg_require [libfdt]: skip unless the QEMU arm64 host, aarch64-linux-gnu-gcc
# (and arm64 libfdt, for kvmkit itself) can be had.
tcg_require() {
	"$repo/scripts/fetch-arm64-host" >/dev/null ||
		skip "the QEMU arm64 host cannot be had (scripts/fetch-arm64-host failed)"
	command -v aarch64-linux-gnu-gcc >/dev/null ||
		skip "no aarch64-linux-gnu-gcc (apt-get install gcc-aarch64-linux-gnu)"
	[ "${1:-}" != libfdt ] || "$repo/scripts/cross-sysroot" arm64 >/dev/null ||
		skip "no arm64 libfdt (scripts/cross-sysroot arm64 failed)"
}
