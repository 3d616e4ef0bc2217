#!/usr/bin/env bash
# make package: the RPM, the Debian package and the tarball, all from dist/eliloader.
# Usage: packaging/build-packages.sh VERSION
set -euo pipefail
cd "$(dirname "$0")/.."
version=$1
binary=dist/eliloader
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Debian's archive keys, from the debian-archive-keyring package of this build machine
# (make setup installs it): the current keys and the removed ones that signed the
# archived releases the templates name. They go to keyring-dir in every artefact; the
# source tree holds none.
keyrings="$work/keyrings"
mkdir -p "$keyrings"
for keyring in debian-archive-keyring.gpg debian-archive-removed-keys.gpg; do
	source=/usr/share/keyrings/$keyring
	dpkg -S "$source" 2>/dev/null | grep -q '^debian-archive-keyring:' || { echo "$source is not from debian-archive-keyring: install it (make setup)" >&2; exit 1; }
	install -m 0644 "$source" "$keyrings/$keyring"
done
echo "keyrings from debian-archive-keyring $(dpkg-query -W -f='${Version}' debian-archive-keyring)"

# RPM (XenServer, XCP-ng): rpmbuild from Debian's rpm package.
mkdir -p "$work/rpm/SOURCES"
cp "$binary" packaging/eliloader.conf packaging/eliloader.1 packaging/takeover.sh "$keyrings"/*.gpg "$work/rpm/SOURCES/"
rpmbuild -bb --quiet --define "_topdir $work/rpm" --define "eliloader_version $version" packaging/rpm/eliloader.spec
cp "$work"/rpm/RPMS/x86_64/eliloader-"$version"-1.x86_64.rpm dist/

# Debian package (Debian-based XCP): the binary at /usr/bin/eliloader, the old one diverted.
stage="$work/deb"
install -D -m 0755 "$binary" "$stage/usr/bin/eliloader"
# xcp-eliloader kept its map files elsewhere: this package's configuration says so.
install -d "$stage/etc"
sed 's|^# guest-installer-dir = .*|guest-installer-dir = /usr/share/xcp/packages/files/guest-installer|' packaging/eliloader.conf >"$stage/etc/eliloader.conf"
install -D -m 0644 packaging/eliloader.1 "$stage/usr/share/man/man1/eliloader.1"
gzip -9n "$stage/usr/share/man/man1/eliloader.1"
install -d -m 0755 "$stage/var/cache/eliloader" "$stage/DEBIAN"
install -D -m 0644 -t "$stage/etc/eliloader/keyrings" "$keyrings"/*.gpg
sed "s/@VERSION@/$version/" packaging/deb/control >"$stage/DEBIAN/control"
install -m 0644 packaging/deb/conffiles "$stage/DEBIAN/conffiles"
install -m 0755 packaging/deb/preinst packaging/deb/postrm "$stage/DEBIAN/"
dpkg-deb --root-owner-group --build "$stage" "dist/eliloader_${version}_amd64.deb" >/dev/null

# Tarball, for hosts where neither fits.
tree="$work/eliloader-$version"
mkdir -p "$tree"
cp "$binary" packaging/eliloader.conf packaging/eliloader.1 packaging/takeover.sh packaging/tarball/install.sh packaging/tarball/uninstall.sh "$tree/"
cp -r "$keyrings" "$tree/keyrings"
tar -C "$work" --owner=0 --group=0 -czf "dist/eliloader-$version-linux-x86_64.tar.gz" "eliloader-$version"

ls -l "dist/eliloader-$version-1.x86_64.rpm" "dist/eliloader_${version}_amd64.deb" "dist/eliloader-$version-linux-x86_64.tar.gz" | awk '{print $5, $9}'
