/**
 * 合格率 from batch counts. Null when the source did not give both numbers: a rate is never
 * computed from a guessed total.
 */
export function passRate(sampled: number | null, failed: number | null): number | null {
  if (sampled === null || failed === null || sampled <= 0 || failed > sampled) return null;
  return (sampled - failed) / sampled;
}

/** "87.5%": one decimal place, dropped when it is zero. */
export function formatPercent(rate: number): string {
  const percent = Math.round(rate * 1000) / 10;
  return `${Number.isInteger(percent) ? percent.toFixed(0) : percent.toFixed(1)}%`;
}

/** "12,345": batch counts with the thousands separator Chinese readers expect. */
export function formatCount(count: number): string {
  return count.toLocaleString('zh-CN');
}
