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

/**
 * What a source's stated rate measures. Sources state pass rates (合格率), failure rates (不合格率,
 * 不符合率) and failure-detection rates (不合格检出率, 不合格发现率); a failure figure must never be
 * shown under a pass-rate label, so each kind keeps the source's own word as its label.
 */
export type StatedRateKind = 'pass' | 'fail' | 'fail-detection';

export interface StatedRate {
  kind: StatedRateKind;
  /** The source's word for what it measured, e.g. "不合格检出率". */
  label: string;
  /** The source's sentence, unchanged. */
  text: string;
}

export function statedRate(text: string | null): StatedRate | null {
  if (!text?.trim()) return null;
  const detection = /不合格(?:产品|商品)?(?:率)?(?:检出|发现)率/.exec(text);
  if (detection) return { kind: 'fail-detection', label: detection[0], text };
  const failure = /不合格率|不符合率/.exec(text);
  if (failure) return { kind: 'fail', label: failure[0], text };
  return { kind: 'pass', label: /合格率/.test(text) ? '合格率' : '合格情况', text };
}
