#!/usr/bin/env bash
# make bench: what every VM start pays before any work, in the same run:
#  - `eliloader --version` against a static C program that only exits (compiled here);
#  - the toolstack path's fixed cost: a whole first boot from a tree of 3 kB stand-in
#    files (nginx, the XapiSimulator, image cache off), so that the transfer is nothing.
# Each figure is the median of RUNS process starts, timed by a small C harness
# (posix_spawn, clock_gettime, wait4's CPU times) so that no shell sits between the runs.
# Goal (issue 14): --version under 10 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/simulated-host.sh
runs=${RUNS:-101}
# Another build to compare with, in the same run: ELILOADER=/path/to/eliloader.
binary=${ELILOADER:-dist/eliloader}

make_work_dir startup

cat >"$work/exit.c" <<'C'
int main(void) { return 0; }
C
cat >"$work/spawn-median.c" <<'C'
/* spawn-median RUNS PROGRAM ARGS...: starts PROGRAM RUNS times, one after the other,
   stdout and stderr to /dev/null; prints the median wall time and the median CPU time
   (user + system, which other load on the machine hardly changes) in milliseconds, and
   exits 1 if any run failed. */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
extern char **environ;
static int compare(const void *a, const void *b) {
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}
static double ms(struct timeval t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; }
int main(int argc, char **argv) {
	int runs = atoi(argv[1]), failed = 0;
	double *wall = calloc(runs, sizeof *wall), *cpu = calloc(runs, sizeof *cpu);
	posix_spawn_file_actions_t quiet;
	posix_spawn_file_actions_init(&quiet);
	posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&quiet, 2, "/dev/null", O_WRONLY, 0);
	for (int i = 0; i < runs; i++) {
		struct timespec start, end;
		struct rusage usage;
		pid_t pid;
		int status;
		clock_gettime(CLOCK_MONOTONIC, &start);
		if (posix_spawn(&pid, argv[2], &quiet, NULL, argv + 2, environ) != 0)
			return 2;
		wait4(pid, &status, 0, &usage);
		clock_gettime(CLOCK_MONOTONIC, &end);
		failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
		wall[i] = (end.tv_sec - start.tv_sec) * 1e3 + (end.tv_nsec - start.tv_nsec) / 1e6;
		cpu[i] = ms(usage.ru_utime) + ms(usage.ru_stime);
	}
	qsort(wall, runs, sizeof *wall, compare);
	qsort(cpu, runs, sizeof *cpu, compare);
	printf("%.2f %.2f\n", wall[runs / 2], cpu[runs / 2]);
	return failed;
}
C
gcc -O2 -static -o "$work/exit" "$work/exit.c"
gcc -O2 -o "$work/spawn-median" "$work/spawn-median.c"

read -r exit_ms exit_cpu < <("$work/spawn-median" "$runs" "$work/exit")
read -r version_ms version_cpu < <("$work/spawn-median" "$runs" "$binary" --version)

# The fixed cost of the toolstack path: one VM per first boot (it hands its VM to pygrub).
start_mirror "$work" "$PWD/fixtures/mirrors"
debian_vms startup "$runs" squeeze debian >"$work/state.json"
start_simulator "$work" "$work/state.json"
write_config "$work"
# Each boot its own VM, so the harness starts one boot at a time.
for i in $(seq "$runs"); do
	ELILOADER_CONFIG="$work/no-cache.conf" "$work/spawn-median" 1 "$binary" -q --vm "startup-$i" "" >>"$work/boot.times" \
		|| { echo "first boot $i failed" >&2; exit 1; }
	rm -rf "$work/boot"
done
boot_ms=$(cut -d' ' -f1 "$work/boot.times" | median)
boot_cpu=$(cut -d' ' -f2 "$work/boot.times" | median)

printf '\nstart-up, medians of %d runs: wall time, and CPU time (user + system)\n' "$runs"
printf '%-52s %7.2f ms  %6.2f ms CPU\n' "static C program that only exits" "$exit_ms" "$exit_cpu"
printf '%-52s %7.2f ms  %6.2f ms CPU  goal < 10  %s\n' "eliloader --version" "$version_ms" "$version_cpu" \
	"$( [ "$(echo "$version_ms < 10" | bc)" = 1 ] && echo met || echo MISSED)"
printf '%-52s %7.2f ms  %6.2f ms CPU\n' "eliloader first boot, 3 kB files (toolstack path)" "$boot_ms" "$boot_cpu"
