#!/bin/bash
# kvmkit list/pause/resume/stop against running counter guests, through
# the control sockets in a private KVMKIT_RUN_DIR.
. "$(dirname "$0")/lib.bash"
require_kvm
setup_run_dir

# ---- one VM: list, pause, resume --------------------------------------
start_vm t1
t1=$vm_pid
if ! wait_running t1; then
	not_ok "t1 boots and counts"
	diag "$(cat "$work/t1.err")"
	finish
fi
ok "t1 boots and counts"
check "list shows t1 running" [ "$(vm_state t1)" = running ]
check "list shows t1's pid and 1 vCPU" \
	[ "$(kk list | awk '$2 == "t1" { print $1, $4 }')" = "$t1 1" ]
check "list has a header line" eval '[ "$(kk list | head -1)" = "$(printf "%-8s %-24s %-9s %s" PID NAME STATE CPUS)" ]'

check "pause --name t1 exits 0" kk pause --name t1
check "list shows t1 paused" [ "$(vm_state t1)" = paused ]
a=$(out_size t1)
sleep 1
b=$(out_size t1)
check "paused: output stops growing ($a -> $b bytes)" [ "$a" -eq "$b" ]
expect_error 1 "pause of a paused VM fails" \
	"^kvmkit pause: t1: already in that state$" "$KVMKIT" pause t1
check "still paused after the refused pause" [ "$(vm_state t1)" = paused ]

check "resume t1 exits 0" kk resume t1
check "list shows t1 running again" [ "$(vm_state t1)" = running ]
check "resumed: output grows again" grows t1
expect_error 1 "resume of a running VM fails" \
	"^kvmkit resume: t1: already in that state$" "$KVMKIT" resume --name t1

# ---- a second VM with the same name -----------------------------------
expect_error 1 "a second VM named t1 is refused with one line" \
	"^kvmkit: error: a VM named 't1' is already running$" \
	"$KVMKIT" run --name t1 -p "0 20000" "$COUNTER"
check "the first t1 keeps its socket" [ -S "$(sock t1)" ]
check "the first t1 still runs and counts" grows t1
check "list still shows t1 running" [ "$(vm_state t1)" = running ]

# ---- stop ---------------------------------------------------------------
check "stop --name t1 exits 0" kk stop --name t1
wait_exit "$t1" 30
check "t1's kvmkit exits with status 0 (got $exit_status)" \
	[ "$exit_status" = 0 ]
check "t1's socket is gone" [ ! -e "$(sock t1)" ]
check "list no longer shows t1" [ -z "$(vm_state t1)" ]
check "t1 printed nothing on stderr" [ ! -s "$work/t1.err" ]

# ---- --paused, and stopping a paused VM ---------------------------------
start_vm p1 --paused
p1=$vm_pid
check "--paused: list shows p1 paused" \
	wait_until 30 eval '[ "$(vm_state p1)" = paused ]'
sleep 1
check "--paused: the guest has printed nothing" [ ! -s "$work/p1.out" ]
check "resume p1 starts the guest" kk resume p1
check "p1 counts once resumed" wait_running p1
check "pause p1" kk pause p1
check "stop a paused VM exits 0" kk stop p1
wait_exit "$p1" 30
check "paused p1's kvmkit exits with status 0 (got $exit_status)" \
	[ "$exit_status" = 0 ]
check "p1's socket is gone" [ ! -e "$(sock p1)" ]

# ---- --all with two VMs -------------------------------------------------
start_vm a1
a1=$vm_pid
start_vm a2 -c 2
a2=$vm_pid
check "a1 and a2 boot" eval 'wait_running a1 && wait_running a2'
check "list shows both" [ "$(kk list | awk 'NR > 1' | wc -l)" -eq 2 ]
check "pause --all exits 0" kk pause --all
check "a1 paused" [ "$(vm_state a1)" = paused ]
check "a2 paused" [ "$(vm_state a2)" = paused ]
a=$(out_size a1) b=$(out_size a2)
sleep 1
check "both outputs stay still" \
	[ "$(out_size a1) $(out_size a2)" = "$a $b" ]
check "resume -a exits 0" kk resume -a
check "a1 running" [ "$(vm_state a1)" = running ]
check "a2 running" [ "$(vm_state a2)" = running ]
check "a1 grows" grows a1
check "a2 grows" grows a2
check "stop --all exits 0" kk stop --all
wait_exit "$a1" 30
st1=$exit_status
wait_exit "$a2" 30
check "both exit with status 0 (got $st1 and $exit_status)" \
	[ "$st1 $exit_status" = "0 0" ]
check "both sockets are gone" \
	eval '[ ! -e "$(sock a1)" ] && [ ! -e "$(sock a2)" ]'
check "list shows only its header" [ "$(kk list | wc -l)" -eq 1 ]
check "pause --all with no VMs exits 0" kk pause --all

# ---- unknown names and bad usage ----------------------------------------
expect_error 1 "pause of an unknown name" \
	"^kvmkit pause: no VM named 'nope' \(No such file or directory\)$" \
	"$KVMKIT" pause --name nope
expect_error 1 "resume of an unknown name" "^kvmkit resume: no VM named 'nope'" \
	"$KVMKIT" resume nope
expect_error 1 "stop of an unknown name" "^kvmkit stop: no VM named 'nope'" \
	"$KVMKIT" stop -n nope
expect_error 2 "pause without a name" \
	"^kvmkit pause: give a VM name \(--name NAME\) or --all$" "$KVMKIT" pause
expect_error 2 "pause with a name and --all" "give a VM name" \
	"$KVMKIT" pause --name x --all
expect_error 2 "pause --name without a value" \
	"^kvmkit pause: unexpected argument '--name'$" "$KVMKIT" pause --name
expect_error 2 "pause with an unknown option" \
	"^kvmkit pause: unexpected argument '--bogus'$" "$KVMKIT" pause --bogus
expect_error 2 "stop with two names" \
	"^kvmkit stop: unexpected argument 'b'$" "$KVMKIT" stop a b
expect_error 2 "list with an argument" \
	"^kvmkit list: unexpected argument 'x'$" "$KVMKIT" list x

# ---- a stale socket from a killed VM ------------------------------------
start_vm s1
s1=$vm_pid
check "s1 boots" wait_running s1
kill -KILL "$s1"
wait "$s1" 2>/dev/null
check "SIGKILL leaves s1's socket behind" [ -S "$(sock s1)" ]
check "list exits 0 with a stale socket" eval "kk list >/dev/null"
check "list does not show the dead s1" [ -z "$(vm_state s1)" ]
check "list removed the stale socket" [ ! -e "$(sock s1)" ]
expect_error 1 "pause of the dead s1 fails" "no VM named 's1'" \
	"$KVMKIT" pause s1

# A new VM may take over a dead VM's name and socket.
start_vm s2
s2=$vm_pid
check "s2 boots" wait_running s2
kill -KILL "$s2"
wait "$s2" 2>/dev/null
start_vm s2
s2=$vm_pid
check "a new s2 starts over the stale socket" wait_running s2
check "stop the new s2" kk stop s2
wait_exit "$s2" 30
check "the new s2 exits 0 (got $exit_status)" [ "$exit_status" = 0 ]

finish
