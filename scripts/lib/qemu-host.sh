# shellcheck shell=bash
# Shared helpers for scripts/qemu-host and scripts/fetch-arm64-host: fetching
# a Debian arm64 kernel + busybox into a cache outside the repo, installing
# QEMU, and building the busybox initramfs.  Sourced, not run.

QH_PROG=${QH_PROG:-qemu-host}
QH_CACHE_ROOT=${KVMKIT_CACHE:-${HOME:-/tmp}/.cache/kvmkit}
# shellcheck disable=SC2034 # used by scripts/qemu-host
QH_MARKER=KVMKIT-QEMU-HOST-EXIT

qh_msg() { printf '%s: %s\n' "$QH_PROG" "$*" >&2; }
# Setup failures (missing QEMU, kernel, fetch errors) exit 2 with one line.
qh_die() { qh_msg "$*"; exit 2; }

# Run a command as root: directly, or through non-interactive sudo.
qh_as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		sudo -n "$@"
	else
		return 1
	fi
}

# Run a command quietly; on failure show the last lines of its output.
qh_quiet() {
	local out rc=0
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" -ne 0 ]; then
		printf '%s\n' "$out" | tail -n 5 | sed "s/^/$QH_PROG:   /" >&2
	fi
	return "$rc"
}

# shellcheck source=scripts/lib/apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

QH_APT_UPDATED=
qh_apt_update() {
	[ -z "$QH_APT_UPDATED" ] || return 0
	command -v apt-get >/dev/null 2>&1 || return 1
	qh_as_root true || return 1
	qh_msg "apt-get update"
	apt_update qh_as_root
	QH_APT_UPDATED=1
}

# qh_apt_install PKG...: install packages, running apt-get update first only
# when the package lists do not know them (or the install failed).
qh_apt_install() {
	command -v apt-get >/dev/null 2>&1 || return 1
	local p known=1
	for p in "$@"; do
		apt-cache show "$p" >/dev/null 2>&1 || known=
	done
	[ -n "$known" ] || qh_apt_update || return 1
	qh_msg "apt-get install $*"
	if ! DEBIAN_FRONTEND=noninteractive qh_quiet qh_as_root apt-get install \
		-y -q --no-install-recommends "$@"; then
		[ -z "$QH_APT_UPDATED" ] || return 1
		qh_apt_update || return 1
		DEBIAN_FRONTEND=noninteractive qh_quiet qh_as_root apt-get install \
			-y -q --no-install-recommends "$@" || return 1
	fi
}

# qh_need_tool CMD PKG: make sure CMD is on PATH, installing PKG if needed.
qh_need_tool() {
	command -v "$1" >/dev/null 2>&1 && return 0
	qh_apt_install "$2" || return 1
	command -v "$1" >/dev/null 2>&1
}

qh_ensure_foreign_arch() {
	local a=$1
	[ "$(dpkg --print-architecture 2>/dev/null)" = "$a" ] && return 0
	dpkg --print-foreign-architectures 2>/dev/null | grep -qx "$a" && return 0
	qh_msg "dpkg --add-architecture $a"
	qh_as_root dpkg --add-architecture "$a" || return 1
	QH_APT_UPDATED=
	qh_apt_update
}

# --- binary format checks -------------------------------------------------

# qh_bytes FILE OFFSET COUNT: hex bytes, no spaces.
qh_bytes() { od -An -tx1 -v -j "$2" -N "$3" "$1" | tr -d ' \n'; }
qh_le32() { od -An -tu4 --endian=little -j "$2" -N 4 "$1" | tr -d ' \n'; }

# arm64 Image header: "ARM\x64" at offset 0x38.
qh_is_arm64_image() { [ "$(qh_bytes "$1" 56 4)" = 41524d64 ]; }
# ELF, 64-bit, little-endian, e_machine EM_AARCH64 (183).
qh_is_aarch64_elf() {
	[ "$(qh_bytes "$1" 0 6)" = 7f454c460201 ] &&
		[ "$(qh_bytes "$1" 18 2)" = b700 ]
}

# qh_unpack_kernel VMLINUZ IMAGE: write a plain arm64 Image.  Debian's arm64
# vmlinuz has been a plain Image (bookworm), may be a gzip'd Image, or an EFI
# zboot image ("MZ" + "zimg": header at 4, payload offset/size at 8/12,
# compression name at 24).  QEMU 7.2's -kernel takes plain and gzip'd Images
# but not zboot, so always hand it a plain one.
qh_unpack_kernel() {
	local in=$1 out=$2 off size comp
	if qh_is_arm64_image "$in"; then
		cp "$in" "$out"
	elif [ "$(qh_bytes "$in" 0 2)" = 1f8b ]; then
		gzip -dc "$in" >"$out" || return 1
	elif [ "$(qh_bytes "$in" 0 2)" = 4d5a ] &&
		[ "$(qh_bytes "$in" 4 4)" = 7a696d67 ]; then
		off=$(qh_le32 "$in" 8)
		size=$(qh_le32 "$in" 12)
		comp=$(dd if="$in" bs=1 skip=24 count=32 2>/dev/null | tr -d '\0')
		case $comp in
		gzip) set -- gzip -dc ;;
		zstd) set -- zstd -dcq ;;
		xz) set -- xz -dc ;;
		lzma) set -- xz --format=lzma -dc ;;
		bzip2) set -- bzip2 -dc ;;
		lz4) set -- lz4 -dc ;;
		lzo) set -- lzop -dc ;;
		*) qh_msg "EFI zboot kernel with unknown compression '$comp'"; return 1 ;;
		esac
		command -v "$1" >/dev/null 2>&1 ||
			{ qh_msg "need $1 to unpack the EFI zboot kernel"; return 1; }
		tail -c +"$((off + 1))" "$in" | head -c "$size" | "$@" >"$out" ||
			return 1
	else
		qh_msg "unknown kernel image format ($(qh_bytes "$in" 0 8))"
		return 1
	fi
	qh_is_arm64_image "$out" ||
		{ qh_msg "unpacked kernel is not an arm64 Image"; return 1; }
}

# --- arm64 host fetch -----------------------------------------------------

QH_ARM64_DIR=$QH_CACHE_ROOT/arm64-host
QH_ARM64_IMAGE=$QH_ARM64_DIR/Image
QH_ARM64_BUSYBOX=$QH_ARM64_DIR/busybox
QH_QEMU_AARCH64=${QEMU_SYSTEM_AARCH64:-qemu-system-aarch64}

qh_arm64_cached() { [ -s "$QH_ARM64_IMAGE" ] && [ -s "$QH_ARM64_BUSYBOX" ]; }

# Version of linux-image-<ver>-arm64 that linux-image-arm64 depends on.
qh_arm64_kernel_pkg() {
	apt-cache depends --no-recommends --no-suggests linux-image-arm64:arm64 \
		2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*\).*/\1/p' | head -n 1
}

# qh_fetch_arm64 [refresh]: kernel Image + busybox into the cache.  Quiet and
# cheap when cached.  Returns non-zero after one message on failure.
qh_fetch_arm64() {
	local refresh=${1:-}
	if [ -z "$refresh" ] && qh_arm64_cached; then
		return 0
	fi
	if ! command -v apt-get >/dev/null 2>&1 ||
		! command -v dpkg-deb >/dev/null 2>&1; then
		qh_msg "no apt-get/dpkg-deb: cannot fetch Debian's arm64 kernel"
		return 1
	fi
	mkdir -p "$QH_ARM64_DIR" || return 1

	# One fetch at a time per cache (others may share it).
	local lockfd
	if command -v flock >/dev/null 2>&1; then
		exec {lockfd}>"$QH_ARM64_DIR/.lock"
		flock "$lockfd"
		if [ -z "$refresh" ] && qh_arm64_cached; then
			exec {lockfd}>&-
			return 0
		fi
	fi

	local rc=0
	qh_fetch_arm64_locked || rc=$?
	[ -z "${lockfd:-}" ] || exec {lockfd}>&-
	return "$rc"
}

qh_fetch_arm64_locked() {
	qh_ensure_foreign_arch arm64 ||
		{ qh_msg "cannot add dpkg architecture arm64 (need root)"; return 1; }
	local pkg
	pkg=$(qh_arm64_kernel_pkg)
	if [ -z "$pkg" ]; then
		qh_apt_update || { qh_msg "apt-get update failed"; return 1; }
		pkg=$(qh_arm64_kernel_pkg)
	fi
	[ -n "$pkg" ] ||
		{ qh_msg "cannot find linux-image-arm64:arm64 in the apt lists"; return 1; }

	local tmp rc=0
	tmp=$(mktemp -d "$QH_ARM64_DIR/.fetch.XXXXXX") || return 1
	qh_fetch_arm64_into "$tmp" "$pkg" || rc=$?
	rm -rf "$tmp"
	return "$rc"
}

qh_fetch_arm64_into() {
	local tmp=$1 pkg=$2
	qh_msg "fetching $pkg:arm64 and busybox-static:arm64"
	# As root, apt-get download warns that _apt cannot write here: harmless.
	if ! (cd "$tmp" && qh_quiet apt-get download -q "$pkg:arm64" \
		busybox-static:arm64); then
		qh_apt_update || { qh_msg "apt-get update failed"; return 1; }
		pkg=$(qh_arm64_kernel_pkg)
		(cd "$tmp" && qh_quiet apt-get download -q "$pkg:arm64" \
			busybox-static:arm64) ||
			{ qh_msg "apt-get download of $pkg:arm64 failed"; return 1; }
	fi

	local kdeb bdeb
	kdeb=$(find "$tmp" -maxdepth 1 -name "${pkg}_*.deb" | head -n 1)
	bdeb=$(find "$tmp" -maxdepth 1 -name 'busybox-static_*.deb' | head -n 1)
	if [ -z "$kdeb" ] || [ -z "$bdeb" ]; then
		qh_msg "downloaded packages not found"
		return 1
	fi

	# tar stops reading once it has the member; dpkg-deb then reports a
	# broken pipe, so judge by the extracted files, not the pipe's status.
	mkdir -p "$tmp/x"
	dpkg-deb --fsys-tarfile "$kdeb" 2>/dev/null |
		tar -x -C "$tmp/x" --wildcards './boot/vmlinuz-*' 2>/dev/null || true
	dpkg-deb --fsys-tarfile "$bdeb" 2>/dev/null |
		tar -x -C "$tmp/x" ./bin/busybox 2>/dev/null || true
	local vmlinuz
	vmlinuz=$(find "$tmp/x/boot" -name 'vmlinuz-*' 2>/dev/null | head -n 1)
	[ -n "$vmlinuz" ] || { qh_msg "no /boot/vmlinuz-* in $(basename "$kdeb")"; return 1; }
	qh_unpack_kernel "$vmlinuz" "$tmp/Image" || return 1
	qh_is_aarch64_elf "$tmp/x/bin/busybox" ||
		{ qh_msg "busybox from $(basename "$bdeb") is not an aarch64 ELF"; return 1; }

	mv -f "$tmp/x/bin/busybox" "$QH_ARM64_BUSYBOX.new"
	chmod 755 "$QH_ARM64_BUSYBOX.new"
	mv -f "$QH_ARM64_BUSYBOX.new" "$QH_ARM64_BUSYBOX"
	mv -f "$tmp/Image" "$QH_ARM64_IMAGE"
	printf '%s %s\n%s\n' "$(basename "$kdeb")" "$(basename "$vmlinuz")" \
		"$(basename "$bdeb")" >"$QH_ARM64_DIR/VERSIONS"
	qh_msg "cached $(basename "$vmlinuz") and busybox in $QH_ARM64_DIR"
}

# qh_ensure_qemu_arm64: qemu-system-aarch64 (package qemu-system-arm) and
# cpio on PATH.  -kernel boots need no firmware (no qemu-efi-aarch64).
qh_ensure_qemu_arm64() {
	if ! command -v "$QH_QEMU_AARCH64" >/dev/null 2>&1; then
		qh_apt_install qemu-system-arm ||
			{ qh_msg "$QH_QEMU_AARCH64 not found and 'apt-get install qemu-system-arm' failed"; return 1; }
		command -v "$QH_QEMU_AARCH64" >/dev/null 2>&1 ||
			{ qh_msg "$QH_QEMU_AARCH64 not found after installing qemu-system-arm"; return 1; }
	fi
	if ! command -v cpio >/dev/null 2>&1; then
		qh_need_tool cpio cpio ||
			{ qh_msg "cpio not found and 'apt-get install cpio' failed"; return 1; }
	fi
}

# --- initramfs ------------------------------------------------------------

# qh_shquote ARG: one single-quoted word for the init's POSIX sh.
qh_shquote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# The busybox /init.  Console output goes through the tty; the exit marker
# goes through /dev/kmsg so that it is written whole and synchronously by
# the kernel's console driver: neither interleaved kernel messages nor a
# pending tty buffer at power-off can cut it.
qh_write_init() {
	cat >"$1" <<'EOF'
#!/bin/busybox sh
/bin/busybox mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root TERM=dumb
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
if [ ! -e /dev/kvm ] && [ -r /sys/class/misc/kvm/dev ]; then
	IFS=: read -r maj min </sys/class/misc/kvm/dev
	mknod /dev/kvm c "$maj" "$min"
fi
[ -e /dev/kvm ] || echo "qemu-host: warning: no /dev/kvm in the host (KVM did not initialise)"
cd /
. /etc/qemu-host/cmd
"$@"
st=$?
# Drain the console tty (busybox stty sets with TCSADRAIN), then report.
stty -F /dev/console -echo 2>/dev/null
echo on >/proc/sys/kernel/printk_devkmsg 2>/dev/null
echo "<0>KVMKIT-QEMU-HOST-EXIT=$st" >/dev/kmsg ||
	printf '\nKVMKIT-QEMU-HOST-EXIT=%d\n' "$st"
poweroff -f
EOF
	chmod 755 "$1"
}

# qh_stage_add STAGE SRC DEST: copy SRC (file or directory) to DEST in the
# initramfs.  DEST defaults to SRC's own path (relative paths land under /,
# the command's working directory); a DEST ending in / is a directory.
qh_stage_add() {
	local stage=$1 src=$2 dest=${3:-$2}
	[ -e "$src" ] || { qh_msg "--add: no such file: $src"; return 1; }
	case $dest in */) dest=$dest$(basename "$src") ;; esac
	dest=${dest#"${dest%%[!/]*}"}
	case /$dest/ in
	*/../* | //) qh_msg "--add: bad destination: ${3:-$2}"; return 1 ;;
	esac
	mkdir -p "$stage/$(dirname "$dest")"
	rm -rf "${stage:?}/$dest"
	cp -RL "$src" "$stage/$dest"
}

# qh_build_initramfs OUT BUSYBOX CMDFILE [SRC DEST]...: newc cpio, gzip'd,
# built from a staging directory without root (owners forced to 0:0).
qh_build_initramfs() {
	local out=$1 busybox=$2 cmdfile=$3 stage d
	shift 3
	stage=$(mktemp -d "${TMPDIR:-/tmp}/qemu-host-stage.XXXXXX") || return 1
	for d in bin sbin usr/bin usr/sbin etc/qemu-host proc sys dev tmp run \
		root; do
		mkdir -p "$stage/$d"
	done
	cp "$busybox" "$stage/bin/busybox"
	chmod 755 "$stage/bin/busybox"
	ln -s busybox "$stage/bin/sh"
	qh_write_init "$stage/init"
	cp "$cmdfile" "$stage/etc/qemu-host/cmd"
	while [ "$#" -ge 2 ]; do
		qh_stage_add "$stage" "$1" "$2" || { rm -rf "$stage"; return 1; }
		shift 2
	done
	(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$out"
	local rc=$?
	rm -rf "$stage"
	return "$rc"
}
