#!/bin/sh
# Makes this package's eliloader the one at /usr/bin/eliloader, and gives the
# previous one (XenServer's Python loader from linux-guest-loader) back on removal.
#   takeover.sh take       save the current /usr/bin/eliloader, link ours in its place
#   takeover.sh give-back  remove our link, put the saved loader back byte for byte
# Paths are below $DESTDIR (empty on a real host). Running either twice is harmless.
set -e
bin="$DESTDIR/usr/bin/eliloader"
ours=/usr/libexec/eliloader/eliloader
saved="$DESTDIR/var/lib/eliloader/eliloader.orig"

is_ours() { [ -L "$bin" ] && [ "$(readlink "$bin")" = "$ours" ]; }

case "$1" in
take)
	is_ours && exit 0
	if [ -e "$bin" ] || [ -L "$bin" ]; then
		mkdir -p "$(dirname "$saved")"
		mv -f "$bin" "$saved"
	fi
	mkdir -p "$(dirname "$bin")"
	ln -s "$ours" "$bin"
	;;
give-back)
	if is_ours; then
		rm -f "$bin"
	fi
	if [ -e "$saved" ] || [ -L "$saved" ]; then
		mv -f "$saved" "$bin"
		rmdir "$(dirname "$saved")" 2>/dev/null || true
	fi
	;;
*)
	echo "usage: $0 take|give-back" >&2
	exit 2
	;;
esac
