#!/usr/bin/env bash
# make demo: a fixture mirror on nginx, the XapiSimulator holding one VM made from the
# "Debian Squeeze 6.0 (64-bit)" template, and dist/eliloader run exactly as xenopsd runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/simulated-host.sh

make_work_dir demo

start_mirror "$work" "$PWD/fixtures/mirrors"
repo="http://127.0.0.1:$MIRROR_PORT/debian"
uuid=5d3c1e0a-8f7b-4c2d-9e6a-1b0f2a3c4d5e
cat >"$work/state.json" <<STATE
{
  "vms": [{
    "uuid": "$uuid",
    "name_label": "squeeze-demo",
    "PV_bootloader": "eliloader",
    "other_config": {
      "install-distro": "debianlike",
      "install-arch": "amd64",
      "debian-release": "squeeze",
      "install-repository": "$repo",
      "install-methods": "cdrom,http,ftp"
    },
    "platform": { "pv-postinstall-kernel-max-size": "33554432", "pv-postinstall-ramdisk-max-size": "134217728" },
    "VBDs": [ { "userdevice": "0" }, { "userdevice": "3" } ]
  }],
  "xenstore": { "/vm/$uuid/domains/7": "", "/mh/limits/pv-ramdisk-max-size": "134217728" }
}
STATE
cp "$work/state.json" "$work/state.before.json"
start_simulator "$work" "$work/state.json"

write_config "$work"

echo "== xenopsd runs: eliloader -q --vm $uuid ''"
ELILOADER_CONFIG="$work/eliloader.conf" dist/eliloader -q --vm "$uuid" "" | tee "$work/boot-line"
echo
echo "== files handed to the toolstack, compared byte for byte with the mirror"
images=fixtures/mirrors/debian/dists/squeeze/main/installer-amd64/current/images/netboot/xen
for f in "$work"/boot/*; do
	case "$(basename "$f")" in vmlinuz-*) src=$images/vmlinuz ;; *) src=$images/initrd.gz ;; esac
	same=$(cmp -s "$f" "$src" && echo "identical to" || echo "DIFFERS from")
	printf '%s  %8d bytes  %s %s\n' "$(basename "$f")" "$(stat -c %s "$f")" "$same" "$src"
done
echo
echo "== the image cache that boot filled (checked against the mirror's MD5SUMS first);"
echo "   the next VM's first boot asks the mirror whether each file changed and copies it from here"
ELILOADER_CONFIG="$work/eliloader.conf" dist/eliloader cache list
echo
echo "== what changed on the VM"
dotnet tests/XapiSimulator/bin/Release/net10.0/XapiSimulator.dll diff "$work/state.before.json" "$work/state.json"
echo
echo "== XenAPI calls eliloader made"
sed -E 's/OpaqueRef:[0-9a-f-]+/OpaqueRef:…/g' "$work/calls.jsonl"
echo
echo "== the same VM with debian-release misspelt fails cleanly, in the caller's error dialect:"
sed -i "s/\"debian-release\": \"squeeze\"/\"debian-release-typo\": \"squeeze\"/" "$work/state.before.json"
kill "$SIMULATOR_PID"; wait "$SIMULATOR_PID" 2>/dev/null || true
cp "$work/state.before.json" "$work/state.json"
rm -f "$work/xapi" "$work/xenstored"
start_simulator "$work" "$work/state.json"
rm -rf "$work/boot"
set +e
ELILOADER_CONFIG="$work/eliloader.conf" dist/eliloader -q --vm "$uuid" ""
echo "(exit status $?; files left in the boot directory: $(ls "$work/boot" 2>/dev/null | wc -l))"
