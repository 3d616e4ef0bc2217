#!/usr/bin/env bash
# make bench: a first boot from a mirror as far away as a real one. nginx on 127.0.0.1
# serves the Debian 12 pair behind bench/DelayProxy (this kernel has no sch_netem):
# RTT_MS round trip (40 by default) and MBIT (100) Mbit/s shared by every connection.
# In the same run: curl fetching the two files one after the other on one connection,
# and eliloader's whole first boot (image cache off); medians of RUNS, the requests and
# connections eliloader made, and the goal (issue 22): at most curl's time plus two
# round trips, i.e. the existence checks and the checksum list cost no more than that.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/simulated-host.sh
runs=${RUNS:-5}
rtt=${RTT_MS:-40}
mbit=${MBIT:-100}

make_work_dir latency
start_mirror "$work" "$PWD/.cache/mirrors"
dotnet build bench/DelayProxy -c Release -v quiet -nologo >/dev/null
mirror_port=$MIRROR_PORT
dotnet bench/DelayProxy/bin/Release/net10.0/DelayProxy.dll 0 "$mirror_port" "$(echo "scale=3; $rtt / 2" | bc)" "$mbit" >"$work/proxy.log" &
PROXY_PID=$!
trap 'kill $PROXY_PID 2>/dev/null; stop_mirror "$work"; [ -n "${SIMULATOR_PID:-}" ] && kill "$SIMULATOR_PID" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q '^listening' "$work/proxy.log" 2>/dev/null && break; sleep 0.1; done
MIRROR_PORT=$(sed -n 's/^listening //p' "$work/proxy.log")
base="http://127.0.0.1:$MIRROR_PORT/debian12/dists/bookworm/main/installer-amd64/current/images/netboot/xen"

bookworm_vms far $((runs + 1)) >"$work/state.json"
start_simulator "$work" "$work/state.json"
write_config "$work"

connections() { grep -c '^connection' "$work/proxy.log" || true; }
requests() { wc -l <"$work/access.log"; }
# One of each untimed: the simulator's first calls, and the page cache on nginx's side.
curl -s -o /dev/null "$base/vmlinuz" -o /dev/null "$base/initrd.gz"
ELILOADER_CONFIG="$work/no-cache.conf" dist/eliloader -q --vm "far-$((runs + 1))" "" >/dev/null
rm -rf "$work/boot"
: >"$work/curl.times"; : >"$work/eliloader.times"
for i in $(seq "$runs"); do
	start=$(now)
	curl -sf -o /dev/null "$base/vmlinuz" -o /dev/null "$base/initrd.gz"
	echo "$(now) - $start" | bc >>"$work/curl.times"

	before_connections=$(connections); before_requests=$(requests)
	start=$(now)
	ELILOADER_CONFIG="$work/no-cache.conf" dist/eliloader -q --vm "far-$i" "" >/dev/null
	echo "$(now) - $start" | bc >>"$work/eliloader.times"
	boot_connections=$(($(connections) - before_connections)); boot_requests=$(($(requests) - before_requests))
	rm -rf "$work/boot"
done

curl_time=$(median <"$work/curl.times")
boot_time=$(median <"$work/eliloader.times")
extra=$(echo "scale=1; ($boot_time - $curl_time) * 1000 / $rtt" | bc)
printf '\nfirst boot over a %d ms round trip at %d Mbit/s (Debian 12 pair, cache off), %d runs, medians\n' "$rtt" "$mbit" "$runs"
printf '%-44s %8.3fs\n' "curl (both files, one connection)" "$curl_time"
printf '%-44s %8.3fs  %d requests on %d connections\n' "eliloader (whole first boot)" "$boot_time" "$boot_requests" "$boot_connections"
printf '%-44s %8s   goal <= 2  %s\n' "round trips beyond curl's" "$extra" \
	"$( [ "$(echo "$extra <= 2" | bc)" = 1 ] && echo "goal met" || echo "goal missed")"
