#!/bin/sh
# Undoes install.sh: the previous /usr/bin/eliloader comes back byte for byte; the
# configuration is left in /etc/eliloader.conf, and the cache in /var/cache/eliloader.
set -e
takeover="$DESTDIR/usr/libexec/eliloader/takeover"
[ -x "$takeover" ] && DESTDIR="$DESTDIR" "$takeover" give-back
rm -f "$DESTDIR/usr/libexec/eliloader/eliloader" "$takeover" "$DESTDIR/usr/share/man/man1/eliloader.1" \
	"$DESTDIR/etc/eliloader/keyrings/debian-archive-keyring.gpg" "$DESTDIR/etc/eliloader/keyrings/debian-archive-removed-keys.gpg"
rmdir "$DESTDIR/etc/eliloader/keyrings" "$DESTDIR/etc/eliloader" 2>/dev/null || true
rmdir "$DESTDIR/usr/libexec/eliloader" 2>/dev/null || true
echo "eliloader removed; /usr/bin/eliloader is the previous loader again"
