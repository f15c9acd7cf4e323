#!/usr/bin/env bash
# shellcheck disable=SC2317 # functions called through check()
# Smoke test of scripts/qemu-host: boots the arm64 KVM host with GICv3 and
# GICv2, runs tests/tcg/kvm-probe in it, and checks (TAP) that the exit
# status propagates and that the expected in-kernel irqchips are reported.
# Also checks argument quoting, --add, --env, the timeout and a host that
# stops without a status.  Exit 0 all ok, 1 some failed, 77 SKIP (no QEMU,
# kernel or cross compiler to be had).  Runs one QEMU at a time.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
qh=$repo/scripts/qemu-host
# shellcheck source=scripts/lib/qemu-host.sh
. "$repo/scripts/lib/qemu-host.sh"

skip() {
	echo "1..0 # SKIP $*"
	echo "SKIP: tests/tcg/smoke.sh: $*"
	echo "SKIP: tests/tcg/smoke.sh: $*" >&2
	exit 77
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# Cold fetch (or quiet no-op when cached).
t0=$(now)
"$repo/scripts/fetch-arm64-host" ||
	skip "the QEMU arm64 host cannot be had (scripts/fetch-arm64-host failed)"
t1=$(now)
echo "# fetch: $(elapsed "$t0" "$t1") s"

CC=${CROSS_CC:-aarch64-linux-gnu-gcc}
QH_PROG=smoke.sh qh_need_tool "$CC" gcc-aarch64-linux-gnu ||
	skip "no $CC (apt-get install gcc-aarch64-linux-gnu failed)"

work=$(mktemp -d "${TMPDIR:-/tmp}/kvmkit-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
check() { # check DESCRIPTION COMMAND...
	local d=$1
	shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}
has() { grep -q -- "$2" "$1"; }
exits_2() { local rc=0; "$qh" "$@" 2>/dev/null || rc=$?; [ "$rc" -eq 2 ]; }
diag() { sed 's/^/#   /' "$1"; }

echo "1..18"

probe=$work/kvm-probe
check "kvm-probe builds with $CC -static" \
	"$CC" -static -O2 -Wall -Wextra -Werror -o "$probe" "$here/kvm-probe.c"

# run NAME QEMU-HOST-ARGS...: output in $work/NAME.out, status in
# $work/NAME.rc; wall time to the exit marker and of the whole run reported.
run() {
	local name=$1 rc t0 t1 tm='' line
	shift
	t0=$(now)
	set +e
	"$qh" "$@" 2>"$work/$name.err" | while IFS= read -r line; do
		printf '%s\n' "$line"
		case $line in *KVMKIT-QEMU-HOST-EXIT=*) now >"$work/$name.tm" ;; esac
	done >"$work/$name.out"
	rc=${PIPESTATUS[0]}
	set -e
	t1=$(now)
	echo "$rc" >"$work/$name.rc"
	[ ! -s "$work/$name.tm" ] || tm="marker after $(elapsed "$t0" "$(cat "$work/$name.tm")") s, "
	echo "# $name: exit $rc; ${tm}whole run $(elapsed "$t0" "$t1") s"
}
status_is() { [ "$(cat "$work/$1.rc")" = "$2" ]; }

# Initramfs build time alone (same content as a probe run).
t0=$(now)
printf 'set -- /bin/kvm-probe 42\n' >"$work/cmd"
qh_build_initramfs "$work/initrd.gz" "$QH_ARM64_BUSYBOX" "$work/cmd" \
	"$probe" /bin/kvm-probe
t1=$(now)
echo "# initramfs build: $(elapsed "$t0" "$t1") s ($(wc -c <"$work/initrd.gz") bytes)"

run gic3 arm64 --gic 3 --timeout 120 --add "$probe:/bin/kvm-probe" -- kvm-probe 42
diag "$work/gic3.out"
check "gic 3: exit status 42 propagates" status_is gic3 42
check "gic 3: KVM_GET_API_VERSION is 12" has "$work/gic3.out" '^api_version=12$'
check "gic 3: KVM_CAP_DEVICE_CTRL" has "$work/gic3.out" '^cap_device_ctrl=[1-9]'
check "gic 3: KVM_CAP_ARM_USER_IRQ" has "$work/gic3.out" '^cap_arm_user_irq=[1-9]'
check "gic 3: VGIC_V3 reported" has "$work/gic3.out" '^vgic_v3=yes$'
check "gic 3: VGIC_ITS reported" has "$work/gic3.out" '^vgic_its=yes$'

run gic2 arm64 --gic 2 --timeout 120 --add "$probe:/bin/kvm-probe" -- kvm-probe 43
diag "$work/gic2.out"
check "gic 2: exit status 43 propagates" status_is gic2 43
check "gic 2: VGIC_V2 reported" has "$work/gic2.out" '^vgic_v2=yes$'
check "gic 2: no VGIC_V3" has "$work/gic2.out" '^vgic_v3=no'

run zero arm64 --add "$probe:/bin/kvm-probe" -- kvm-probe 0
check "exit status 0 propagates" status_is zero 0

# Arguments with spaces and quotes, --add to a directory, --env.
echo "added file" >"$work/data.txt"
# shellcheck disable=SC2016 # expanded inside the host
run misc arm64 --no-default --add "$work/data.txt:/srv/" --env "GREETING=it's here" \
	-- sh -c 'test "$1" = "a b'\''c \$x" && test "$GREETING" = "it'\''s here" &&
		test "$(cat /srv/data.txt)" = "added file" && test "$(pwd)" = / &&
		test ! -e /bin/kvm-probe' sh "a b'c \$x"
diag "$work/misc.out"
check "arguments, --add and --env arrive intact" status_is misc 0

run missing arm64 --no-default -- /no/such/command
check "a missing command gives 127" status_is missing 127

run timeout arm64 --no-default --timeout 4 -- sleep 600
check "--timeout 4 kills QEMU and exits 124" status_is timeout 124
check "the timeout is named in one line" has "$work/timeout.err" 'timeout.*--timeout 4'

run nomarker arm64 --no-default -- poweroff -f
check "a host that stops without a status exits 125" status_is nomarker 125

check "usage errors exit 2" exits_2 arm64 --gic 4 -- true
check "unknown architecture exits 2" exits_2 s390x -- true

[ "$failed" -eq 0 ] || { echo "# $failed of $n failed"; exit 1; }
exit 0
