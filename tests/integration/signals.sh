#!/bin/bash
# Signals to a running kvmkit: SIGTERM (also SIGINT, SIGHUP) stops the VM
# with status 128 + signal, cleanly: the socket is removed and nothing is
# printed on stderr.
. "$(dirname "$0")/lib.bash"
require_kvm
setup_run_dir

# stop_by_signal SIGNAL STATUS NAME [run args...]
stop_by_signal() {
	local sig=$1 want=$2 name=$3 pid
	shift 3
	start_vm "$name" "$@"
	pid=$vm_pid
	if ! wait_running "$name"; then
		not_ok "$name boots"
		diag "$(cat "$work/$name.err")"
		return
	fi
	kill "-$sig" "$pid"
	wait_exit "$pid" 30
	check "SIG$sig stops $name with status $want (got $exit_status)" \
		[ "$exit_status" = "$want" ]
	check "$name's socket is removed" [ ! -e "$(sock "$name")" ]
	check "$name printed nothing on stderr" [ ! -s "$work/$name.err" ]
	check "list no longer shows $name" [ -z "$(vm_state "$name")" ]
}

stop_by_signal TERM 143 term
stop_by_signal TERM 143 term-smp -c 4
stop_by_signal INT 130 int
stop_by_signal HUP 129 hup

# SIGTERM to a paused VM: its parked vCPUs must wake and leave.
start_vm paused
pid=$vm_pid
check "paused VM boots" wait_running paused
check "pause it" kk pause paused
kill -TERM "$pid"
wait_exit "$pid" 30
check "SIGTERM stops a paused VM with status 143 (got $exit_status)" \
	[ "$exit_status" = 143 ]
check "the paused VM's socket is removed" [ ! -e "$(sock paused)" ]

# SIGTERM before the guest is resumed from --paused.
start_vm early --paused
pid=$vm_pid
check "--paused VM is listed" \
	wait_until 30 eval '[ "$(vm_state early)" = paused ]'
kill -TERM "$pid"
wait_exit "$pid" 30
check "SIGTERM stops a never-run VM with status 143 (got $exit_status)" \
	[ "$exit_status" = 143 ]
check "its socket is removed" [ ! -e "$(sock early)" ]

# Another VM is left alone by a signal to its neighbour.
start_vm keep
keep=$vm_pid
start_vm victim
victim=$vm_pid
check "two VMs boot" eval 'wait_running keep && wait_running victim'
kill -TERM "$victim"
wait_exit "$victim" 30
check "the victim exits 143 (got $exit_status)" [ "$exit_status" = 143 ]
check "the neighbour still runs" grows keep
check "the neighbour's socket stays" [ -S "$(sock keep)" ]
kill -TERM "$keep"
wait_exit "$keep" 30
check "the neighbour exits 143 on its own SIGTERM (got $exit_status)" \
	[ "$exit_status" = 143 ]

finish
