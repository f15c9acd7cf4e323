# shellcheck shell=bash
# apt_update [PREFIX...]: `apt-get update`, run through PREFIX (sudo, or a
# root wrapper) when given.  Debian's mirrors are sometimes mid-sync: one
# index then fails its size or hash check and apt-get exits 100 although
# every other list was refreshed.  So retry a few times, and if it still
# fails, warn in one line and go on with the lists we have: a package that
# really cannot be had makes the following install or download fail, with
# apt's own message.  Always returns 0.  Sourced, not run.

apt_update() {
	local try out
	for try in 1 2 3; do
		out=$("$@" apt-get update -q 2>&1) && return 0
		[ "$try" -eq 3 ] || sleep $((try * 10))
	done
	printf '%s\n' "$out" | grep -E '^(E|W):' | head -n 3 | sed 's/^/apt:   /' >&2
	echo "apt: 'apt-get update' failed 3 times; going on with the package lists there are" >&2
	return 0
}
