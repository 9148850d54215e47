#!/usr/bin/env bash
# End-to-end build benchmark on generated bulletins.
#
#   scripts/bench.sh [SIZES] [RUNS]     e.g. scripts/bench.sh "1000 10000" 5
#   scripts/bench.sh live [SIZE]        live preview latency, e.g. scripts/bench.sh live 10000
#   scripts/bench.sh search [SIZE]      bulletin search-server: start, latency, memory, e.g. scripts/bench.sh search 100000
#
# Generates corpora with ../shared/bench/gencorpus (deterministic, seed 1),
# builds each RUNS times (pages, listings, feeds, sitemap; the search index
# is measured by go test -bench ./indexer) and reports the median wall
# time, pages per second and the median peak memory (from /usr/bin/time).
# The first build of each size is a cold build into an empty folder; the
# following ones rebuild over the previous output, as editors do.
set -euo pipefail
cd "$(dirname "$0")/.."
gen=${GENCORPUS:-../shared/bench/gencorpus}
work=${BENCH_DIR:-$(mktemp -d /tmp/bulletin-bench.XXXXXX)}

if [ "${1:-}" = live ]; then
  # serve on the corpus, then 20 edits (body, title, a new bulletin dated
  # newest, its removal), each timed from the file's write to the reload
  # event of its page and to the page fetched (TestLivePreviewLatency),
  # then 12 more to the first paint of the reloaded page in Chromium, when
  # it is installed (TestBrowserLivePreviewLatency).
  n=${2:-10000}
  corpus="$work/corpus-$n"
  if [ ! -d "$corpus/content" ]; then
    (cd "$gen" && go run . -n "$n" -seed 1 -bad 0 -q -out "$corpus")
  fi
  BULLETIN_LATENCY_SITE="$corpus" go test ./cmd/bulletin -run '^Test(Browser)?LivePreviewLatency$' -count 1 -v -timeout 30m |
    grep -E 'latency_test|^(ok|FAIL|---)'
  echo "work folder: $work"
  exit 0
fi

if [ "${1:-}" = search ]; then
  # bulletin build makes the index once (kept in the work folder); then
  # three fresh search-server processes each: start until it answers, the
  # query mix of indexer's BenchmarkSearch over HTTP (each query once, so
  # no result cache) plus single characters, resident memory after it
  # (TestSearchServerLatency). Medians and the load average at the end.
  n=${2:-100000}
  corpus="$work/corpus-$n"
  if [ ! -d "$corpus/content" ]; then
    (cd "$gen" && go run . -n "$n" -seed 1 -bad 0 -q -out "$corpus")
  fi
  idx="$work/search-$n"
  if [ ! -f "$idx/CURRENT" ]; then
    go build -o "$work/bulletin" ./cmd/bulletin
    "$work/bulletin" build -q -s "$corpus" -o "$work/out-$n" -index "$idx"
  fi
  du -sh "$idx"
  BULLETIN_SEARCH_INDEX="$idx" BULLETIN_SEARCH_SITE="$corpus" BULLETIN_SEARCH_RUNS="${3:-3}" \
    go test ./cmd/bulletin -run '^TestSearchServerLatency$' -count 1 -v -timeout 30m |
    grep -E 'searchbench_test|^(ok|FAIL|---)'
  echo "work folder: $work"
  exit 0
fi

sizes=${1:-"1000 10000"}
runs=${2:-5}
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install -y time)" >&2; exit 1; }

go build -o "$work/bulletin" ./cmd/bulletin
for n in $sizes; do
  corpus="$work/corpus-$n"
  if [ ! -d "$corpus/content" ]; then
    (cd "$gen" && go run . -n "$n" -seed 1 -bad 0 -q -out "$corpus")
  fi
  out="$work/out-$n"
  rm -rf "$out" "$work/.out-$n".*
  : > "$work/times-$n"
  for i in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -a -o "$work/times-$n" \
      "$work/bulletin" build -q -no-index -s "$corpus" -o "$out" --now 2026-01-01
  done
  pages=$(find "$out" -name '*.html' | wc -l)
  median() { sort -n | awk '{ v[NR]=$1 } END { print v[int((NR+1)/2)] }'; }
  wall=$(cut -d' ' -f1 "$work/times-$n" | median)
  mem=$(cut -d' ' -f2 "$work/times-$n" | median)
  range=$(cut -d' ' -f1 "$work/times-$n" | sort -n | awk 'NR==1{lo=$1} {hi=$1} END {print lo "-" hi}')
  awk -v n="$n" -v w="$wall" -v m="$mem" -v p="$pages" -v r="$runs" -v range="$range" 'BEGIN {
    printf "%6d bulletins: median %.2fs wall over %d runs (range %ss), %d pages, %.0f pages/s, median peak %.0f MiB\n", n, w, r, range, p, p/w, m/1024 }'
done
echo "work folder: $work"
