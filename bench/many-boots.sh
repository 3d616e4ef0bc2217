#!/usr/bin/env bash
# make bench: many VMs of one template starting at once (the real Debian 12 netboot
# pair, nginx on 127.0.0.1), with the image cache off and then on (empty at the start).
# Reports the wall time until every boot has printed its boot line, and how many bytes
# the mirror sent (nginx's access log), in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/simulated-host.sh
vms=${VMS:-20}

make_work_dir bench

start_mirror "$work" "$PWD/.cache/mirrors"
bookworm_vms many $((vms * 2)) >"$work/state.json"
start_simulator "$work" "$work/state.json"
write_config "$work"

sent() { awk '{ sum += $10 } END { print sum + 0 }' "$work/access.log"; }

# boot_all CONFIG FIRST: starts VMs FIRST..FIRST+vms-1 at once; prints seconds and bytes sent.
boot_all() {
	local before start
	before=$(sent)
	start=$(now)
	for i in $(seq "$2" $(($2 + vms - 1))); do
		ELILOADER_CONFIG="$1" dist/eliloader -q --vm "many-$i" "" >/dev/null &
	done
	wait
	echo "$(echo "$(now) - $start" | bc) $(($(sent) - before))"
	rm -rf "$work/boot"
}

read -r off_time off_bytes < <(boot_all "$work/no-cache.conf" 1)
read -r on_time on_bytes < <(boot_all "$work/eliloader.conf" $((vms + 1)))
printf '\n%d first boots at once, Debian 12 netboot kernel + initrd\n' "$vms"
printf '%-28s %8.2fs  %8.1f MB from the mirror\n' "image cache off" "$off_time" "$(echo "scale=1; $off_bytes / 1000000" | bc)"
printf '%-28s %8.2fs  %8.1f MB from the mirror\n' "image cache on (empty)" "$on_time" "$(echo "scale=1; $on_bytes / 1000000" | bc)"
