/**
 * The write-in nominations: the first row open, the others folded away until used. The field
 * names are the no-JS form's (`product1` … `venue3`), so the same markup posts without JavaScript.
 */
import { WRITE_IN_ROWS, writeInFieldName, type WriteInValues } from '~/lib/voting/ballot-form';
import type { BallotError } from '~/lib/voting/ballot-state';
import type { WriteInLimits } from '~/lib/voting/campaign-schema';

const WRITE_IN_LABELS: Record<keyof WriteInValues, { label: string; hint: string }> = {
  product: { label: '产品品种', hint: '例如：儿童书包、电动自行车充电器' },
  issue: { label: '您担心的质量问题', hint: '例如：有异味、容易起火、标签看不懂' },
  venue: { label: '建议去哪里抽样或检查（可以不填）', hint: '例如：学校附近的文具店、某某菜市场、网上店铺' },
};

interface Props {
  writeIns: WriteInValues[];
  limits: WriteInLimits;
  /** An error about the write-ins, shown above the first row. */
  error: BallotError | null;
  onType: (row: number, field: keyof WriteInValues, text: string) => void;
}

export function WriteInRows({ writeIns, limits, error, onType }: Props) {
  const rows = Math.min(WRITE_IN_ROWS, limits.maxWriteIns);
  if (rows === 0) return null;
  const maxLengths: Record<keyof WriteInValues, number> = {
    product: limits.productMaxLength,
    issue: limits.issueMaxLength,
    venue: limits.venueMaxLength,
  };
  const laterRowsUsed = writeIns.slice(1).some((row) => row.product || row.issue || row.venue);

  const writeInRow = (row: number) => (
    <fieldset class="write-in" key={row}>
      <legend>第 {row + 1} 条提名</legend>
      {(['product', 'issue', 'venue'] as const).map((field) => {
        const name = writeInFieldName(field, row);
        return (
          <div class="field" key={field}>
            <label for={name}>
              {WRITE_IN_LABELS[field].label}
              <span class="field-hint">{WRITE_IN_LABELS[field].hint}</span>
            </label>
            <input
              type="text"
              id={name}
              name={name}
              maxLength={maxLengths[field]}
              autoComplete="off"
              value={writeIns[row]?.[field] ?? ''}
              onInput={(event) => onType(row, field, event.currentTarget.value)}
              aria-describedby={row === 0 && error ? 'write-in-error' : undefined}
            />
          </div>
        );
      })}
    </fieldset>
  );

  return (
    <section class="write-ins" aria-labelledby="write-ins-heading">
      <h2 id="write-ins-heading">还有别的产品想让我们查吗？（可以不填）</h2>
      <p class="field-hint">
        最多提 {rows} 条。每条请至少写上产品和问题。<strong>不要写姓名、电话、学号等个人信息</strong>。
      </p>
      {error && (
        <p id="write-in-error" class="error-message">
          <span class="visually-hidden">错误：</span>
          {error.message}
        </p>
      )}
      {writeInRow(0)}
      {rows > 1 && (
        <details class="more-write-ins" open={laterRowsUsed}>
          <summary>{rows === 2 ? '再写第 2 条提名' : `再写第 2–${rows} 条提名`}</summary>
          {Array.from({ length: rows - 1 }, (_, index) => writeInRow(index + 1))}
        </details>
      )}
    </section>
  );
}
