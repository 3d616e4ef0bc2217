#!/usr/bin/env bash
# make bench: eliloader's first boot of a Debian 12 install from an NFS export (the real
# netboot kernel and initrd, nfs-ganesha on 127.0.0.1, read by the built-in client)
# against libnfs's nfs-cp fetching the same two files, in the same run. Reports median
# wall times, their ratio and eliloader's peak RSS, with the image cache off.
# Goals (issue 11): at most 1.2 times nfs-cp; peak RSS under 40 MiB.
# rpcbind (111) and NFS (2049) are the machine's: the run holds /tmp/eliloader-nfs.lock,
# as the NFS tests do, and stops both daemons by pid when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/simulated-host.sh
runs=${RUNS:-9}
export_dir="$PWD/.cache/mirrors/debian12"
images=dists/bookworm/main/installer-amd64/current/images/netboot/xen

make_work_dir bench-nfs
exec 9>/tmp/eliloader-nfs.lock
flock 9
trap 'set +e; for p in ${GANESHA_PID:-} ${RPCBIND_PID:-}; do kill -9 "$p"; wait "$p"; done 2>/dev/null; [ -n "${SIMULATOR_PID:-}" ] && kill "$SIMULATOR_PID" 2>/dev/null; rm -rf "$work"' EXIT

cat >"$work/ganesha.conf" <<CONF
NFS_CORE_PARAM { Bind_addr = 127.0.0.1; NFS_Port = 2049; MNT_Port = 20048; Enable_NLM = false; Enable_RQUOTA = false; Protocols = 3, 4; }
NFSV4 { Graceless = true; }
NFS_KRB5 { Active_krb5 = false; }
EXPORT {
	Export_Id = 1; Path = $export_dir; Pseudo = $export_dir; Access_Type = RO; Squash = No_Root_Squash;
	Protocols = 3, 4; Transports = TCP; SecType = sys; FSAL { Name = VFS; }
}
CONF
/usr/sbin/rpcbind -f -w & RPCBIND_PID=$!
sleep 0.5
/usr/bin/ganesha.nfsd -F -f "$work/ganesha.conf" -L "$work/ganesha.log" -p "$work/ganesha.pid" & GANESHA_PID=$!
for _ in $(seq 300); do grep -q "NFS SERVER INITIALIZED" "$work/ganesha.log" 2>/dev/null && break; sleep 0.1; done
grep -q "NFS SERVER INITIALIZED" "$work/ganesha.log"

{
	echo '{ "vms": ['
	for i in $(seq "$runs"); do
		[ "$i" -gt 1 ] && echo ','
		printf '{ "uuid": "nfs-%d", "other_config": { "install-distro": "debianlike", "install-arch": "amd64", "debian-release": "bookworm", "install-repository": "nfs:127.0.0.1:%s/" } }' "$i" "$export_dir"
	done
	echo '], "xenstore": {} }'
} >"$work/state.json"
start_simulator "$work" "$work/state.json"
write_config "$work"

base="nfs://127.0.0.1$export_dir/$images"
# Warm the server's page cache, as first-boot.sh does for nginx.
cat "$export_dir/$images/vmlinuz" "$export_dir/$images/initrd.gz" >/dev/null

: >"$work/nfs-cp.times"; : >"$work/eliloader.times"; : >"$work/rss"
for i in $(seq "$runs"); do
	mkdir -p "$work/copy"
	start=$(now)
	nfs-cp "$base/vmlinuz?version=4" "$work/copy/vmlinuz" >/dev/null
	nfs-cp "$base/initrd.gz?version=4" "$work/copy/initrd.gz" >/dev/null
	echo "$(now) - $start" | bc >>"$work/nfs-cp.times"
	cmp -s "$work/copy/initrd.gz" "$export_dir/$images/initrd.gz"
	rm -rf "$work/copy"

	start=$(now)
	ELILOADER_CONFIG="$work/no-cache.conf" /usr/bin/time -f '%M' -o "$work/rss.one" dist/eliloader -q --vm "nfs-$i" "" >/dev/null
	echo "$(now) - $start" | bc >>"$work/eliloader.times"
	cat "$work/rss.one" >>"$work/rss"
	rm -rf "$work/boot"
done

copy_time=$(median <"$work/nfs-cp.times")
boot_time=$(median <"$work/eliloader.times")
ratio=$(echo "scale=2; $boot_time / $copy_time" | bc)
rss_mib=$(echo "scale=1; $(sort -n "$work/rss" | tail -1) / 1024" | bc)
size=$(( $(stat -c %s "$export_dir/$images/vmlinuz") + $(stat -c %s "$export_dir/$images/initrd.gz") ))
printf '\nfirst boot over NFS (nfs-ganesha, 127.0.0.1), Debian 12 netboot kernel + initrd (%d bytes), %d runs, medians\n' "$size" "$runs"
printf '%-40s %9.3fs\n' "nfs-cp, NFSv4 (both files)" "$copy_time"
printf '%-40s %9.3fs  ratio to nfs-cp %5s  goal <= 1.20  %s\n' "eliloader, no cache (whole first boot)" "$boot_time" "$ratio" \
	"$( [ "$(echo "$ratio <= 1.2" | bc)" = 1 ] && echo met || echo MISSED)"
printf '%-40s %8s MiB  goal < 40    %s\n' "eliloader peak RSS (all runs)" "$rss_mib" "$( [ "$(echo "$rss_mib < 40" | bc)" = 1 ] && echo met || echo MISSED)"
