#!/bin/bash
# kvmkit snapshot / restore on the x86 testbench: a counting guest is
# snapshotted mid-run (paused and live), restored in a new process, and
# the original's output up to the snapshot's console byte followed by the
# restored VM's output must be the whole count, nothing lost or repeated,
# with exit status 0.  Then: restoring twice, a snapshot of a restored
# VM, memory dirtied during a live snapshot, every corrupt-file case and
# failed snapshots that must leave the previous one intact.  VMs with a
# GIC: snapshot-irqchip.sh.
. "$(dirname "$0")/lib.bash"
require_kvm
setup_run_dir

DIRTY=$GUESTS/dirty.elf
[ -f "$DIRTY" ] || make --no-print-directory guests >&2
LIMIT=300
seq -f 'count %g' 0 $((LIMIT - 1)) >"$work/expected"
echo "counted to $LIMIT" >>"$work/expected"

# counter NAME [run args]: a counter guest that counts to $LIMIT.
counter() {
	local name=$1
	shift
	"$KVMKIT" run --name "$name" "$@" -p "$LIMIT 1000" "$COUNTER" \
		>"$work/$name.out" 2>"$work/$name.err" </dev/null &
	vm_pid=$!
	vm_pids+=("$vm_pid")
}

# restore_bg NAME DIR [args]: kvmkit restore in the background.
restore_bg() {
	local name=$1 dir=$2
	shift 2
	"$KVMKIT" restore "$@" "$dir" >"$work/$name.out" 2>"$work/$name.err" \
		</dev/null &
	vm_pid=$!
	vm_pids+=("$vm_pid")
}

printed() { grep -q "^$2\$" "$work/$1.out" 2>/dev/null; }
passes() { grep -c '^pass' "$work/$1.out"; }
reply_num() { grep -o "\"$2\":[0-9.]*" <<<"$1" | cut -d: -f2; }

# joined ORIG BYTES RESTORED: ORIG's output cut at BYTES, then RESTORED's
# equals the whole count.
joined() {
	{ head -c "$2" "$work/$1.out"; cat "$work/$3.out"; } >"$work/joined"
	cmp -s "$work/joined" "$work/expected"
}

show_join() {
	diag "$(diff "$work/expected" "$work/joined" | head -8)"
	diag "$(head -c 300 "$work/$1.err")"
}

# round_trip MODE: snapshot a counter (paused or --live), restore it.
round_trip() {
	local mode=$1 o="orig-$1" r="rest-$1" dir="$work/snap-$1" reply bytes
	local opt=
	[ "$mode" = live ] && opt=--live
	counter "$o" -c 2
	local opid=$vm_pid
	if ! wait_until 30 printed "$o" "count 40"; then
		not_ok "$mode: the counter runs"
		diag "$(cat "$work/$o.err")"
		return 1
	fi
	reply=$(kk snapshot $opt --json "$o" "$dir")
	check "$mode: snapshot succeeds" grep -q '"ok":true' <<<"$reply"
	diag "$reply"
	bytes=$(reply_num "$reply" console_bytes)
	check "$mode: the reply has the console byte count ($bytes)" \
		[ -n "$bytes" ] && [ "$bytes" -gt 0 ]
	if [ "$mode" = live ]; then
		check "live: the reply says live, with at least one round" \
			eval '[[ "$reply" == *"\"live\":true"* ]] && [ "$(reply_num "$reply" rounds)" -ge 1 ]'
	fi
	check "$mode: DIR holds state and one memory file" \
		eval '[ -f "$dir/state" ] && [ "$(ls "$dir" | grep -c "^memory-[0-9]*$")" = 1 ]'
	check "$mode: the original goes on counting" \
		wait_until 20 printed "$o" "count $((${bytes:-0} / 10 + 60))"
	kk stop "$o" >/dev/null
	wait_exit "$opid" 30

	restore_bg "$r" "$dir"
	wait_exit "$vm_pid" 60
	check "$mode: the restored VM exits with the guest's status 0 (got $exit_status)" \
		[ "$exit_status" = 0 ]
	if joined "$o" "${bytes:-0}" "$r"; then
		ok "$mode: output up to the snapshot + restored output = the whole count"
	else
		not_ok "$mode: output up to the snapshot + restored output = the whole count"
		show_join "$r"
	fi
	check "$mode: the restore printed nothing on stderr" [ ! -s "$work/$r.err" ]
}

# ---- paused and live round trips ----------------------------------------------
round_trip paused
round_trip live
snap=$work/snap-paused

# ---- the same snapshot again: MAP_PRIVATE left the memory file as it was --------
sum_before=$(cat "$snap"/memory-* | md5sum)
restore_bg again "$snap"
wait_exit "$vm_pid" 60
check "restoring the same snapshot again exits 0 (got $exit_status)" \
	[ "$exit_status" = 0 ]
check "and prints the same output as the first restore" \
	cmp -s "$work/again.out" "$work/rest-paused.out"
check "the memory file is unchanged by the restored guests" \
	[ "$(cat "$snap"/memory-* | md5sum)" = "$sum_before" ]

# ---- restore options ---------------------------------------------------------------
restore_bg opts "$snap" --paused --name renamed
check "restore --paused --name: list shows 'renamed' paused" \
	wait_until 30 eval '[ "$(vm_state renamed)" = paused ]'
sleep 0.5
check "paused after restore: no output yet" [ ! -s "$work/opts.out" ]
kk resume renamed >/dev/null
wait_exit "$vm_pid" 60
check "after resume it finishes with status 0 (got $exit_status)" \
	[ "$exit_status" = 0 ]
check "with the same output" cmp -s "$work/opts.out" "$work/rest-paused.out"

# ---- a snapshot of a restored VM (its RAM is the private file mapping) ------------
restore_bg chain1 "$snap" --name chain
if wait_until 30 eval '[ "$(wc -l <"$work/chain1.out")" -ge 30 ]'; then
	reply=$(kk snapshot --live --json chain "$work/snap-chain")
	check "live snapshot of a restored VM succeeds" grep -q '"ok":true' <<<"$reply"
	cbytes=$(reply_num "$reply" console_bytes)
	kk stop chain >/dev/null
	wait_exit "$vm_pid" 30
	restore_bg chain2 "$work/snap-chain"
	wait_exit "$vm_pid" 60
	check "its restore exits 0 (got $exit_status)" [ "$exit_status" = 0 ]
	# The console byte count goes on from the first snapshot's, so
	# the whole count up to it, then the second restore's output.
	if { head -c "$cbytes" "$work/expected"; cat "$work/chain2.out"; } |
	   cmp -s - "$work/expected"; then
		ok "the count goes on exactly across two snapshots"
	else
		not_ok "the count goes on exactly across two snapshots"
		diag "console_bytes $cbytes; $(head -3 "$work/chain2.out")"
	fi
else
	not_ok "a restored VM counts"
	diag "$(cat "$work/chain1.err")"
fi

# ---- memory dirtied during a live snapshot ---------------------------------------
"$KVMKIT" run --name dirty -m 64M -p "32" "$DIRTY" >"$work/dirty.out" \
	2>"$work/dirty.err" </dev/null &
dpid=$!
vm_pids+=("$dpid")
if wait_until 30 printed dirty "pass 3"; then
	reply=$(kk snapshot --live --json dirty "$work/snap-dirty")
	check "live snapshot of a guest dirtying 32 MiB succeeds" \
		grep -q '"ok":true' <<<"$reply"
	diag "$reply"
	kk stop dirty >/dev/null
	wait_exit "$dpid" 30
	restore_bg dirty2 "$work/snap-dirty"
	rpid=$vm_pid
	check "the restored guest makes 5 more passes" \
		wait_until 60 eval '[ "$(passes dirty2)" -ge 5 ]'
	check "and finds every page as it left it (no 'dirty:' error)" \
		eval '! grep -q "^dirty:" "$work/dirty2.out"'
	kk stop dirty >/dev/null
	wait_exit "$rpid" 30
else
	not_ok "the dirty guest runs"
	diag "$(cat "$work/dirty.err")"
fi

# ---- corrupt snapshots: one line, status 1, nothing changed -------------------------
# corrupt NAME: a copy of the paused snapshot to spoil.
corrupt() {
	rm -rf "$work/bad-$1"
	cp -a --sparse=always "$snap" "$work/bad-$1"
	echo "$work/bad-$1"
}
poke() { printf "$3" | dd of="$1/state" bs=1 seek="$2" conv=notrunc status=none; }

d=$(corrupt magic); poke "$d" 0 'XXXX'
expect_error 1 "bad magic" "bad magic" "$KVMKIT" restore "$d"
d=$(corrupt version); poke "$d" 8 '\x09'
expect_error 1 "newer format version" "format version 9 is newer" \
	"$KVMKIT" restore "$d"
d=$(corrupt arch); poke "$d" 16 's390x\x00'
expect_error 1 "another architecture" "s390x" "$KVMKIT" restore "$d"
d=$(corrupt crc); poke "$d" 200 '\xff\xee'
expect_error 1 "bad CRC" "CRC mismatch" "$KVMKIT" restore "$d"
d=$(corrupt trunc); truncate -s -100 "$d/state"
expect_error 1 "truncated state file" "truncated" "$KVMKIT" restore "$d"
d=$(corrupt memsize); truncate -s -4096 "$d"/memory-*
expect_error 1 "memory file of the wrong size" "memory file memory-[0-9]+ is" \
	"$KVMKIT" restore "$d"
d=$(corrupt memgone); rm "$d"/memory-*
expect_error 1 "missing memory file" "memory file" "$KVMKIT" restore "$d"
expect_error 1 "no snapshot in the directory" "cannot read" \
	"$KVMKIT" restore "$work"
expect_error 1 "fewer vCPUs than the snapshot" "2 vCPU\(s\); --cpus 1 is too few" \
	"$KVMKIT" restore -c 1 "$snap"
expect_error 1 "less memory than the snapshot" "256M of RAM; --mem 128M can't hold" \
	"$KVMKIT" restore -m 128M "$snap"
expect_error 2 "restore without a directory is a usage error" "directory" \
	"$KVMKIT" restore
expect_error 2 "restore -p is not a restore option" "unknown or misplaced" \
	"$KVMKIT" restore -p x "$snap"
check "the snapshot restores no different after all that" \
	[ "$(cat "$snap"/memory-* | md5sum)" = "$sum_before" ]

# ---- failed snapshots leave the previous one intact ---------------------------------
# fail_vm STAGE: a counter whose snapshots fail at STAGE.
cp "$snap/state" "$work/state.good"
for stage in memory state; do
	KVMKIT_SNAPSHOT_FAIL=$stage counter "fail-$stage"
	fpid=$vm_pid
	wait_until 30 printed "fail-$stage" "count 5"
	expect_error 1 "snapshot failing at '$stage' reports it" "injected failure" \
		"$KVMKIT" snapshot "fail-$stage" "$snap"
	check "$stage: the previous state file is untouched" \
		cmp -s "$snap/state" "$work/state.good"
	check "$stage: its memory file too, and no temporary files are left" \
		eval '[ "$(cat "$snap"/memory-* | md5sum)" = "$sum_before" ] && [ "$(ls -A "$snap" | wc -l)" = 2 ]'
	kk stop "fail-$stage" >/dev/null
	wait_exit "$fpid" 30
done
restore_bg after-fail "$snap"
wait_exit "$vm_pid" 60
check "the previous snapshot still restores (status $exit_status)" \
	eval '[ "$exit_status" = 0 ] && cmp -s "$work/after-fail.out" "$work/rest-paused.out"'

counter target
tpid=$vm_pid
wait_until 30 printed target "count 5"
echo keep >"$work/a-file"
expect_error 1 "snapshot onto a regular file fails" "a-file" \
	"$KVMKIT" snapshot target "$work/a-file"
check "and leaves the file alone" [ "$(cat "$work/a-file")" = keep ]
expect_error 1 "snapshot of an unknown VM" "no VM named 'nosuch'" \
	"$KVMKIT" snapshot nosuch "$work/x"
expect_error 2 "snapshot without a directory is a usage error" "directory" \
	"$KVMKIT" snapshot target
kk stop target >/dev/null
wait_exit "$tpid" 30

finish
