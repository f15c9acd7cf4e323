#!/usr/bin/env bash
# The GIC attribute streams (gicv2_stream_ops, gicv3_stream_ops) between
# the kernel's vGIC and the software models, on a real arm64 KVM: builds
# tests/tcg/gic_stream_cross.c (make ARCH=arm64 gic-stream-cross) and
# runs it in a --gic 3 QEMU arm64 host (vGICv3 with an ITS) and a --gic 2
# host (vGICv2).  Each programs the same state into both backends, checks
# they save the same records, and restores each stream into each backend
# (kernel->kernel, kernel->model, model->kernel, model->model), which
# must save the same records again.
# TAP; exit 0 all passed, 1 some failed, 77 with a SKIP line when QEMU,
# the arm64 kernel or the cross compiler cannot be had.  One QEMU at a
# time.
set -eu

# shellcheck source=tests/tcg/lib.bash
. "$(dirname "$0")/lib.bash"
out=build/arm64-gic-stream
tcg_require

work=$(mktemp -d "${TMPDIR:-/tmp}/arm64-gic-stream.XXXXXX")
trap 'rm -rf "$work"' EXIT

if ! make -s -C "$repo" ARCH=arm64 O="$out" gic-stream-cross \
	>"$work/build.log" 2>&1; then
	echo "1..1"
	echo "not ok 1 - make ARCH=arm64 gic-stream-cross"
	sed 's/^/#   /' "$work/build.log"
	exit 1
fi
prog=$repo/$out/tests/tcg/gic-stream-cross

n=0 failed=0 skipped=0
# host GIC MODE: one QEMU host running gic-stream-cross MODE; its TAP
# lines renumbered into ours.
host() {
	local gic=$1 mode=$2 rc=0 line seen=0
	"$qh" arm64 --gic "$gic" --timeout 300 --no-default \
		--add "$prog:/bin/gic-stream-cross" -- gic-stream-cross "$mode" \
		>"$work/gic$gic.out" 2>&1 || rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "[0-9]*)
			n=$((n + 1)) seen=1
			echo "ok $n - gic$gic: ${line#ok [0-9]* - }" ;;
		"not ok "[0-9]*)
			n=$((n + 1)) seen=1 failed=$((failed + 1))
			echo "not ok $n - gic$gic: ${line#not ok [0-9]* - }" ;;
		"1..0 # SKIP"*)
			skipped=$((skipped + 1))
			echo "# gic$gic: ${line#1..0 }" ;;
		"#"*) echo "$line" ;;
		esac
	done <"$work/gic$gic.out"
	if { [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ] && [ "$rc" -ne 77 ]; } ||
	   { [ "$rc" -eq 1 ] && [ "$seen" -eq 0 ]; }; then
		n=$((n + 1)) failed=$((failed + 1))
		echo "not ok $n - gic$gic: gic-stream-cross $mode ran (status $rc)"
		grep -v '^\(ok\|not ok\|#\)' "$work/gic$gic.out" | tail -20 |
			sed 's/^/#   /'
	fi
}

host 3 v3
host 2 v2
if [ "$n" -eq 0 ] && [ "$skipped" -gt 0 ]; then
	skip "the hosts' kernels have no vGIC devices"
fi
echo "1..$n"
[ "$failed" -eq 0 ]
