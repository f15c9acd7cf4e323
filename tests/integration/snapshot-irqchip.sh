#!/bin/bash
# Snapshots of testbench VMs with a GIC (--irqchip=gicv2 and gicv3, on 1
# and 2 vCPUs, paused and --live): the snap_gic guest keeps SPI 40
# active while SPI 41 and SGI 5 wait behind it (on 2 vCPUs, vCPU 1 also
# holds SGI 7 active and SGI 8 pending all along).  The snapshot must be
# caught in that state (read back from the GIC's attribute stream in the
# state file), and the VM restored in a new kvmkit process must go on
# with nothing lost or repeated: the original's output up to the
# snapshot's console byte followed by the restored output is the whole
# run, every round's EOI of 40 brings 41 then SGI 5 (the guest prints a
# FAIL line and exits 1 otherwise), and the guest's exit status is kept.
#
# Backends: the x86 testbench has only the software GICs (no kernel
# GIC on x86), so a stream saved from one backend restoring into the
# other is tested in the arm64 QEMU host, not here; restoring with
# --irqchip-backend=kernel is refused with one line.
. "$(dirname "$0")/lib.bash"
require_kvm
setup_run_dir

GUEST=$GUESTS/snap_gic.elf
[ -f "$GUEST" ] || make --no-print-directory guests >&2
ROUNDS=40
DELAY=5000	# the active-and-pending window: ~85% of a round here
STATUS=7
TRIES=5

# expected CHIP CPUS: the guest's whole output.
expected() {
	local i
	for ((i = 0; i < ROUNDS; i++)); do
		echo "round $i: SPI 40 active, SPI 41 and SGI 5 pending"
	done
	echo "$1: $ROUNDS rounds on $2 vCPU(s), nothing lost or repeated"
}

printed() { grep -q "^$2" "$work/$1.out" 2>/dev/null; }
reply_num() { grep -o "\"$2\":[0-9.]*" <<<"$1" | cut -d: -f2; }
le32() {
	printf '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) \
		$(($1 >> 16 & 255)) $(($1 >> 24 & 255))
}

# saved_reg DIR GROUP ATTR: the 32-bit value of the GIC stream's record
# (GROUP, ATTR) in DIR/state (records are 8-byte aligned in the file:
# le32 group, le32 length 4, le64 attr, then the value).
saved_reg() {
	local hdr attr hex
	hdr=$(le32 "$2")$(le32 4)
	attr=$(le32 $(($3 & 0xffffffff)))$(le32 $(($3 >> 32)))
	hex=$(od -An -tx1 -v -w8 "$1/state" | tr -d ' ' |
	      awk -v h="$hdr" -v a="$attr" \
		'p == 2 { print substr($0, 1, 8); exit } p == 1 { p = ($0 == a) ? 2 : 0 } p == 0 && $0 == h { p = 1 }')
	[ -n "$hex" ] || return 1
	echo $((16#${hex:6:2}${hex:4:2}${hex:2:2}${hex:0:2}))
}

# in_window DIR CHIP CPUS: the snapshot holds SPI 40 active, SPI 41 and
# SGI 5 pending on vCPU 0 (GICv2: from the right source vCPU).
in_window() {
	local act pend sgi
	act=$(saved_reg "$1" 1 0x304) && pend=$(saved_reg "$1" 1 0x204) ||
		return 1
	if [ "$2" = gicv3 ]; then
		sgi=$(saved_reg "$1" 5 0x10200) || return 1
		sgi=$((sgi >> 5 & 1))
	else
		sgi=$(saved_reg "$1" 1 0xf24) || return 1
		sgi=$((sgi >> 8 & 0xff))	# SGI 5's source vCPUs
		[ "$sgi" = $((1 << ($3 - 1))) ] && sgi=1
	fi
	[ $((act >> 8 & 1)) = 1 ] && [ $((pend >> 9 & 1)) = 1 ] && [ "$sgi" = 1 ]
}

# round_trip CHIP CPUS MODE
round_trip() {
	local chip=$1 cpus=$2 mode=$3 opt= reply bytes try lines0
	local t="$chip/${cpus}cpu/$mode" o="o-$chip-$cpus-$mode"
	local r="r-$chip-$cpus-$mode" dir="$work/snap-$chip-$cpus-$mode"
	[ "$mode" = live ] && opt=--live
	expected "$chip" "$cpus" >"$work/expected"
	"$KVMKIT" run --name "$o" --irqchip "$chip" -c "$cpus" \
		-p "$ROUNDS $DELAY $STATUS" "$GUEST" >"$work/$o.out" \
		2>"$work/$o.err" </dev/null &
	local opid=$!
	vm_pids+=("$opid")
	if ! wait_until 60 printed "$o" "round 4:"; then
		not_ok "$t: the guest runs"
		diag "$(head -c 600 "$work/$o.out" "$work/$o.err")"
		return 1
	fi
	for ((try = 1; try <= TRIES; try++)); do
		reply=$(kk snapshot $opt --json "$o" "$dir")
		grep -q '"ok":true' <<<"$reply" || break
		in_window "$dir" "$chip" "$cpus" && break
	done
	check "$t: snapshot succeeds" grep -q '"ok":true' <<<"$reply"
	diag "$reply"
	check "$t: it caught SPI 40 active, SPI 41 and SGI 5 pending (try $((try > TRIES ? TRIES : try)))" \
		in_window "$dir" "$chip" "$cpus"
	bytes=$(reply_num "$reply" console_bytes)
	lines0=$(lines "$work/$o.out")
	check "$t: the original goes on" \
		wait_until 30 eval '[ "$(lines "$work/$o.out")" -ge $((lines0 + 2)) ] || ! kill -0 $opid 2>/dev/null'
	kk stop "$o" >/dev/null 2>&1
	wait_exit "$opid" 30

	"$KVMKIT" restore "$dir" >"$work/$r.out" 2>"$work/$r.err" </dev/null &
	local rpid=$!
	vm_pids+=("$rpid")
	wait_exit "$rpid" 120
	check "$t: the restored guest exits with its status $STATUS (got $exit_status)" \
		[ "$exit_status" = "$STATUS" ]
	{ head -c "${bytes:-0}" "$work/$o.out"; cat "$work/$r.out"; } >"$work/joined"
	if cmp -s "$work/joined" "$work/expected"; then
		ok "$t: output up to the snapshot + restored output = the whole run"
	else
		not_ok "$t: output up to the snapshot + restored output = the whole run"
		diag "$(diff "$work/expected" "$work/joined" | head -8)"
		diag "$(head -c 400 "$work/$r.err")"
	fi
	# The one line auto prints when it falls back to the software GIC.
	check "$t: the restore printed nothing else on stderr" \
		eval '! grep -v "kernel device unavailable.*using the software model" "$work/$r.err"'
}

for chip in gicv2 gicv3; do
	for cpus in 1 2; do
		round_trip "$chip" "$cpus" paused
		round_trip "$chip" "$cpus" live
	done
done

# ---- options that can't restore it ------------------------------------------------
snap=$work/snap-gicv2-2-paused
if [ -f "$snap/state" ]; then
	expect_error 1 "restoring a gicv2 snapshot with --irqchip gicv3 is refused" \
		"interrupt controller is .gicv2., not .gicv3." "$KVMKIT" restore --irqchip gicv3 "$snap"
	expect_error 1 "--irqchip-backend kernel: no kernel GIC on x86, one line" \
		"arm-vgic-v2" "$KVMKIT" restore --irqchip-backend kernel "$snap"
fi

finish
