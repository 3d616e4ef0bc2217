#!/bin/sh
# Installs eliloader from this tarball on a host where neither rpm nor dpkg fits:
# the binary in /usr/libexec/eliloader, /etc/eliloader.conf (kept if present), the man
# page, Debian's archive keys in /etc/eliloader/keyrings, /var/cache/eliloader, and /usr/bin/eliloader pointing at it; the previous
# /usr/bin/eliloader is saved in /var/lib/eliloader for uninstall.sh. DESTDIR installs
# below another root.
set -e
here=$(cd "$(dirname "$0")" && pwd)
install -D -m 0755 "$here/eliloader" "$DESTDIR/usr/libexec/eliloader/eliloader"
install -D -m 0755 "$here/takeover.sh" "$DESTDIR/usr/libexec/eliloader/takeover"
[ -e "$DESTDIR/etc/eliloader.conf" ] || install -D -m 0644 "$here/eliloader.conf" "$DESTDIR/etc/eliloader.conf"
install -D -m 0644 "$here/eliloader.1" "$DESTDIR/usr/share/man/man1/eliloader.1"
install -d -m 0755 "$DESTDIR/var/cache/eliloader"
install -D -m 0644 -t "$DESTDIR/etc/eliloader/keyrings" "$here"/keyrings/*.gpg
DESTDIR="$DESTDIR" "$DESTDIR/usr/libexec/eliloader/takeover" take
echo "eliloader installed; /usr/bin/eliloader -> /usr/libexec/eliloader/eliloader"
