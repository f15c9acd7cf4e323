#!/usr/bin/env bash
# GIC conformance on a real arm64 KVM: builds tests/tcg/conformance/
# (make ARCH=arm64 gic-conformance) and runs it in two QEMU arm64 hosts:
#
#   --gic 3 host:  gic-conformance v3  (in-kernel vGICv3 + ITS against
#                                       the software GICv3 and ITS)
#   --gic 2 host:  gic-conformance v2  (in-kernel vGICv2 against the
#                                       software GICv2)
#
# Each run does the same attribute writes and reads, ITS commands, MSIs
# and table saves/restores on both backends and compares every result
# and every table byte; kept differences are named in docs/conformance.md.
# Prints TAP (the program's lines renumbered, the host in each name) and
# the wall time of each host as '#' lines.  Exit 0 all passed, 1 some
# failed, 77 with a SKIP line when QEMU, the arm64 kernel or the cross
# compiler cannot be had.  One QEMU at a time.
set -eu

# shellcheck source=tests/tcg/lib.bash
. "$(dirname "$0")/lib.bash"
out=build/arm64-conformance
tcg_require

work=$(mktemp -d "${TMPDIR:-/tmp}/arm64-conformance.XXXXXX")
trap 'rm -rf "$work"' EXIT

t0=$(now)
if ! make -s -C "$repo" ARCH=arm64 O="$out" gic-conformance \
	>"$work/build.log" 2>&1; then
	echo "1..1"
	echo "not ok 1 - make ARCH=arm64 gic-conformance"
	sed 's/^/#   /' "$work/build.log"
	exit 1
fi
echo "# build: $(elapsed "$t0" "$(now)") s"
prog=$repo/$out/tests/tcg/gic-conformance

n=0 failed=0 skipped=0
# host GIC MODE: one QEMU host running gic-conformance MODE; its TAP
# lines renumbered into ours.
host() {
	local gic=$1 mode=$2 rc=0 t0 t1 line seen=0
	t0=$(now)
	"$qh" arm64 --gic "$gic" --timeout 600 --no-default \
		--add "$prog:/bin/gic-conformance" -- gic-conformance "$mode" \
		>"$work/gic$gic.out" 2>&1 || rc=$?
	t1=$(now)
	echo "# gic$gic host ($mode): exit $rc, wall $(elapsed "$t0" "$t1") s"
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
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ] && [ "$rc" -ne 77 ]; then
		n=$((n + 1)) failed=$((failed + 1))
		echo "not ok $n - gic$gic: the host run finished (status $rc)"
		grep -v '^\(ok\|not ok\|#\)' "$work/gic$gic.out" | tail -20 |
			sed 's/^/#   /'
	elif [ "$rc" -eq 1 ] && [ "$seen" -eq 0 ]; then
		n=$((n + 1)) failed=$((failed + 1))
		echo "not ok $n - gic$gic: gic-conformance $mode failed"
		grep -v '^#' "$work/gic$gic.out" | tail -20 | sed 's/^/#   /'
	fi
}

host 3 v3
host 2 v2
if [ "$n" -eq 0 ] && [ "$skipped" -gt 0 ]; then
	skip "the hosts' kernels have no vGIC devices"
fi
echo "1..$n"
[ "$failed" -eq 0 ]
