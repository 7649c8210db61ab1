/**
 * The tally as horizontal SVG bars with the same numbers in a table. A Preact component so the
 * results page renders it on the server (no JavaScript shipped) and the projector and ballot
 * islands re-render it in the browser from live data.
 *
 * The SVG has no viewBox: bar lengths are percentages of the row and text keeps its CSS size,
 * so long Chinese product names stay readable on a 360 px phone instead of shrinking with the chart.
 */
import { formatBeijingTime } from '~/lib/time/beijing';
import type { PublicTally } from '~/lib/voting/tally';
import { tallyBars } from '~/lib/voting/tally-view';

interface Props {
  tally: PublicTally;
  /** Makes ids unique when two charts share a page. */
  idPrefix: string;
  /** 'projector' draws larger rows for a hall; the table is then for screen readers only. */
  size?: 'page' | 'projector';
  caption?: string;
  /** Draw only the leading bars (a projector cannot scroll); the table always lists every candidate. */
  maxBars?: number;
  /** The projector's letter size, chosen for the screen (LiveTally); rows scale with it. */
  projectorLetterPx?: number;
}

/** Height of one projector row (name line, bar, gap) for a letter size. */
export const projectorRowHeight = (letterPx: number): number => Math.round(letterPx * 2.4);

export function TallyChart({
  tally,
  idPrefix,
  size = 'page',
  caption = '各候选产品得票',
  maxBars,
  projectorLetterPx = 26,
}: Props) {
  const allBars = tallyBars(tally);
  const bars = maxBars === undefined ? allBars : allBars.slice(0, maxBars);
  const fontSize = size === 'projector' ? projectorLetterPx : 16;
  const rowHeight = size === 'projector' ? projectorRowHeight(fontSize) : 60;
  const barHeight = size === 'projector' ? Math.round(fontSize * 0.85) : 20;
  const titleId = `${idPrefix}-chart-title`;
  return (
    <div class={`tally tally-${size}`}>
      <svg
        class="tally-chart"
        width="100%"
        height={bars.length * rowHeight}
        role="img"
        aria-labelledby={titleId}
        focusable="false"
      >
        <title id={titleId}>
          {`${caption}柱状图，共 ${tally.total} 人投票${bars.length < allBars.length ? `，只画出得票最多的 ${bars.length} 项` : ''}；具体数字见表格`}
        </title>
        {bars.map((bar, index) => {
          const top = index * rowHeight;
          return (
            <g key={bar.id}>
              <text x="0" y={top + fontSize} font-size={fontSize} class="tally-name">
                {bar.name}
              </text>
              <text x="100%" y={top + fontSize} font-size={fontSize} text-anchor="end" class="tally-votes">
                {`${bar.votes} 票`}
              </text>
              <rect x="0" y={top + fontSize + 8} width="100%" height={barHeight} class="tally-track" />
              {bar.votes > 0 && (
                <rect
                  x="0"
                  y={top + fontSize + 8}
                  width={`${bar.widthPercent}%`}
                  height={barHeight}
                  class="tally-bar"
                />
              )}
            </g>
          );
        })}
      </svg>
      {bars.length < allBars.length && (
        <p class="tally-more">另有 {allBars.length - bars.length} 项得票较少，未画出。</p>
      )}
      <div class={size === 'projector' ? 'visually-hidden' : 'table-scroll'}>
        <table>
          <caption>{caption}（按票数从多到少）</caption>
          <thead>
            <tr>
              <th scope="col">产品</th>
              <th scope="col" class="number">
                票数
              </th>
              <th scope="col" class="number">
                占投票人数
              </th>
            </tr>
          </thead>
          <tbody>
            {allBars.map((bar) => (
              <tr key={bar.id}>
                <th scope="row">{bar.name}</th>
                <td class="number">{bar.votes}</td>
                <td class="number">{bar.shareOfBallots}%</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">投票人数</th>
              <td class="number">{tally.total}</td>
              <td class="number" />
            </tr>
          </tfoot>
        </table>
      </div>
      <p class="meta tally-updated">
        <span>共 {tally.total} 人投票</span>
        {tally.setAside > 0 && (
          <span data-testid="set-aside-note">
            另有 {tally.setAside} 张选票因异常（如同一地址短时间大量投票）经工作人员核实后未计入
          </span>
        )}
        {tally.updatedAt ? (
          <span>
            最近一票 <time dateTime={tally.updatedAt}>{formatBeijingTime(tally.updatedAt)}</time>
          </span>
        ) : (
          <span>还没有人投票</span>
        )}
      </p>
    </div>
  );
}
