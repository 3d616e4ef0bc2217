#!/usr/bin/env bash
# make bench, part 2: patching the real Debian 12 netboot initrd (40.8 MB gzip, 131 MiB
# unpacked) with a small overlay named by a guest-installer map, through a whole first
# boot, against the Python loader's pipeline on the same files in the same run: curl,
# `zcat | cpio -idu` into a directory, then `find | cpio -o -H newc` into a file.
# Goals (issue 5): rewrite at most 0.5 times the reference; peak RSS under 64 MiB.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/simulated-host.sh
runs=${RUNS:-5}

make_work_dir patch-bench

start_mirror "$work" "$PWD/.cache/mirrors"
tree=.cache/mirrors/debian12/dists/bookworm/main/installer-amd64/current/images/netboot/xen
base="http://127.0.0.1:$MIRROR_PORT/debian12/dists/bookworm/main/installer-amd64/current/images/netboot/xen"

mkdir -p "$work/guest-installer" "$work/overlay/sbin"
printf '#!/bin/sh\necho patched\n' >"$work/overlay/init"
echo helper >"$work/overlay/sbin/xen-cd"
(cd "$work/overlay" && find . | cpio -o -H newc --quiet) >"$work/guest-installer/additions.cpio"
echo "$(md5sum <"$tree/initrd.gz" | cut -d' ' -f1) cpio additions.cpio Debian 12 netboot (benchmark)" >"$work/guest-installer/bench.map"

# The unpacked initrd is above the default 128 MiB ramdisk limit: this host allows 256 MiB.
bookworm_vms patch $((runs * 3)) '{ "/mh/limits/pv-ramdisk-max-size": "268435456" }' >"$work/state.json"
start_simulator "$work" "$work/state.json"
write_config "$work"
echo "guest-installer-dir = $work/guest-installer" >>"$work/eliloader.conf"

curl -s -o /dev/null "$base/initrd.gz"

reference() {
	mkdir -p "$work/ref/tree"
	curl -sf -o "$work/ref/vmlinuz" "$base/vmlinuz" -o "$work/ref/initrd.gz" "$base/initrd.gz"
	(cd "$work/ref/tree" && zcat ../initrd.gz | cpio -idu --quiet && cpio -idu --quiet <"$work/guest-installer/additions.cpio")
	(cd "$work/ref/tree" && find . | cpio -o -H newc --quiet >"$work/ref/tweaked")
	rm -rf "$work/ref"
}

vm=0
measure() { # name, extra config lines
	local name=$1
	cp "$work/eliloader.conf" "$work/$name.conf"
	[ -n "${2:-}" ] && echo "$2" >>"$work/$name.conf"
	: >"$work/$name.times"; : >"$work/$name.rss"
	for _ in $(seq "$runs"); do
		vm=$((vm + 1))
		local start; start=$(now)
		ELILOADER_CONFIG="$work/$name.conf" /usr/bin/time -f '%M' -o "$work/rss.one" dist/eliloader -q --vm "patch-$vm" "" >"$work/out"
		echo "$(now) - $start" | bc >>"$work/$name.times"
		cat "$work/rss.one" >>"$work/$name.rss"
		grep -q tweaked-initrd- "$work/out" || { echo "no patched ramdisk in: $(cat "$work/out")" >&2; exit 1; }
		rm -rf "$work/boot"
	done
}

: >"$work/reference.times"
for _ in $(seq "$runs"); do
	start=$(now); reference; echo "$(now) - $start" | bc >>"$work/reference.times"
done
measure rewrite
measure gzip "patched-initrd-compression = gzip"
measure append "initrd-fixup = append"

ref=$(median <"$work/reference.times")
printf '\npatching the Debian 12 netboot initrd, first boot included, %d runs, medians\n' "$runs"
printf '%-44s %9.3fs\n' "reference (curl, zcat | cpio -idu, cpio -o)" "$ref"
for name in rewrite gzip append; do
	t=$(median <"$work/$name.times")
	rss=$(echo "scale=1; $(sort -n "$work/$name.rss" | tail -1) / 1024" | bc)
	ratio=$(echo "scale=2; $t / $ref" | bc)
	printf '%-44s %9.3fs  ratio %5s  peak RSS %6s MiB\n' "eliloader, $name" "$t" "$ratio" "$rss"
done
echo "goals: rewrite ratio <= 0.50, peak RSS < 64 MiB"
