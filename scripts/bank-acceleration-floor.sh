#!/usr/bin/env bash
# How fast the bank benchmark could run if the whole cluster model cost nothing: counts (with
# valgrind's callgrind) the instructions SQLite itself executes in a bench-bank run, adds the
# kernel's own cost per event (from `bench kernel`) times the run's events, and prints the
# acceleration the run would reach if nothing else were left (gateway, tablets, the MySQL node's
# parsing, locks and binlog, replication, clients, checkers: all free).
#
#   scripts/bank-acceleration-floor.sh [SECONDS]        (default 300 virtual seconds per load)
#
# Needs valgrind and a release build (`swift build -c release`). Takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
bin=.build/release/simrun
[ -x "$bin" ] || { echo "build first: swift build -c release" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Valgrind cannot read the full debug information Swift writes; symbols are enough.
strip --strip-debug -o "$work/simrun" "$bin"

# Instructions the kernel spends per event: its benchmark's kernel half over its events.
events=1000000
valgrind --tool=callgrind --callgrind-out-file="$work/kernel.out" "$work/simrun" bench kernel --events $events --repetitions 1 \
    >/dev/null 2>"$work/kernel.err"
kernel=$(callgrind_annotate --inclusive=yes --threshold=100 "$work/kernel.out" 2>/dev/null | swift demangle --simplified \
    | awk '/KernelBenchmark\.timeKernel\(\)/ && !found { gsub(",", "", $1); print $1; found = 1 }')
per_event=$((kernel / events))
echo "kernel: $per_event instructions per event (bench kernel, $events events)"

for load in paced saturating; do
    line=$("$bin" bench bank --load $load --seconds "$seconds" | grep "^$load:")
    acceleration=$(echo "$line" | sed -E 's/.* = ([0-9]+)× .*/\1/')
    rate=$(echo "$line" | sed -E 's/.*; ([0-9]+) events and .*/\1/')
    virtual=$(echo "$line" | sed -E 's/.*: ([0-9]+) s virtual .*/\1/')
    valgrind --tool=callgrind --callgrind-out-file="$work/$load.out" "$work/simrun" bench bank --load $load --seconds "$seconds" \
        >/dev/null 2>"$work/$load.err"
    callgrind_annotate --threshold=100 "$work/$load.out" 2>/dev/null | awk -v per_event="$per_event" -v events=$((rate * virtual)) \
        -v acceleration="$acceleration" -v name="$load" '
        /PROGRAM TOTALS/ { gsub(",", "", $1); total = $1 }
        /libsqlite3/ { gsub(",", "", $1); sqlite += $1 }
        END {
            kernel = per_event * events
            floor = (sqlite + kernel) / total
            printf "%s: %d× now; SQLite %.1f%% and kernel %.1f%% of %.2f G instructions; with all else free: %d×",
                name, acceleration, 100 * sqlite / total, 100 * kernel / total, total / 1e9, acceleration / floor
            # The share of everything else that would have to go for 1000×.
            cut = 1 - (acceleration / 1000 - floor) / (1 - floor)
            if (cut >= 1) print "; 1000× out of reach"
            else printf "; 1000× needs %.0f%% of everything else gone\n", 100 * cut
        }'
done
