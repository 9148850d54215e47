#!/usr/bin/env bash
# End-to-end build benchmark on generated bulletins.
#
#   scripts/bench.sh [SIZES] [RUNS]     e.g. scripts/bench.sh "1000 10000" 5
#   scripts/bench.sh live [SIZE]        live preview latency, e.g. scripts/bench.sh live 10000
#   scripts/bench.sh hugo [SIZE] [RUNS] full build against Hugo in turns, e.g. scripts/bench.sh hugo 10000 3
#   scripts/bench.sh search [SIZE]      bulletin search-server: start, latency, memory, e.g. scripts/bench.sh search 100000
#   scripts/bench.sh shape [SIZE]       one full build, then its output read as a crawler would
#                                       (default 1000000: about 6 GB of corpus and 30 GB of output)
#
# Generates corpora with ../shared/bench/gencorpus (deterministic, seed 1),
# builds each RUNS times (pages, listings, feeds, sitemap; the search index
# is measured by go test -bench ./indexer) and reports the median wall
# time, pages per second and the median peak memory (from /usr/bin/time).
# The first build of each size is a cold build into an empty folder; the
# following ones rebuild over the previous output, without the build cache
# (.bulletin/build/), so that each reads and renders the whole site. Then
# it measures a build after one bulletin changed, with the cache: RUNS
# edits of one bulletin's body, each followed by a build (median wall).
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

# corpus N: the generated corpus of N bulletins, made once per work folder.
corpus() {
  local n=$1 dir="$work/corpus-$1"
  if [ ! -d "$dir/content" ]; then
    (cd "$gen" && go run . -n "$n" -seed 1 -bad 0 -q -out "$dir")
  fi
  echo "$dir"
}
median() { sort -n | awk '{ v[NR]=$1 } END { print v[int((NR+1)/2)] }'; }

if [ "${1:-}" = search ]; then
  # bulletin build makes the index once (kept in the work folder); then
  # three fresh search-server processes each: start until it answers, the
  # query mix of indexer's BenchmarkSearch over HTTP (each query once, so
  # no result cache) plus single characters, resident memory after it
  # (TestSearchServerLatency). Medians and the load average at the end.
  # BULLETIN_SEARCH_CGROUP=DIR (a memory cgroup you made and limited) runs
  # each server inside it, the index's cached pages charged to it: how much
  # memory the server needs with the system's cache of its index counted.
  n=${2:-100000}
  c=$(corpus "$n")
  idx="$work/search-$n"
  if [ ! -f "$idx/CURRENT" ]; then
    go build -o "$work/bulletin" ./cmd/bulletin
    "$work/bulletin" build -q -s "$c" -o "$work/out-$n" -index "$idx"
  fi
  du -sh "$idx"
  BULLETIN_SEARCH_INDEX="$idx" BULLETIN_SEARCH_SITE="$c" BULLETIN_SEARCH_RUNS="${3:-3}" \
    go test ./cmd/bulletin -run '^TestSearchServerLatency$' -count 1 -v -timeout 30m |
    grep -E 'searchbench_test|^(ok|FAIL|---)'
  echo "work folder: $work"
  exit 0
fi

if [ "${1:-}" = shape ]; then
  # One full build (pages, feeds, search index) of N bulletins, its time and
  # peak memory, then TestOutputShape reads the output: sitemap files and
  # index, every listing paged in full and in order, every feed.
  n=${2:-1000000}
  [ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install -y time)" >&2; exit 1; }
  go build -o "$work/bulletin" ./cmd/bulletin
  c=$(corpus "$n")
  /usr/bin/time -f '%e %M' -o "$work/shape-time" \
    "$work/bulletin" build -s "$c" -o "$work/out-$n" -index "$work/index-$n" --now 2026-01-01
  read -r wall peak < "$work/shape-time"
  awk -v n="$n" -v w="$wall" -v m="$peak" 'BEGIN { printf "%d bulletins: full build %.1fs wall, peak %.0f MiB\n", n, w, m/1024 }'
  BULLETIN_SHAPE_OUT="$work/out-$n" go test ./cmd/bulletin -run '^TestOutputShape$' -count 1 -v -timeout 3h |
    grep -E 'shape_test|^(ok|FAIL|---)'
  echo "work folder: $work"
  exit 0
fi

if [ "${1:-}" = hugo ]; then
  # bulletin and Hugo on the same corpus in turns, RUNS each: a plain Hugo
  # site with the same taxonomies (bureau, region, category, tag, month),
  # 20 a page and RSS per term, as in ../shared/bench/README.md.
  n=${2:-10000} runs=${3:-3}
  command -v hugo >/dev/null || { echo "bench: hugo is missing (go install github.com/gohugoio/hugo@v0.152.2)" >&2; exit 1; }
  go build -o "$work/bulletin" ./cmd/bulletin
  c=$(corpus "$n")
  h="$work/hugo-$n"
  mkdir -p "$h/layouts"
  ln -sfn "$c/content" "$h/content"
  cat > "$h/hugo.toml" <<'TOML'
baseURL = "https://news.example.org/"
languageCode = "zh-CN"
title = "民政信息网"
hasCJKLanguage = true
disableKinds = []
[pagination]
pagerSize = 20
[taxonomies]
bureau = "bureau"
region = "region"
category = "category"
tag = "tags"
TOML
  cat > "$h/layouts/baseof.html" <<'HTML'
<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }} - {{ site.Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}</head>
<body><header><a href="/">{{ site.Title }}</a><nav>{{ range site.Taxonomies.category }}<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ end }}</nav></header>
<main>{{ block "main" . }}{{ end }}</main><footer>{{ site.Title }}</footer></body></html>
HTML
  cat > "$h/layouts/single.html" <<'HTML'
{{ define "main" }}<article><h1>{{ .Title }}</h1><p><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2006-01-02" }}</time>
{{ range .GetTerms "bureau" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}
{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>{{ .Content }}
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</article>{{ end }}
HTML
  cat > "$h/layouts/list.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1>{{ $pages := .RegularPages }}{{ if .IsHome }}{{ $pages = where site.RegularPages "Section" "bulletins" }}{{ end }}{{ $p := .Paginate $pages }}
<ul>{{ range $p.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time> {{ .Summary | plainify | truncate 120 }}</li>{{ end }}</ul>
{{ with $p.Next }}<a href="{{ .URL }}">下一页</a>{{ end }}{{ end }}
HTML
  cp "$h/layouts/list.html" "$h/layouts/taxonomy.html"
  cp "$h/layouts/list.html" "$h/layouts/term.html"
  : > "$work/hugo-times"; : > "$work/bulletin-times"
  for i in $(seq "$runs"); do
    # A whole build each time, as Hugo's: no build cache, a new index.
    rm -rf "$c/.bulletin/build" "$work/index-$n"
    /usr/bin/time -f '%e %M' -a -o "$work/bulletin-times" \
      "$work/bulletin" build -q -s "$c" -o "$work/out-$n" -index "$work/index-$n" --now 2026-01-01
    /usr/bin/time -f '%e %M' -a -o "$work/hugo-times" hugo --quiet -s "$h" -d "$work/hugo-out-$n" >/dev/null
  done
  bw=$(cut -d' ' -f1 "$work/bulletin-times" | median); bm=$(cut -d' ' -f2 "$work/bulletin-times" | median)
  hw=$(cut -d' ' -f1 "$work/hugo-times" | median); hm=$(cut -d' ' -f2 "$work/hugo-times" | median)
  awk -v n="$n" -v r="$runs" -v bw="$bw" -v bm="$bm" -v hw="$hw" -v hm="$hm" 'BEGIN {
    printf "%d bulletins, %d runs each in turns (medians): bulletin build (pages, feeds, index) %.2fs %.0f MiB; hugo %.2fs %.0f MiB; time ratio %.2f\n", n, r, bw, bm/1024, hw, hm/1024, bw/hw }'
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); work folder: $work"
  exit 0
fi

sizes=${1:-"1000 10000"}
runs=${2:-5}
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install -y time)" >&2; exit 1; }

go build -o "$work/bulletin" ./cmd/bulletin
for n in $sizes; do
  corpus=$(corpus "$n")
  out="$work/out-$n"
  rm -rf "$out" "$work/.out-$n".*
  : > "$work/times-$n"
  for i in $(seq "$runs"); do
    rm -rf "$corpus/.bulletin/build"
    /usr/bin/time -f '%e %M' -a -o "$work/times-$n" \
      "$work/bulletin" build -q -no-index -s "$corpus" -o "$out" --now 2026-01-01
  done
  : > "$work/edits-$n"
  edited=$(find "$corpus/content" -name '*.md' | sort | head -1)
  cp "$edited" "$work/edited-$n.md"
  for i in $(seq "$runs"); do
    printf '\n编辑第%d次。\n' "$i" >> "$edited"
    /usr/bin/time -f '%e %M' -a -o "$work/edits-$n" \
      "$work/bulletin" build -q -no-index -s "$corpus" -o "$out" --now 2026-01-01
  done
  cp "$work/edited-$n.md" "$edited"
  pages=$(find "$out" -name '*.html' | wc -l)
  wall=$(cut -d' ' -f1 "$work/times-$n" | median)
  mem=$(cut -d' ' -f2 "$work/times-$n" | median)
  range=$(cut -d' ' -f1 "$work/times-$n" | sort -n | awk 'NR==1{lo=$1} {hi=$1} END {print lo "-" hi}')
  awk -v n="$n" -v w="$wall" -v m="$mem" -v p="$pages" -v r="$runs" -v range="$range" 'BEGIN {
    printf "%6d bulletins: median %.2fs wall over %d runs (range %ss), %d pages, %.0f pages/s, median peak %.0f MiB\n", n, w, r, range, p, p/w, m/1024 }'
  edit=$(cut -d' ' -f1 "$work/edits-$n" | median)
  awk -v n="$n" -v w="$edit" -v r="$runs" 'BEGIN {
    printf "%6d bulletins: one bulletin changed, median %.2fs wall over %d builds with the build cache\n", n, w, r }'
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); work folder: $work"
