#!/usr/bin/env bash
# Benchmark of the annual back-test (the evaluator's inner loop):
#   ewarn backtest --protocol annual --model elastic_net
# timed as a whole command, JVM and Spark start included, RUNS times (default 3), on the bundled
# EWP data ingested into a scratch warehouse (target/bench/warehouse). Checks that every run
# writes byte-identical warnings and metrics, then writes the "Back-test" section of BENCHMARKS.md
# (replacing an older one). Usage: bench/backtest.sh [RUNS] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."
HOME_DIR=$(pwd)
RUNS=${1:-3}
[[ "${2:-}" == "--no-build" || "${1:-}" == "--no-build" ]] && BUILD=no || BUILD=yes
[[ "$RUNS" =~ ^[0-9]+$ ]] || RUNS=3

if [[ $BUILD == yes ]]; then
  mvn -o -q -B -pl jobs -am package -DskipTests >&2
fi
JVM_OPTS=$(grep -v '^#' .mvn/jvm.config | tr '\n' ' ')
CP="jobs/target/ewarn-jobs-0.1.0-SNAPSHOT.jar:jobs/target/lib/*"
WH="$HOME_DIR/target/bench/warehouse"
OUT="$HOME_DIR/target/bench/out"
ewarn() { EWARN_HOME="$HOME_DIR" java $JVM_OPTS -cp "$CP" org.ewarn.cli.Ewarn "$@" \
  --set "warehouse.root=\"$WH\"" --set "backtest.output-dir=\"$OUT\""; }

mkdir -p target/bench
# inputs: the EWP predictors and episodes (ingest skips them when already published)
ewarn ingest --source ewp-predictors --source ewp-episodes > target/bench/ingest.json 2> target/bench/ingest.log

rows=()
hashes=()
for i in $(seq 1 "$RUNS"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  start=$(date +%s.%N)
  line=$(ewarn backtest --protocol annual --model elastic_net 2> "target/bench/run-$i.log" | tail -n 1)
  end=$(date +%s.%N)
  wall=$(echo "$end - $start" | bc -l)
  echo "$line" > "target/bench/run-$i.json"
  parsed=$(python3 - "$line" <<'PY'
import json, sys
s = json.loads(sys.argv[1])
if s["status"] != "ok":
    sys.exit("backtest failed: " + s.get("message", ""))
t = s["details"]["seconds"]
w, m = s["outputs"]["warnings"], s["outputs"]["metrics"]
print(" ".join(str(t.get(k, 0)) for k in ["jvm_to_command", "spark_start", "load", "collect", "fits", "metrics", "write"]), w, m)
PY
)
  read -r jvm spark loadt collect fits metrics write wcsv mcsv <<< "$parsed"
  hashes+=("$(cat "$wcsv" "$mcsv" | sha256sum | cut -c1-16)")
  rows+=("| $i | $(printf %.1f "$wall") | $jvm | $spark | $(echo "$loadt + $collect" | bc -l | xargs printf %.2f) | $fits | $metrics | $write | $load |")
  echo "run $i: ${wall}s (fits ${fits}s, load average $load)" >&2
done
identical=yes
for h in "${hashes[@]}"; do [[ $h == "${hashes[0]}" ]] || identical=no; done

section=$(cat <<MD
## Back-test

\`bench/backtest.sh $RUNS\` times \`ewarn backtest --protocol annual --model elastic_net\` as a whole
command (JVM start to exit) on the bundled EWP panel: 31 origins (last training year 1991 … 2021),
each a 10-fold cross-validated elastic net (glmnet coordinate descent, α = 0.5, 100-λ path with
glmnet's early stop), then warnings, metrics with 1,000 country bootstrap replicates, cases,
curves, CSVs and five Parquet marts. Measured $(date -u +%Y-%m-%d) on $(nproc) cores
($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), Java $(java -version 2>&1 | head -1 | cut -d'"' -f2).
The machine is shared: the 1-minute load average at the start of each run is in the last column
(above $(nproc) means other processes were competing for the cores).

| run | wall s | JVM to command s | Spark start s | data load s | fits s | metrics s | write s | load avg |
|---|---|---|---|---|---|---|---|---|
$(printf '%s\n' "${rows[@]}")

Warnings and metrics byte-identical across runs: **$identical** (sha256 prefix ${hashes[0]}).
"JVM to command" is JVM start, class loading and configuration before Spark starts; "data load"
reads and collects the \`ewp_predictors\` mart; "fits" is the 31 × 11 path fits (origins in
parallel, folds in parallel within an origin); "write" is the CSVs plus the five marts with
manifests. Target: under 20 s wall (R/glmnet: about 40 s on this machine according to the issue;
not re-measured here, r-cran-glmnet was not installed).
MD
)
python3 - "$section" <<'PY'
import re, sys, pathlib
path = pathlib.Path("BENCHMARKS.md")
text = path.read_text() if path.exists() else "# Benchmarks\n"
section = sys.argv[1].rstrip() + "\n"
pattern = re.compile(r"^## Back-test\n.*?(?=^## |\Z)", re.S | re.M)
text = pattern.sub(lambda m: section + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
path.write_text(text)
PY
echo "BENCHMARKS.md updated (identical results: $identical)" >&2
