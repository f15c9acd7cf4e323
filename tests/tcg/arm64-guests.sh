#!/usr/bin/env bash
# The arm64 bare-metal guests on a real arm64 KVM: boots the QEMU arm64
# host (scripts/qemu-host) twice and runs guests/arm64/basic.manifest in
# it once per interrupt controller:
#
#   --gic 2 host:  gicv2 in-kernel, gicv2 software
#   --gic 3 host:  gicv3 in-kernel, gicv3-its in-kernel (+ gicv3.manifest),
#                  gicv2 software
#
# plus the irqchip choice (auto, fallbacks, refusals), --dump-dtb and
# --pmu.  Prints TAP (the inner `kvmkit test` results renumbered, with the
# configuration in each name) and wall times as '#' lines.  Exit 0 all
# passed, 1 some failed, 77 with a SKIP line when QEMU, the arm64 kernel,
# the cross compiler or arm64 libfdt cannot be had.  One QEMU at a time.
set -eu

# shellcheck source=tests/tcg/lib.bash
. "$(dirname "$0")/lib.bash"
tcg_require libfdt

work=$(mktemp -d "${TMPDIR:-/tmp}/arm64-guests.XXXXXX")
trap 'rm -rf "$work"' EXIT

t0=$(now)
if ! make -s -C "$repo" ARCH=arm64 build/arm64/kvmkit arm64-guests \
	>"$work/build.log" 2>&1; then
	echo "1..1"
	echo "not ok 1 - make ARCH=arm64 build/arm64/kvmkit arm64-guests"
	sed 's/^/#   /' "$work/build.log"
	exit 1
fi
echo "# build: $(elapsed "$t0" "$(now)") s"

# variant NAME PREFIX SRC: SRC with PREFIX before every args line and
# NAME/ before every test name.
variant() {
	sed -e "s|^args = |args = $2 |" -e "s|^\[\(.*\)\]|[$1/\1]|" "$3"
}

mkdir -p "$work/gic2" "$work/gic3"
basic=$repo/guests/arm64/basic.manifest
variant gicv2-kernel "--irqchip=gicv2 --irqchip-backend=kernel" "$basic" \
	>"$work/gic2/a-gicv2-kernel.manifest"
variant gicv2-soft "--irqchip=gicv2 --irqchip-backend=soft" "$basic" \
	>"$work/gic2/b-gicv2-soft.manifest"
variant gicv3-kernel "--irqchip=gicv3 --irqchip-backend=kernel" "$basic" \
	>"$work/gic3/a-gicv3-kernel.manifest"
variant gicv3-its-kernel "--irqchip=gicv3-its --irqchip-backend=kernel" \
	"$basic" >"$work/gic3/b-gicv3-its-kernel.manifest"
variant gicv3 "" "$repo/guests/arm64/gicv3.manifest" >"$work/gic3/c-gicv3.manifest"
variant gicv2-soft "--irqchip=gicv2 --irqchip-backend=soft" "$basic" \
	>"$work/gic3/d-gicv2-soft.manifest"

# The host side: the manifests, then checks that print "ok - ..." lines.
cat >"$work/inner.sh" <<'EOF'
#!/bin/sh
gic=$1
G=/build/guests/arm64
fails=0
check() { # check DESCRIPTION COMMAND...: ok if COMMAND succeeds
	d=$1
	shift
	if "$@" >/tmp/check.out 2>&1; then
		echo "ok - $d"
	else
		echo "not ok - $d"
		sed 's/^/#   /' /tmp/check.out
		fails=$((fails + 1))
	fi
}
run_has() { # run_has STATUS PATTERN KVMKIT-ARGS...
	st=$1 pat=$2
	shift 2
	kvmkit run --loglevel info "$@" >/tmp/run.out 2>&1
	rc=$?
	cat /tmp/run.out
	[ "$rc" = "$st" ] && grep -q -- "$pat" /tmp/run.out
}
dtb_has() { # dtb_has FILE STRING...: a DTB holding every STRING
	f=$1
	shift
	[ "$(od -An -tx1 -N4 "$f" | tr -d ' \n')" = d00dfeed ] || return 1
	for s; do grep -q -- "$s" "$f" || return 1; done
}
dump_has() { # dump_has "KVMKIT-ARGS" STRING...: --dump-dtb holds them
	args=$1
	shift
	kvmkit run --dump-dtb /tmp/g.dtb $args && dtb_has /tmp/g.dtb "$@"
}
start=$(cut -d' ' -f1 /proc/uptime)
kvmkit test -j 2 --guest-dir $G /t/*.manifest || fails=$((fails + 1))
end=$(cut -d' ' -f1 /proc/uptime)
echo "# manifests: $(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }') s"
if [ "$gic" = 2 ]; then
	check "auto picks the in-kernel GICv2" \
		run_has 0 "irqchip: gicv2 (in-kernel)" $G/hello.bin
	check "--irqchip=gicv3 falls back to the software GICv2" \
		run_has 0 "arm-vgic-v3: kernel device unavailable" \
		--irqchip=gicv3 -c 2 $G/timer.bin
	check "--irqchip=gicv3 --irqchip-backend=kernel fails" \
		run_has 1 "cannot create arm-vgic-v3" --irqchip=gicv3 \
		--irqchip-backend=kernel $G/hello.bin
	check "--dump-dtb holds the GICv2 and the 8250" \
		dump_has "-c 2 $G/hello.bin" arm,cortex-a15-gic ns16550a \
		arm,psci-0.2 arm,armv8-timer
else
	check "auto picks the in-kernel GICv3 + ITS" \
		run_has 0 "irqchip: gicv3-its (in-kernel)" $G/hello.bin
	check "--dump-dtb holds the GICv3, its ITS and the 8250" \
		dump_has "-c 2 -p console=ttyS0 $G/hello.bin" arm,gic-v3-its \
		msi-controller ns16550a kvmkit,msi-test linux,dummy-virt \
		console=ttyS0
	check "--pmu with the in-kernel GICv3 (PMU IRQ + INIT)" \
		dump_has "--pmu -c 2 $G/timer.bin" arm,armv8-pmuv3
	check "--pmu with the software GICv2 (PMU INIT only)" \
		run_has 0 "irqchip: gicv2 (software)" --pmu -c 2 \
		--irqchip-backend=soft $G/timer.bin
	check "the software GICv2 refuses 9 vCPUs" \
		run_has 1 "at most 8 vCPUs" -c 9 --irqchip-backend=soft $G/hello.bin
	check "--irqchip=mpic is refused" \
		run_has 1 "arm64 offers gicv2, gicv3, gicv3-its or auto" \
		--irqchip=mpic $G/hello.bin
fi
echo "INNER-DONE fails=$fails"
exit "$fails"
EOF

n=0 failed=0
emit() { # renumber the host's TAP lines, keep its diagnostics
	local prefix=$1 line
	while IFS= read -r line; do
		case $line in
		"not ok "*)
			n=$((n + 1)) failed=$((failed + 1))
			echo "not ok $n - $prefix: $(echo "${line#not ok }" | sed 's/^[0-9]* *- //')" ;;
		"ok "*)
			n=$((n + 1))
			echo "ok $n - $prefix: $(echo "${line#ok }" | sed 's/^[0-9]* *- //')" ;;
		"# "*) echo "$line" ;;
		esac
	done
}

host() { # host GIC: one QEMU host run over $work/gicGIC
	local gic=$1 rc=0 t0 t1
	t0=$(now)
	"$qh" arm64 --gic "$gic" --timeout 600 --add "$work/gic$gic:/t" \
		--add "$work/inner.sh:/inner.sh" -- sh /inner.sh "$gic" \
		>"$work/host$gic.out" 2>&1 || rc=$?
	t1=$(now)
	emit "gic$gic" <"$work/host$gic.out"
	if ! grep -q "INNER-DONE" "$work/host$gic.out"; then
		n=$((n + 1)) failed=$((failed + 1))
		echo "not ok $n - gic$gic: the host run finished (status $rc)"
		tail -n 30 "$work/host$gic.out" | sed 's/^/#   /'
	fi
	echo "# gic$gic host: exit $rc, wall $(elapsed "$t0" "$t1") s"
}

host 2
host 3
echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
