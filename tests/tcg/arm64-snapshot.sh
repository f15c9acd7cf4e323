#!/usr/bin/env bash
# Snapshots of arm64 VMs on a real arm64 KVM, in two QEMU arm64 hosts.
#
# --gic 3 host, in-kernel GICv3 + ITS:
#  - the bare-metal guest snapshot.bin on 3 vCPUs, 2 of them started
#    (timers on both, MSIs from msi-test to LPIs on both through the ITS)
#    is snapshotted (plain and --live) while running, and goes on to pass
#    its own checks; each snapshot is restored in a new kvmkit: its
#    console answers ('p'), and its final checks ('q': timers still tick
#    on both vCPUs, new MSIs still arrive as LPIs on both, the third vCPU
#    is still off) pass before it powers off;
#  - the same with --pmu (the PMU registers and feature restored);
#  - restores that must fail with one line: too few vCPUs, another
#    --irqchip, the software backend for a GICv3, a missing memory file,
#    a state file with one byte changed, a saved register value KVM
#    refuses (tests/tcg/snap-setreg.c rewrites it and the CRC);
#  - the Debian arm64 Linux guest (make arm64-linux-guest) on 2 vCPUs is
#    booted to its shell, snapshotted (plain and --live), stopped, and
#    each snapshot restored: a command typed into its console is
#    answered, /proc/interrupts counts timer interrupts growing on both
#    CPUs, `poweroff -f` ends it.
# --gic 2 host: the same two guests on the in-kernel GICv2, each restored
# into the software GICv2 (--irqchip-backend=soft).
#
# ARM64_O=DIR builds kvmkit in another object directory (default
# build/arm64).
# TAP; exit 0 / 1, or 77 with a SKIP line when QEMU, the kernel, the
# cross compiler or arm64 libfdt cannot be had.
set -eu

# shellcheck source=tests/tcg/lib.bash
. "$(dirname "$0")/lib.bash"
tcg_require libfdt

work=$(mktemp -d "${TMPDIR:-/tmp}/arm64-snapshot.XXXXXX")
trap 'rm -rf "$work"' EXIT

# ARM64_O: another object directory for kvmkit (default build/arm64).
obj=${ARM64_O:-build/arm64}
case $obj in /*) kvmkit_bin=$obj/kvmkit ;; *) kvmkit_bin=$repo/$obj/kvmkit ;; esac
if ! make -s -C "$repo" ARCH=arm64 O="$obj" "$obj/kvmkit" arm64-guests \
	arm64-linux-guest >"$work/build.log" 2>&1 ||
	! aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror \
		-o "$work/snap-setreg" "$here/snap-setreg.c" >>"$work/build.log" 2>&1; then
	echo "1..1"
	echo "not ok 1 - make ARCH=arm64 O=$obj $obj/kvmkit arm64-guests arm64-linux-guest; tests/tcg/snap-setreg.c"
	sed 's/^/#   /' "$work/build.log"
	exit 1
fi

# The helpers every inner script uses (busybox sh in the host).
cat >"$work/lib.sh" <<'EOF'
trap '' PIPE
up() { cut -d' ' -f1 /proc/uptime; }
since() { awk -v a="$1" -v b="$(up)" 'BEGIN { printf "%.1f", b - a }'; }
res() { if [ "$1" = 0 ]; then echo "ok - $2"; else echo "not ok - $2"; fi; }
# wait_for FILE PATTERN SECONDS PID: PATTERN in FILE while PID lives
wait_for() {
	i=0
	while ! tr -d '\r' <"$1" | grep -q -- "$2"; do
		# It may have printed the pattern just before it exited.
		if ! kill -0 "$4" 2>/dev/null; then
			tr -d '\r' <"$1" | grep -q -- "$2"
			return
		fi
		[ "$i" -ge $(($3 * 10)) ] && return 1
		usleep 100000
		i=$((i + 1))
	done
}
# wait_exit PID SECONDS: its status in $rc (137: killed after SECONDS)
wait_exit() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ "$i" -lt $(($2 * 10)) ]; do
		usleep 100000
		i=$((i + 1))
	done
	kill -0 "$1" 2>/dev/null && kill -9 "$1"
	wait "$1"
	rc=$?
}
# show NAME FILE: the output for the log, prefixed
show() {
	tr -d '\r' <"$2" | sed "s/^/$1| /"
	echo	# the guest's last line may have no newline
}
# snap NAME VM DIR [--live]: kvmkit snapshot, its line logged
snap() {
	kvmkit snapshot $4 "$2" "$3" >/tmp/snap.out 2>&1
	r=$?
	sed "s/^/# $1: /" /tmp/snap.out
	res $r "$1: kvmkit snapshot ${4:+$4 }of the running VM"
}
# one_line NAME DESC PATTERN ARGS...: restore fails, exit 1, one line
one_line() {
	ol_name=$1 ol_desc=$2 ol_pat=$3
	shift 3
	kvmkit restore "$@" </dev/null >/tmp/err.out 2>&1
	r=$?
	show "$ol_name" /tmp/err.out
	[ "$r" = 1 ] && [ "$(wc -l </tmp/err.out)" = 1 ] &&
		grep -q -- "$ol_pat" /tmp/err.out
	res $? "$ol_name: $ol_desc: exit 1 ($r) with one line saying '$ol_pat'"
}
EOF

# The bare-metal guest: NAME, restore args (RARGS), then run args.
cat >"$work/bare.sh" <<'EOF'
. /lib.sh
name=$1 rargs=$2
shift 2
mkfifo /tmp/$name.in
# 3 vCPUs, the third never started: it must stay off (mp_state).
kvmkit run --name $name -c 3 -p up=2 "$@" /build/guests/arm64/snapshot.bin \
	</tmp/$name.in >/tmp/$name.out 2>&1 &
pid=$!
exec 3>/tmp/$name.in
wait_for /tmp/$name.out '^snapshot: ready, 2 vCPU' 60 $pid
res $? "$name: guest ready ($(tr -d '\r' </tmp/$name.out | sed -n 's/^snapshot: ready, //p'))"
what=
grep -q '^snapshot: ready.*ITS' /tmp/$name.out &&
	what=", new MSIs arrive as LPIs on both"
snap $name $name /tmp/$name.plain
snap $name $name /tmp/$name.live --live
# The original goes on too, and passes the same checks.
printf q >&3
wait_exit $pid 30
exec 3>&-
show $name-original /tmp/$name.out
[ "$rc" = 0 ] && grep -q '^snapshot: after-restore checks passed' /tmp/$name.out
res $? "$name: the original VM still passes its checks after two snapshots (exit $rc)"
for kind in plain live; do
	dir=/tmp/$name.$kind
	out=/tmp/$name.$kind.out
	mkfifo $dir.in
	t0=$(up)
	kvmkit restore --loglevel info $rargs $dir <$dir.in >$out 2>&1 &
	pid=$!
	exec 4>$dir.in
	printf p >&4
	wait_for $out '^snapshot: status: ticks' 30 $pid
	res $? "$name: $kind snapshot restored (${rargs:-same backend}): the console answers"
	printf q >&4
	wait_for $out '^snapshot: after-restore checks passed' 60 $pid
	res $? "$name: $kind: timers tick on both vCPUs$what after the restore; vCPU 2, never started, is still off"
	wait_exit $pid 30
	exec 4>&-
	show $name-$kind /tmp/$name.$kind.out
	[ "$rc" = 0 ] && grep -q 'guest powered off' $out
	res $? "$name: $kind: the restored guest powers off cleanly (exit $rc) after $(since $t0) s"
done
EOF

# Linux: NAME, restore args, then run args.  Boots to the shell, takes
# both snapshots, stops, restores each and talks to it.
cat >"$work/linux.sh" <<'EOF'
. /lib.sh
name=$1 rargs=$2
shift 2
# timers FILE TAG: the arch_timer counts of CPU0 and CPU1 under TAG
timers() {
	tr -d '\r' <"$1" | awk -v t="$2" '$1 == t { print $2, $3 }' | tail -n 1
}
mkfifo /tmp/$name.in
t0=$(up)
kvmkit run --name $name -c 2 -m 256M -k /linux/Image -i /linux/initramfs.gz \
	-p quiet "$@" </tmp/$name.in >/tmp/$name.out 2>&1 &
pid=$!
exec 3>/tmp/$name.in
wait_for /tmp/$name.out 'kvmkit-guest:/root# ' 400 $pid
res $? "$name: Linux boots to its shell ($(since $t0) s)"
echo "awk '/arch_timer/ { print \"TIMER\" \"-BEFORE\", \$2, \$3 }' /proc/interrupts" >&3
wait_for /tmp/$name.out '^TIMER-BEFORE' 60 $pid
before=$(timers /tmp/$name.out TIMER-BEFORE)
snap $name $name /tmp/$name.plain
snap $name $name /tmp/$name.live --live
kill $pid
wait_exit $pid 30
exec 3>&-
show $name-original /tmp/$name.out
for kind in plain live; do
	dir=/tmp/$name.$kind
	out=/tmp/$name.$kind.out
	mkfifo $dir.in
	t0=$(up)
	kvmkit restore --loglevel info $rargs $dir <$dir.in >$out 2>&1 &
	pid=$!
	exec 4>$dir.in
	echo 'echo "ANSWER" "$((6 * 7))" "$(nproc)"' >&4
	# The first answer of a GICv2 restored into the software one can
	# take 10-20 s here (docs/arm64.md).
	wait_for $out '^ANSWER 42 2' 120 $pid
	res $? "$name: $kind snapshot restored (${rargs:-same backend}): the shell answers, 2 CPUs ($(since $t0) s)"
	echo "awk '/arch_timer/ { print \"TIMER\" \"-A\", \$2, \$3 }' /proc/interrupts" >&4
	echo 'sleep 1' >&4
	echo "awk '/arch_timer/ { print \"TIMER\" \"-B\", \$2, \$3 }' /proc/interrupts" >&4
	echo 'echo "DONE" "TYPING"' >&4
	wait_for $out '^DONE TYPING' 60 $pid
	a=$(timers $out TIMER-A)
	b=$(timers $out TIMER-B)
	set -- $before $a $b
	[ "${3:-0}" -ge "${1:-1}" ] && [ "${4:-0}" -ge "${2:-1}" ] &&
		[ "${5:-0}" -gt "${3:-0}" ] && [ "${6:-0}" -gt "${4:-0}" ]
	res $? "$name: $kind: timer interrupts counted on both CPUs grow (before the snapshot: $before; after the restore: $a, a second later: $b)"
	echo 'poweroff -f' >&4
	wait_exit $pid 60
	exec 4>&-
	show $name-$kind $out
	[ "$rc" = 0 ] && grep -q 'guest powered off' $out
	res $? "$name: $kind: poweroff -f ends the restored VM cleanly (exit $rc)"
	rm -rf $dir
done
EOF

cat >"$work/errors.sh" <<'EOF'
. /lib.sh
d=/tmp/its.plain
one_line errors "3-vCPU snapshot, --cpus 2" "too few" -c 2 $d
one_line errors "gicv3-its snapshot, --irqchip gicv2" \
	"interrupt controller is 'gicv3-its', not 'gicv2'" --irqchip gicv2 $d
one_line errors "gicv3-its snapshot, --irqchip-backend=soft" "no software GICv3" \
	--irqchip-backend=soft $d
mkdir /tmp/bad
cp $d/state /tmp/bad/state
one_line errors "a snapshot without its memory file" "memory file" /tmp/bad
ln -s $d/memory-* /tmp/bad/
printf 'X' | dd of=/tmp/bad/state bs=1 seek=200 conv=notrunc 2>/dev/null
one_line errors "a state file with one byte changed" "CRC" /tmp/bad
# A register value KVM refuses (PSCI version 2.1), CRC made right.
cp $d/state /tmp/bad/state
snap-setreg /tmp/bad/state 0x6030000000140000 0x20001 >/dev/null
one_line errors "a saved PSCI_VERSION of 2.1" \
	"KVM refused register 0x6030000000140000 (PSCI_VERSION)" /tmp/bad
rm -rf /tmp/bad
EOF

cat >"$work/gic3.sh" <<'EOF'
sh /bare.sh its "" --irqchip=gicv3-its --irqchip-backend=kernel
sh /errors.sh
rm -rf /tmp/its.*
sh /bare.sh its-pmu "" --irqchip=gicv3-its --pmu
rm -rf /tmp/its-pmu.*
sh /linux.sh linux-its "" --irqchip=gicv3-its --irqchip-backend=kernel
echo "INNER-DONE"
EOF
cat >"$work/gic2.sh" <<'EOF'
sh /bare.sh gicv2 --irqchip-backend=soft --irqchip=gicv2 --irqchip-backend=kernel
rm -rf /tmp/gicv2.*
sh /linux.sh linux-gicv2 --irqchip-backend=soft --irqchip=gicv2 --irqchip-backend=kernel
echo "INNER-DONE"
EOF

n=0 failed=0
# host GIC, inner script
run_host() {
	local gic=$1 inner=$2 rc=0 t0 t1

	t0=$(now)
	"$qh" arm64 --gic "$gic" --mem 2048 --timeout 900 --no-default \
		--add "$kvmkit_bin:/bin/kvmkit" \
		--add "$repo/build/guests/arm64:/build/guests/arm64" \
		--add "$repo/build/arm64-linux:/linux" \
		--add "$work/lib.sh:/lib.sh" --add "$work/bare.sh:/bare.sh" \
		--add "$work/linux.sh:/linux.sh" \
		--add "$work/errors.sh:/errors.sh" \
		--add "$work/snap-setreg:/bin/snap-setreg" \
		--add "$work/$inner:/inner.sh" \
		-- sh /inner.sh >"$work/host$gic.out" 2>&1 || rc=$?
	t1=$(now)
	while IFS= read -r line; do
		case $line in
		"not ok - "*) n=$((n + 1)) failed=$((failed + 1)); echo "not ok $n - ${line#not ok - }" ;;
		"ok - "*) n=$((n + 1)); echo "ok $n - ${line#ok - }" ;;
		"# "*) echo "$line" ;;
		esac
	done <"$work/host$gic.out"
	if ! grep -q INNER-DONE "$work/host$gic.out"; then
		n=$((n + 1)) failed=$((failed + 1))
		echo "not ok $n - the --gic $gic host run finished (qemu-host status $rc)"
	fi
	if [ "$failed" -gt 0 ]; then
		grep -v '^\[ *[0-9.]*\] ' "$work/host$gic.out" | tail -n 120 |
			sed 's/^/#   /'
	fi
	echo "# QEMU host --gic $gic: wall $(elapsed "$t0" "$t1") s"
}
run_host 3 gic3.sh
run_host 2 gic2.sh
echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
