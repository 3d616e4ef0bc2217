# eliloader: build, test, demo and benchmarks. `make test` and `make demo` work on a
# fresh Debian 12 machine with the .NET 10 SDK: `setup` installs what else is needed.
SHELL := /bin/bash
.DEFAULT_GOAL := build

APT_PACKAGES := lld libssl-dev zlib1g-dev cmake gcc nginx-light cpio file curl openssl time bc python3-pyftpdlib xorriso rpm busybox-static xz-utils bzip2 zstd qemu-system-x86 e2fsprogs fdisk xen-utils-4.17 gnupg gpgv debian-archive-keyring nfs-ganesha nfs-ganesha-vfs rpcbind libnfs-utils
CACHE := .cache
BOOKWORM_INRELEASE := /var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease
DEBIAN12_DEB := $(CACHE)/debs/debian-installer-12-netboot-amd64.deb
DEBIAN12_TREE := $(CACHE)/mirrors/debian12/dists/bookworm/main/installer-amd64/current/images/netboot/xen
DEBIAN12_IMAGES := $(CACHE)/mirrors/debian12/dists/bookworm/main/installer-amd64/current/images
SOURCES := $(shell find src -name '*.cs' -o -name '*.csproj') Directory.Build.props fixtures/templates.tsv
# The version, in one place: Directory.Build.props.
VERSION := $(shell sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)

.PHONY: setup build publish package fixtures test faults e2e demo bench mutate clean

setup:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed$$' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "setup: installing $$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@# The signature tests check the real Debian 12 InRelease that apt-get update leaves here.
	@[ -f $(BOOKWORM_INRELEASE) ] || (echo "setup: apt-get update for $(BOOKWORM_INRELEASE)"; apt-get update -qq)
	@# nginx is started by the tests and the demo with their own configuration, never as the system service.
	@if command -v systemctl >/dev/null && systemctl is-active -q nginx 2>/dev/null; then systemctl stop nginx; fi
	@# Likewise rpcbind and ganesha: the NFS tests start their own on 111 and 2049.
	@if command -v systemctl >/dev/null; then for unit in nfs-ganesha rpcbind.socket rpcbind; do \
		if systemctl is-active -q $$unit 2>/dev/null; then systemctl stop $$unit; fi; done; fi

build:
	dotnet build Eliloader.sln -c Release -v quiet -nologo

publish: dist/eliloader

dist/eliloader: $(SOURCES)
	dotnet publish src/Eliloader/Eliloader.csproj -c Release -r linux-x64 -o dist/publish -v quiet -nologo
	cp dist/publish/eliloader dist/eliloader

# The RPM, the Debian package and the tarball, from the binary publish writes.
package: dist/eliloader
	packaging/build-packages.sh $(VERSION)

# The one real fixture from outside: Debian 12's netboot kernel and initrd, laid out as a mirror.
fixtures: $(DEBIAN12_TREE)/initrd.gz $(DEBIAN12_IMAGES)/SHA256SUMS

$(DEBIAN12_DEB):
	mkdir -p $(CACHE)/debs
	cd $(CACHE)/debs && (apt-get download debian-installer-12-netboot-amd64 2>/dev/null || (apt-get update -qq && apt-get download debian-installer-12-netboot-amd64 2>/dev/null))
	mv $(CACHE)/debs/debian-installer-12-netboot-amd64_*.deb $@

$(DEBIAN12_TREE)/initrd.gz: $(DEBIAN12_DEB)
	rm -rf $(CACHE)/debian12-unpacked && mkdir -p $(CACHE)/debian12-unpacked $(DEBIAN12_TREE)
	dpkg-deb -x $< $(CACHE)/debian12-unpacked
	mv $(CACHE)/debian12-unpacked/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64/linux $(DEBIAN12_TREE)/vmlinuz
	mv $(CACHE)/debian12-unpacked/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64/initrd.gz $(DEBIAN12_TREE)/initrd.gz
	rm -rf $(CACHE)/debian12-unpacked
	touch $@

# The mirror publishes the images' digests as the real one does (images/SHA256SUMS and
# MD5SUMS, "./netboot/xen/..." names), so every boot from it is checked against them.
$(DEBIAN12_IMAGES)/SHA256SUMS: $(DEBIAN12_TREE)/initrd.gz
	cd $(DEBIAN12_IMAGES) && md5sum ./netboot/xen/vmlinuz ./netboot/xen/initrd.gz >MD5SUMS
	cd $(DEBIAN12_IMAGES) && sha256sum ./netboot/xen/vmlinuz ./netboot/xen/initrd.gz >SHA256SUMS

test: setup publish package fixtures
	tests/run-tests.sh

# The fault suite alone (it is part of `make test` as well): the published binary against
# hostile mirrors, media, ramdisks, XenAPI, xenstore, configuration, pygrub, signals, full
# disks and many boots at once; prints its table and its own "N passed, N failed".
faults: setup publish
	tests/run-tests.sh tests/Eliloader.Faults/Eliloader.Faults.csproj

# The real boot alone (it is part of `make test` as well): qemu boots the Debian 12
# netboot kernel with the initrd eliloader patched.
e2e: setup publish fixtures
	dotnet test tests/Eliloader.Tests -c Release --nologo --filter "Category=e2e"

demo: setup publish
	scripts/demo.sh

bench: setup publish fixtures
	bench/first-boot.sh
	bench/patch-initrd.sh
	bench/many-boots.sh
	bench/startup.sh
	bench/latency.sh
	bench/nfs-fetch.sh

# Mutation testing of Eliloader.Formats (Stryker.NET, a local dotnet tool), folder by folder, on
# one core; prints each folder's score. Not part of `make test`: it takes about an hour.
mutate:
	scripts/mutate.sh

clean:
	rm -rf dist $(CACHE)/debian12-unpacked
	dotnet clean Eliloader.sln -v quiet -nologo
