# Approximate quantiles of the node's Prometheus histograms (summed over all label sets), from a
# /metrics scrape:  awk -f load-tests/tools/quantiles.awk metrics.txt
# A quantile is reported as the upper bound of the bucket it falls in ("≤ x").
/^hookline_[a-z_]+_bucket\{/ {
  name = $1; sub(/_bucket\{.*/, "", name)
  le = $1; sub(/.*le="/, "", le); sub(/".*/, "", le)
  # Only the histograms that matter for ack latency and the store.
  if (name !~ /^hookline_(ingest|store_commit|store_batch_size|dedup_redis|verify|eventloop_lag|handoff_lag)/) next
  key = name SUBSEP le
  if (!(key in count)) { bounds[name] = bounds[name] " " le }
  count[key] += $NF
  names[name] = 1
}
END {
  for (name in names) {
    n = split(bounds[name], b, " ")
    # sort bounds numerically (+Inf last)
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) {
      vi = (b[i] == "+Inf") ? 1e300 : b[i] + 0; vj = (b[j] == "+Inf") ? 1e300 : b[j] + 0
      if (vj < vi) { t = b[i]; b[i] = b[j]; b[j] = t }
    }
    total = count[name SUBSEP "+Inf"]
    if (total == 0) continue
    line = sprintf("%-34s n=%-9d", name, total)
    split("0.5 0.99 0.999", qs, " ")
    for (q = 1; q <= 3; q++) {
      target = qs[q] * total
      for (i = 1; i <= n; i++) if (count[name SUBSEP b[i]] >= target) break
      v = b[i]
      if (name ~ /seconds/ && v != "+Inf") v = sprintf("%.1f ms", v * 1000)
      line = line sprintf("  p%s ≤ %s", qs[q] * 100, v)
    }
    print line
  }
}
