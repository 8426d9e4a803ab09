#!/usr/bin/env bash
# Summarises a JFR recording's CPU samples: top (leaf) frames, threads, and the first Hookline frame
# on each sampled stack (where in our code the time is spent, callees included).
#   load-tests/tools/hot-frames.sh node.jfr [N=25]
# Record with: PROFILE=1 load-tests/run-local.sh steady 60 2000   (node.jfr lands in the run directory)
set -euo pipefail
jfr_file="$1"; n="${2:-25}"
jfr print --events jdk.ExecutionSample --stack-depth 64 "$jfr_file" | awk -v N="$n" '
  /sampledThread = / { t=$0; sub(/.*sampledThread = "/, "", t); sub(/".*/, "", t); gsub(/[0-9]+$/, "N", t); thread[t]++ }
  /stackTrace = \[/ { instack=1; depth=0; firstHl=""; pkgSeen=""; total++; next }
  instack && /^[ \t]*\]/ { instack=0; if (firstHl != "") hl[firstHl]++; else hl["(no io.hookline frame)"]++; next }
  instack {
    f=$0; sub(/^[ \t]+/, "", f); sub(/[ \t]+line:.*/, "", f);
    if (depth == 0) leaf[f]++;
    p=f; sub(/\(.*/, "", p); n2=split(p, parts, "."); pkg=parts[1] "." parts[2] (n2 > 3 ? "." parts[3] : "");
    if (!(pkg in seenpkg)) {}
    if (firstHl == "" && f ~ /^io\.hookline\./) firstHl=f;
    if (depth == 0) { leafpkg[pkg]++ }
    depth++
  }
  END {
    printf "CPU samples: %d\n\n== threads ==\n", total;
    for (k in thread) printf "%6d %5.1f%%  %s\n", thread[k], 100*thread[k]/total, k | "sort -rn | head -15"; close("sort -rn | head -15");
    printf "\n== leaf frames (self time) ==\n";
    for (k in leaf) printf "%6d %5.1f%%  %s\n", leaf[k], 100*leaf[k]/total, k | "sort -rn | head -" N; close("sort -rn | head -" N);
    printf "\n== leaf packages ==\n";
    for (k in leafpkg) printf "%6d %5.1f%%  %s\n", leafpkg[k], 100*leafpkg[k]/total, k | "sort -rn | head -15"; close("sort -rn | head -15");
    printf "\n== nearest io.hookline frame on the stack (time in our code incl. callees) ==\n";
    for (k in hl) printf "%6d %5.1f%%  %s\n", hl[k], 100*hl[k]/total, k | "sort -rn | head -" N; close("sort -rn | head -" N);
  }'
