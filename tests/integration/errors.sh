#!/bin/bash
# kvmkit's error paths from the command line: every error is exactly one
# line on stderr, nothing on stdout, and the documented exit status
# (1: set-up error, 2: usage); help and version succeed on stdout.
. "$(dirname "$0")/lib.bash"
require_kvm
setup_run_dir

HELLO=$GUESTS/hello.elf
img=$work/img
mkdir -p "$img/a-directory"
head -c $((3 << 20)) /dev/zero >"$img/3M.bin"
head -c $((3 << 19)) /dev/zero >"$img/1.5M.bin"
: >"$img/empty.bin"
head -c 100 "$HELLO" >"$img/truncated.elf"
cp "$HELLO" "$img/arm64.elf"
# e_machine (offset 18) = EM_AARCH64 (183)
printf '\xb7\x00' | dd of="$img/arm64.elf" bs=1 seek=18 conv=notrunc 2>/dev/null
cp "$HELLO" "$img/elf32.elf"
printf '\x01' | dd of="$img/elf32.elf" bs=1 seek=4 conv=notrunc 2>/dev/null

# ---- images that cannot be loaded (exit 1) ------------------------------
expect_error 1 "a 3 MiB flat kernel does not fit in -m 2M" \
	"^kvmkit: error: .*/3M.bin: 3145728 bytes is larger than guest RAM$" \
	"$KVMKIT" run -m 2M "$img/3M.bin"
expect_error 1 "a 1.5 MiB flat kernel does not fit above 1 MiB in -m 2M" \
	"^kvmkit: error: .*/1.5M.bin: 1572864 bytes at 0x100000 do not fit in guest RAM$" \
	"$KVMKIT" run -m 2M "$img/1.5M.bin"
expect_error 1 "a directory as kernel" \
	"^kvmkit: error: .*/a-directory: not a regular file$" \
	"$KVMKIT" run "$img/a-directory"
expect_error 1 "a directory given with -k" "not a regular file$" \
	"$KVMKIT" run -k "$img/a-directory"
expect_error 1 "a missing kernel" \
	"^kvmkit: error: .*/no-such.elf: No such file or directory$" \
	"$KVMKIT" run "$img/no-such.elf"
expect_error 1 "an empty kernel" "^kvmkit: error: .*/empty.bin: empty image$" \
	"$KVMKIT" run "$img/empty.bin"
expect_error 1 "a truncated ELF" \
	"^kvmkit: error: .*/truncated.elf: malformed ELF: " \
	"$KVMKIT" run "$img/truncated.elf"
expect_error 1 "an arm64 ELF" \
	"malformed ELF: built for another architecture$" \
	"$KVMKIT" run "$img/arm64.elf"
expect_error 1 "a 32-bit ELF" "malformed ELF: not a 64-bit ELF$" \
	"$KVMKIT" run "$img/elf32.elf"
expect_error 1 "no kernel at all" "^kvmkit: error: no kernel" \
	"$KVMKIT" run -c 1

# ---- machine limits (exit 1) ---------------------------------------------
expect_error 1 "more RAM than the testbench takes" "at most 3G" \
	"$KVMKIT" run -m 4G "$HELLO"
expect_error 1 "less RAM than the testbench needs" "needs at least 2M" \
	"$KVMKIT" run -m 1M "$HELLO"
expect_error 1 "an unknown machine" "^kvmkit: error: unknown machine 'pc'$" \
	"$KVMKIT" run --machine pc "$HELLO"

# ---- usage errors (exit 2) ------------------------------------------------
expect_error 2 "an unknown run option" \
	"^kvmkit run: unknown option '--no-such-option' \(see kvmkit run --help\)$" \
	"$KVMKIT" run --no-such-option "$HELLO"
expect_error 2 "an unknown short run option" "^kvmkit run: unknown option '-x'" \
	"$KVMKIT" run -x "$HELLO"
expect_error 2 "a run option without its value" \
	"^kvmkit run: option '--cpus' needs a value$" "$KVMKIT" run --cpus
expect_error 2 "a bad size" "^kvmkit run: --mem wants a size" \
	"$KVMKIT" run -m 12Q "$HELLO"
expect_error 2 "too many vCPUs" "^kvmkit run: --cpus wants a number from 1 to 32, not '33'$" \
	"$KVMKIT" run -c 33 "$HELLO"
expect_error 2 "the kernel given twice" "^kvmkit run: kernel given twice" \
	"$KVMKIT" run -k "$HELLO" "$HELLO"
expect_error 2 "an unknown command" \
	"^kvmkit: unknown command 'frob' \(see kvmkit --help\)$" "$KVMKIT" frob
expect_error 2 "no command at all" "^kvmkit: " "$KVMKIT"
expect_error 2 "kvmkit test without a manifest" "^usage: kvmkit test" \
	"$KVMKIT" test

# ---- help and version (exit 0, stdout only) --------------------------------
# succeeds_quietly DESC ERE COMMAND...: exit 0, ERE on stdout, empty stderr.
succeeds_quietly() {
	local desc=$1 pat=$2 rc
	shift 2
	timeout 60 "$@" >"$work/stdout" 2>"$work/stderr" </dev/null
	rc=$?
	if [ "$rc" -eq 0 ] && [ ! -s "$work/stderr" ] &&
	   grep -qE -- "$pat" "$work/stdout"; then
		ok "$desc"
	else
		not_ok "$desc"
		diag "exit $rc; stderr: $(head -c 400 "$work/stderr")"
	fi
}
succeeds_quietly "kvmkit run --help" "^usage: kvmkit run \[options\] \[kernel\]$" \
	"$KVMKIT" run --help
succeeds_quietly "kvmkit run -h" "-k, --kernel FILE" "$KVMKIT" run -h
succeeds_quietly "kvmkit --help" "^usage: kvmkit COMMAND" "$KVMKIT" --help
succeeds_quietly "kvmkit -h" "^  run \[options\] \[kernel\]" "$KVMKIT" -h
succeeds_quietly "kvmkit help" "^usage: kvmkit COMMAND" "$KVMKIT" help
succeeds_quietly "kvmkit version" "^kvmkit [0-9a-z.-]+$" "$KVMKIT" version
succeeds_quietly "kvmkit --version" "^kvmkit [0-9a-z.-]+$" "$KVMKIT" --version
check "kvmkit version prints one line" [ "$(kk version | wc -l)" -eq 1 ]

# Nothing above may have left a socket behind.
check "no control sockets left" [ -z "$(ls -A "$KVMKIT_RUN_DIR")" ]

finish
