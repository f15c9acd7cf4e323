#!/usr/bin/env bash
# kvmkit's default arm64 Linux guest on a real arm64 KVM: in one QEMU
# arm64 host (--gic 3), boots the Debian arm64 kernel with the busybox
# initramfs (make arm64-linux-guest) under kvmkit with 2 vCPUs, once with
# the in-kernel GICv3 + ITS and once with the software GICv2.  Each time
# it waits for the shell prompt on the 8250 console, types commands into
# it (kvmkit's stdin -> UART RX interrupts), checks that both CPUs are
# online and that /proc/interrupts counts timer interrupts on both, then
# types `poweroff -f` and wants kvmkit to exit 0 ("guest powered off").
# Prints TAP and the times (guest boot-to-init by the guest's clock, wall
# time to the prompt and of the whole run) as '#' lines.  Exit 0 / 1, or
# 77 with a SKIP line when QEMU, the kernel, the cross compiler or arm64
# libfdt cannot be had.
set -eu

# shellcheck source=tests/tcg/lib.bash
. "$(dirname "$0")/lib.bash"
tcg_require libfdt

work=$(mktemp -d "${TMPDIR:-/tmp}/arm64-linux.XXXXXX")
trap 'rm -rf "$work"' EXIT

if ! make -s -C "$repo" ARCH=arm64 build/arm64/kvmkit arm64-linux-guest \
	>"$work/build.log" 2>&1; then
	echo "1..1"
	echo "not ok 1 - make ARCH=arm64 build/arm64/kvmkit arm64-linux-guest"
	sed 's/^/#   /' "$work/build.log"
	exit 1
fi

# Inside the host: boot NAME with kvmkit's extra ARGS, drive its shell
# through a fifo on kvmkit's stdin, print "ok - ..." lines and times.
cat >"$work/linux.sh" <<'EOF'
#!/bin/sh
name=$1
shift
up() { cut -d' ' -f1 /proc/uptime; }
since() { awk -v a="$1" -v b="$(up)" 'BEGIN { printf "%.1f", b - a }'; }
res() { if [ "$1" = 0 ]; then echo "ok - $name: $2"; else echo "not ok - $name: $2"; fi; }
out=/tmp/$name.out
rm -f /tmp/in "$out"
mkfifo /tmp/in
t0=$(up)
kvmkit run --loglevel info -c 2 -k /linux/Image -i /linux/initramfs.gz \
	-p quiet "$@" </tmp/in >"$out" 2>&1 &
pid=$!
exec 3>/tmp/in
# wait_for PATTERN SECONDS: the pattern in the output, kvmkit alive
wait_for() {
	i=0
	while ! grep -q -- "$1" "$out"; do
		kill -0 "$pid" 2>/dev/null || return 1
		[ "$i" -ge $(($2 * 10)) ] && return 1
		usleep 100000
		i=$((i + 1))
	done
}
wait_for 'kvmkit-guest:/root# ' 400
res $? "boots to the busybox shell prompt"
prompt=$(since "$t0")
echo 'echo "CPUS" "$(nproc)"' >&3
echo "awk '/arch_timer/ { print \"TIMER\" \"-COUNTS\", \$2, \$3 }' /proc/interrupts" >&3
echo 'cat /proc/interrupts' >&3
echo 'echo "DONE" "TYPING"' >&3
wait_for '^DONE TYPING' 120
res $? "console input reaches the shell (8250 RX interrupts)"
echo 'poweroff -f' >&3
i=0
while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 1200 ]; do
	usleep 100000
	i=$((i + 1))
done
kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
wait "$pid"
rc=$?
exec 3>&-
total=$(since "$t0")
tr -d '\r' <"$out" | sed "s/^/$name| /"
grep -q '^CPUS 2' "$out"
res $? "2 CPUs online"
counts=$(tr -d '\r' <"$out" | awk '$1 == "TIMER-COUNTS" { print $2, $3 }' | tail -n 1)
set -- $counts
[ "${1:-0}" -gt 0 ] && [ "${2:-0}" -gt 0 ]
res $? "/proc/interrupts counts timer interrupts on both CPUs (${1:-?}, ${2:-?})"
[ "$rc" = 0 ] && grep -q 'guest powered off' "$out"
res $? "poweroff -f ends the VM cleanly (exit $rc)"
init=$(tr -d '\r' <"$out" | sed -n 's/^kvmkit-guest: init reached \([0-9.]*\) s.*/\1/p')
echo "# $name: boot-to-init ${init:-?} s (guest clock), prompt after $prompt s, whole run $total s (wall, in the host)"
EOF
cat >"$work/inner.sh" <<'EOF'
#!/bin/sh
sh /linux.sh gicv3-its-kernel --irqchip=gicv3-its --irqchip-backend=kernel
sh /linux.sh gicv2-soft --irqchip=gicv2 --irqchip-backend=soft
echo "INNER-DONE"
EOF

n=0 failed=0
t0=$(now)
rc=0
"$qh" arm64 --gic 3 --timeout 1200 --add "$repo/build/arm64-linux:/linux" \
	--add "$work/linux.sh:/linux.sh" --add "$work/inner.sh:/inner.sh" \
	-- sh /inner.sh >"$work/host.out" 2>&1 || rc=$?
t1=$(now)
while IFS= read -r line; do
	case $line in
	"not ok - "*) n=$((n + 1)) failed=$((failed + 1)); echo "not ok $n - ${line#not ok - }" ;;
	"ok - "*) n=$((n + 1)); echo "ok $n - ${line#ok - }" ;;
	"# "*) echo "$line" ;;
	esac
done <"$work/host.out"
if ! grep -q INNER-DONE "$work/host.out"; then
	n=$((n + 1)) failed=$((failed + 1))
	echo "not ok $n - the host run finished (qemu-host status $rc)"
fi
if [ "$failed" -gt 0 ]; then
	grep -v '^\[ *[0-9.]*\] ' "$work/host.out" | tail -n 80 | sed 's/^/#   /'
fi
echo "# QEMU host (--gic 3) with both guest boots: wall $(elapsed "$t0" "$t1") s"
echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
