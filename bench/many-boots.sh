#!/usr/bin/env bash
# make bench: many VMs of one template starting at once (the real Debian 12 netboot
# pair, nginx on 127.0.0.1), with the image cache off and then on (empty at the start).
# Reports the wall time until every boot has printed its boot line, how many bytes the
# mirror sent and how many conditional requests it answered (nginx's access log), in the
# same run, then the same burst on the warm cache. Goals (issue 22): the cache on no
# slower than off, one download per file, one conditional request per file a burst.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/simulated-host.sh
vms=${VMS:-20}

make_work_dir bench

start_mirror "$work" "$PWD/.cache/mirrors"
bookworm_vms many $((vms * 3)) >"$work/state.json"
start_simulator "$work" "$work/state.json"
write_config "$work"

sent() { awk '{ sum += $10 } END { print sum + 0 }' "$work/access.log"; }

# boot_all CONFIG FIRST: starts VMs FIRST..FIRST+vms-1 at once; prints seconds, bytes sent
# and the conditional requests (304s) the mirror answered. The boot directory is emptied
# before the line is printed: the caller reads the line and starts the next burst at once.
boot_all() {
	local before checks start
	before=$(sent)
	checks=$(grep -c '" 304 ' "$work/access.log" || true)
	start=$(now)
	for i in $(seq "$2" $(($2 + vms - 1))); do
		ELILOADER_CONFIG="$1" dist/eliloader -q --vm "many-$i" "" >/dev/null &
	done
	wait
	local end
	end=$(now)
	rm -rf "$work/boot"
	echo "$(echo "$end - $start" | bc) $(($(sent) - before)) $(($(grep -c '" 304 ' "$work/access.log" || true) - checks))"
}

read -r off_time off_bytes _ < <(boot_all "$work/no-cache.conf" 1)
read -r on_time on_bytes on_checks < <(boot_all "$work/eliloader.conf" $((vms + 1)))
# The same burst again on the warm cache, once the first burst's validations have aged past
# cache-recheck-after: one conditional request per file is the goal.
sleep 6
read -r warm_time warm_bytes warm_checks < <(boot_all "$work/eliloader.conf" $((2 * vms + 1)))
ratio=$(echo "scale=2; $on_time / $off_time" | bc)
mb() { echo "scale=1; $1 / 1000000" | bc; }
printf '\n%d first boots at once, Debian 12 netboot kernel + initrd\n' "$vms"
printf '%-28s %8.2fs  %8.1f MB from the mirror\n' "image cache off" "$off_time" "$(mb "$off_bytes")"
printf '%-28s %8.2fs  %8.1f MB from the mirror, %d conditional requests\n' "image cache on (empty)" "$on_time" "$(mb "$on_bytes")" "$on_checks"
printf '%-28s %8.2fs  %8.1f MB from the mirror, %d conditional requests\n' "image cache on (warm)" "$warm_time" "$(mb "$warm_bytes")" "$warm_checks"
size=$(( $(stat -c %s .cache/mirrors/debian12/dists/bookworm/main/installer-amd64/current/images/netboot/xen/vmlinuz) + $(stat -c %s .cache/mirrors/debian12/dists/bookworm/main/installer-amd64/current/images/netboot/xen/initrd.gz) ))
verdict() { [ "$1" = 1 ] && echo "goal met" || echo "goal missed"; }
printf '%-28s %8s   goal <= 1.00  %s\n' "cache on / cache off" "$ratio" "$(verdict "$(echo "$ratio <= 1" | bc)")"
printf '%-28s %8s   goal one download per file  %s\n' "bytes with the cache on" "$on_bytes" \
	"$(verdict "$(echo "$on_bytes < $size * 11 / 10" | bc)")"
printf '%-28s %8s   goal <= 2 (one per file)  %s\n' "conditional requests, warm" "$warm_checks" "$(verdict "$(echo "$warm_checks <= 2" | bc)")"
