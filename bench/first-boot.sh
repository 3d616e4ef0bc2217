#!/usr/bin/env bash
# make bench: eliloader's first boot of a Debian 12 install (the real netboot kernel and
# initrd, served by nginx on 127.0.0.1) against curl fetching the same two files, in the
# same run. Reports median wall times, their ratio, and eliloader's peak RSS, for three
# cases: the image cache off, the cache empty before each run (download + keep), and the
# cache warm (a conditional request, then a local copy). The mirror's Release is signed
# (InRelease, a key made for the run) and signatures = require, so every boot checks the
# whole chain: InRelease, the SHA256SUMS it lists, the files.
# Goals (issue 2): at most 1.2 times curl; peak RSS under 40 MiB.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/simulated-host.sh
runs=${RUNS:-9}

make_work_dir bench

signed_bookworm_mirror "$work"
start_mirror "$work" "$work/mirrors"
base="http://127.0.0.1:$MIRROR_PORT/debian12/dists/bookworm/main/installer-amd64/current/images/netboot/xen"

bookworm_vms bench $((runs * 3 + 1)) >"$work/state.json"
start_simulator "$work" "$work/state.json"
write_config "$work"
for conf in "$work/eliloader.conf" "$work/no-cache.conf"; do
	printf 'signatures = require\nkeyring-dir = %s\n' "$work/keyrings" >>"$conf"
done


# Warm the page cache so both tools read the files from memory on the server side.
curl -s -o /dev/null "$base/vmlinuz" -o /dev/null "$base/initrd.gz"

: >"$work/curl.times"; : >"$work/rss"
# run_eliloader CASE CONFIG VM: one whole first boot, its time appended to CASE.times.
run_eliloader() {
	local start
	start=$(now)
	ELILOADER_CONFIG="$2" /usr/bin/time -f '%M' -o "$work/rss.one" dist/eliloader -q --vm "$3" "" >/dev/null
	echo "$(now) - $start" | bc >>"$work/$1.times"
	cat "$work/rss.one" >>"$work/rss"
	rm -rf "$work/boot"
}
# One boot untimed, as curl's above: the XapiSimulator answers its first calls slowly
# while .NET compiles its handlers, which no XAPI does.
ELILOADER_CONFIG="$work/no-cache.conf" dist/eliloader -q --vm "bench-$((runs * 3 + 1))" "" >/dev/null
rm -rf "$work/boot"
for i in $(seq "$runs"); do
	mkdir -p "$work/curl"
	start=$(now)
	curl -sf -o "$work/curl/vmlinuz" "$base/vmlinuz" -o "$work/curl/initrd.gz" "$base/initrd.gz"
	echo "$(now) - $start" | bc >>"$work/curl.times"
	rm -rf "$work/curl"

	run_eliloader no-cache "$work/no-cache.conf" "bench-$i"
	rm -rf "$work/cache"
	run_eliloader cold-cache "$work/eliloader.conf" "bench-$((runs + i))"
	run_eliloader warm-cache "$work/eliloader.conf" "bench-$((2 * runs + i))"
done

curl_time=$(median <"$work/curl.times")
rss_kib=$(sort -n "$work/rss" | tail -1)
rss_mib=$(echo "scale=1; $rss_kib / 1024" | bc)
size=$(( $(stat -c %s .cache/mirrors/debian12/dists/bookworm/main/installer-amd64/current/images/netboot/xen/vmlinuz) + $(stat -c %s .cache/mirrors/debian12/dists/bookworm/main/installer-amd64/current/images/netboot/xen/initrd.gz) ))
printf '\nfirst boot, Debian 12 netboot kernel + initrd (%d bytes), %d runs, medians\n' "$size" "$runs"
printf '%-40s %9.3fs\n' "curl (both files)" "$curl_time"
for case in no-cache cold-cache warm-cache; do
	t=$(median <"$work/$case.times")
	ratio=$(echo "scale=2; $t / $curl_time" | bc)
	printf '%-40s %9.3fs  ratio to curl %5s  goal <= 1.20  %s\n' "eliloader, $case (whole first boot)" "$t" "$ratio" \
		"$( [ "$(echo "$ratio <= 1.2" | bc)" = 1 ] && echo met || echo MISSED)"
done
printf '%-40s %8s MiB  goal < 40    %s\n' "eliloader peak RSS (all runs)" "$rss_mib" "$( [ "$(echo "$rss_mib < 40" | bc)" = 1 ] && echo met || echo MISSED)"
