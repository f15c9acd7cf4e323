# Shared helpers for the integration scripts (sourced, not run).
#
# Each script gets a private KVMKIT_RUN_DIR, prints TAP ("ok - ..." /
# "not ok - ..."), kills only the VMs it started, and exits 77 after
# "SKIP: ..." when /dev/kvm can't be opened.

set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1

KVMKIT=$PWD/build/x86/kvmkit
GUESTS=$PWD/build/guests/x86
COUNTER=$GUESTS/counter.elf

failures=0
vm_pids=()

ok() { echo "ok - $*"; }
not_ok() {
	echo "not ok - $*"
	failures=$((failures + 1))
}
# check DESC COMMAND...: ok when COMMAND succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
diag() { sed 's/^/#   /' <<<"$*"; }

require_kvm() {
	if ! { : <>/dev/kvm; } 2>/dev/null; then
		echo "SKIP: cannot open /dev/kvm"
		exit 77
	fi
	if [ ! -x "$KVMKIT" ] || [ ! -f "$COUNTER" ]; then
		make --no-print-directory build/x86/kvmkit guests >&2 || {
			echo "not ok - build kvmkit and the guests"
			exit 1
		}
	fi
}

cleanup() {
	local pid
	for pid in "${vm_pids[@]}"; do
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	rm -rf "$work"
}

setup_run_dir() {
	work=$(mktemp -d /tmp/kvmkit-it.XXXXXX)
	export KVMKIT_RUN_DIR=$work/run
	mkdir -p "$KVMKIT_RUN_DIR"
	trap cleanup EXIT
}

# start_vm NAME [run args...]: boots the counter guest in the background;
# output in $work/NAME.out/.err, pid in $vm_pid.
start_vm() {
	local name=$1
	shift
	"$KVMKIT" run --name "$name" "$@" -p "0 20000" "$COUNTER" \
		>"$work/$name.out" 2>"$work/$name.err" </dev/null &
	vm_pid=$!
	vm_pids+=("$vm_pid")
}

# kk ARGS...: a kvmkit client command that can never hang the script.
kk() { timeout 30 "$KVMKIT" "$@"; }

sock() { echo "$KVMKIT_RUN_DIR/$1.sock"; }
out_size() { stat -c %s "$work/$1.out"; }

# vm_state NAME: the STATE column of `kvmkit list` for NAME (empty: absent).
vm_state() {
	kk list 2>/dev/null | awk -v n="$1" 'NR > 1 && $2 == n { print $3 }'
}

# wait_until SECONDS COMMAND...: poll every 0.1 s.
wait_until() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}

# wait_running NAME: its socket answers and the guest has printed a count.
vm_counting() {
	[ "$(vm_state "$1")" = running ] &&
		grep -q '^count ' "$work/$1.out" 2>/dev/null
}
wait_running() { wait_until 30 vm_counting "$1"; }

# grows NAME: the output grows within 15 s.
grew() { [ "$(out_size "$grow_name")" -gt "$grow_before" ]; }
grows() {
	grow_name=$1
	grow_before=$(out_size "$1")
	wait_until 15 grew
}

# wait_exit PID SECONDS: sets $exit_status; 1 (and SIGKILL) on timeout.
wait_exit() {
	local pid=$1 deadline=$((SECONDS + $2))
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$SECONDS" -ge "$deadline" ]; then
			kill -KILL "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			exit_status=timeout
			return 1
		fi
		sleep 0.1
	done
	wait "$pid"
	exit_status=$?
	return 0
}

# lines FILE: number of lines in FILE.
lines() { wc -l <"$1"; }

# expect_error STATUS DESC ERE COMMAND...: COMMAND exits STATUS with one
# line matching ERE on stderr and nothing on stdout.
expect_error() {
	local want=$1 desc=$2 pat=$3 rc
	shift 3
	timeout 60 "$@" >"$work/stdout" 2>"$work/stderr" </dev/null
	rc=$?
	if [ "$rc" -eq "$want" ] && [ ! -s "$work/stdout" ] &&
	   [ "$(lines "$work/stderr")" -eq 1 ] &&
	   [ "$(wc -c <"$work/stderr")" -gt 1 ] &&
	   grep -qE -- "$pat" "$work/stderr"; then
		ok "$desc"
	else
		not_ok "$desc"
		diag "exit $rc (want $want)"
		diag "stdout: $(head -c 400 "$work/stdout")"
		diag "stderr: $(head -c 400 "$work/stderr")"
	fi
}

finish() {
	[ "$failures" -eq 0 ] && exit 0
	echo "# $failures failure(s)"
	exit 1
}
