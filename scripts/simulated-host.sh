# Sourced by the demo and the benchmark: a simulated dom0 on this machine.
# start_mirror DIR ROOT: nginx on 127.0.0.1 serving ROOT (sets MIRROR_PORT); stop_mirror DIR.
start_mirror() {
	local dir=$1 root=$2
	MIRROR_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
		|| shuf -i 20000-60000 -n 1)
	mkdir -p "$dir/tmp"
	cat >"$dir/nginx.conf" <<CONF
$( [ "$(id -u)" = 0 ] && echo "user root;" )
daemon on;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 256; }
http {
	access_log $dir/access.log;
	client_body_temp_path $dir/tmp;
	proxy_temp_path $dir/tmp;
	fastcgi_temp_path $dir/tmp;
	uwsgi_temp_path $dir/tmp;
	scgi_temp_path $dir/tmp;
	default_type application/octet-stream;
	sendfile on;
	server { listen 127.0.0.1:$MIRROR_PORT; root $root; }
}
CONF
	/usr/sbin/nginx -c "$dir/nginx.conf" -p "$dir" -e "$dir/error.log"
}

stop_mirror() {
	[ -f "$1/nginx.pid" ] && kill "$(cat "$1/nginx.pid")" 2>/dev/null
	return 0
}

# start_simulator DIR STATE -> XenAPI socket DIR/xapi, xenstore socket DIR/xenstored.
start_simulator() {
	local dir=$1 state=$2
	dotnet build tests/XapiSimulator -c Release -v quiet -nologo >/dev/null
	dotnet tests/XapiSimulator/bin/Release/net10.0/XapiSimulator.dll --state "$state" \
		--xapi-socket "$dir/xapi" --xenstore-socket "$dir/xenstored" --calls "$dir/calls.jsonl" >"$dir/simulator.log" 2>&1 &
	SIMULATOR_PID=$!
	for _ in $(seq 100); do [ -S "$dir/xenstored" ] && return 0; sleep 0.1; done
	echo "XapiSimulator did not start" >&2
	return 1
}

# make_work_dir NAME: sets $work to a new directory, removed on exit with the mirror and
# the simulator started in it.
make_work_dir() {
	work=$(mktemp -d "/tmp/eliloader-$1.XXXXXX")
	trap 'stop_mirror "$work"; [ -n "${SIMULATOR_PID:-}" ] && kill "$SIMULATOR_PID" 2>/dev/null; rm -rf "$work"' EXIT
}

# write_config DIR -> DIR/eliloader.conf pointing eliloader at DIR's boot directory, sockets
# and cache, and DIR/no-cache.conf, the same with the image cache off.
write_config() {
	cat >"$1/eliloader.conf" <<CONF
boot-dir = $1/boot
xapi-socket = $1/xapi
xenstore-socket = $1/xenstored
syslog-socket = $1/no-syslog
output-format = sxp
state-dir = $1/state
cache-dir = $1/cache
CONF
	sed 's|^cache-dir = .*|cache-dir =|' "$1/eliloader.conf" >"$1/no-cache.conf"
}

# signed_bookworm_mirror DIR: DIR/mirrors/debian12, the Debian 12 tree of .cache hard-linked,
# with dists/bookworm/InRelease listing the installer's SHA256SUMS and MD5SUMS, signed by an
# RSA 4096 key made now, as a real mirror carries it; the key in DIR/keyrings. Boots from it
# go through the whole signature chain.
signed_bookworm_mirror() {
	local release="$1/mirrors/debian12/dists/bookworm" images=main/installer-amd64/current/images
	mkdir -p "$1/mirrors" "$1/keyrings" && cp -al "$PWD/.cache/mirrors/debian12" "$1/mirrors/"
	{
		printf 'Origin: Debian\nCodename: bookworm\nSHA256:\n'
		for f in $images/SHA256SUMS $images/MD5SUMS; do
			printf ' %s %s %s\n' "$(sha256sum <"$release/$f" | cut -d' ' -f1)" "$(stat -c %s "$release/$f")" "$f"
		done
	} >"$release/Release"
	mkdir -m 0700 "$1/gnupg"
	gpg --homedir "$1/gnupg" --batch --passphrase '' --quick-gen-key 'eliloader bench <bench@example.org>' rsa4096 sign never 2>/dev/null
	gpg --homedir "$1/gnupg" --batch --clearsign -o "$release/InRelease" "$release/Release" 2>/dev/null
	gpg --homedir "$1/gnupg" --export >"$1/keyrings/bench.gpg"
	gpgconf --homedir "$1/gnupg" --kill all
}

# debian_vms PREFIX COUNT RELEASE PATH [XENSTORE-JSON] > state.json: COUNT VMs PREFIX-1..
# made from a Debian template of RELEASE, installing from the mirror's /PATH/ (one VM per
# first boot: a first boot hands its VM over to pygrub), and the xenstore entries given.
debian_vms() {
	echo '{ "vms": ['
	for i in $(seq "$2"); do
		[ "$i" -gt 1 ] && echo ','
		printf '{ "uuid": "%s-%d", "other_config": { "install-distro": "debianlike", "install-arch": "amd64", "debian-release": "%s", "install-repository": "http://127.0.0.1:%d/%s/" } }' "$1" "$i" "$3" "$MIRROR_PORT" "$4"
	done
	echo "], \"xenstore\": ${5:-{\}} }"
}

# bookworm_vms PREFIX COUNT [XENSTORE-JSON] > state.json: Debian 12 VMs installing from /debian12/.
bookworm_vms() { debian_vms "$1" "$2" bookworm debian12 "${3:-}"; }

# now: the time in seconds; median: the median of the numbers on stdin.
now() { date +%s.%N; }
median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
