/**
 * The sharing card of one item (1200×630, the size WeChat, Weibo and X show as a large preview), as
 * an SVG string the server rasterises to PNG. Pure: the text is measured by an estimate of the glyph
 * widths of a CJK sans font, on the wide side, so a line the estimate lets through is never cut off
 * by the real glyphs. Long text wraps; past its line budget it ends in 「…」, and every card's full
 * text is on the page it shares.
 */

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;

const PADDING = 60;
const TEXT_WIDTH = CARD_WIDTH - 2 * PADDING;
const FOOTER_HEIGHT = 84;
const FOOTER_TOP = CARD_HEIGHT - FOOTER_HEIGHT;

/** The fonts asked for, CJK first: the server loads one of them (src/server/share-card). */
export const CARD_FONT_FAMILY =
  "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

const INK = '#111111';
const MUTED_INK = '#333333';
const BRAND = '#0b4f9c';
const ALARM = '#a8071a';

export interface ShareCard {
  /** 「抽查结果公告」 or 「缺陷产品召回」. */
  kind: string;
  /** Made-up content: the card says 示例 as the page does. */
  example: boolean;
  /** Corrected since first published: the card says 已更正. */
  corrected: boolean;
  /** What it is about: the product category, or the recalled product. */
  headline: string;
  /** The result in the source's words: batches sampled and failed, or the recalling company. */
  result: string;
  /** Whether the result is bad news (failed batches), drawn in red. */
  alarming: boolean;
  /** A second fact: who checked where, or how many were recalled. */
  detail: string;
  /** The date as the page shows it. */
  date: string;
  /** The site and the bureau that runs it. */
  siteName: string;
  hostOrg: string;
}

/** Closing marks that may not start a line, and opening ones that may not end one (禁则). */
const NO_LINE_START = new Set('，。、；：！？）】」』》〉”’%.,;:!?)]'.split(''));
const NO_LINE_END = new Set('（【「『《〈“‘(['.split(''));

/** A run of Latin letters and digits breaks only as a whole (a model number, 2018, GB 4706). */
const LATIN_RUN = /[A-Za-z0-9][A-Za-z0-9.\-/_%]*|\s+|[^]/gu;

/** Estimated advance of one character in em: CJK and full-width marks 1, Latin narrower. */
export function charWidth(char: string): number {
  if (/\s/.test(char)) return 0.3;
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x2000) return /[A-Z]/.test(char) ? 0.72 : 0.6;
  return 1;
}

export function textWidth(text: string, fontSize: number): number {
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width * fontSize;
}

/** A Latin run wider than a line is split by characters like CJK text. */
function tokens(text: string, maxWidth: number, fontSize: number): string[] {
  const runs = text.match(LATIN_RUN) ?? [];
  return runs.flatMap((run) => (run.length > 1 && textWidth(run, fontSize) > maxWidth ? [...run] : [run]));
}

function withEllipsis(line: string, maxWidth: number, fontSize: number): string {
  const chars = [...line.trimEnd()];
  while (chars.length > 0 && textWidth(`${chars.join('')}…`, fontSize) > maxWidth) chars.pop();
  while (chars.length > 0 && NO_LINE_END.has(chars.at(-1)!)) chars.pop();
  return `${chars.join('')}…`;
}

/**
 * The text in at most `maxLines` lines of `maxWidth` px at `fontSize`: breaks between CJK characters
 * and around Latin runs, never before a closing mark (it hangs in the margin the caller leaves, see
 * HANGING_MARK) nor after an opening one; text beyond the last line ends that line in 「…」.
 */
export function wrapText(text: string, maxWidth: number, fontSize: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  const flush = () => {
    lines.push(line.trimEnd());
    line = '';
  };
  for (const token of tokens(text.replace(/\s+/g, ' ').trim(), maxWidth, fontSize)) {
    if (line === '' && /^\s+$/.test(token)) continue;
    const fits = textWidth(line + token, fontSize) <= maxWidth;
    if (fits || line === '' || NO_LINE_START.has(token)) {
      line += token;
      continue;
    }
    // An opening mark at the end of the line moves down with the token it opens.
    let carried = '';
    while (line.length > 0 && NO_LINE_END.has(line.at(-1)!)) {
      carried = line.at(-1)! + carried;
      line = line.slice(0, -1);
    }
    if (line === '') line = carried;
    else {
      flush();
      line = carried;
    }
    line += token.trimStart();
  }
  if (line.trim() !== '') flush();
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = withEllipsis(kept[maxLines - 1]!, maxWidth, fontSize);
  return kept;
}

/** Room kept at the right of each text block for a closing mark that hangs past the line. */
const HANGING_MARK = 1;

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Block {
  text: string;
  fontSize: number;
  lineHeight: number;
  maxLines: number;
  bold: boolean;
  color: string;
  gapBefore: number;
}

/** The text blocks from the top of the card down; their line budgets fit above the footer (tested). */
function blocksOf(card: ShareCard): Block[] {
  return [
    { text: card.headline, fontSize: 58, lineHeight: 72, maxLines: 2, bold: true, color: INK, gapBefore: 0 },
    {
      text: card.result,
      fontSize: 42,
      lineHeight: 54,
      maxLines: 2,
      bold: true,
      color: card.alarming ? ALARM : INK,
      gapBefore: 14,
    },
    { text: card.detail, fontSize: 32, lineHeight: 44, maxLines: 2, bold: false, color: MUTED_INK, gapBefore: 8 },
    { text: card.date, fontSize: 32, lineHeight: 44, maxLines: 1, bold: false, color: MUTED_INK, gapBefore: 8 },
  ];
}

const BADGE_TOP = 44;
const BADGE_HEIGHT = 52;
const BADGE_FONT = 30;
const FIRST_BLOCK_TOP = BADGE_TOP + BADGE_HEIGHT + 26;
/** Where text must end: a little above the footer band. */
export const TEXT_BOTTOM = FOOTER_TOP - 10;
/** A headline never takes more than this, however short the facts below it. */
const MAX_HEADLINE_LINES = 3;

/** The y where the text ends when every block uses its whole line budget: must stay above the footer. */
export function worstCaseTextBottom(card: ShareCard): number {
  return blocksOf(card).reduce((y, block) => y + block.gapBefore + block.maxLines * block.lineHeight, FIRST_BLOCK_TOP);
}

function badge(x: number, label: string, fill: string, ink: string): { svg: string; width: number } {
  const width = Math.ceil(textWidth(label, BADGE_FONT)) + 36;
  const svg =
    `<rect x="${x}" y="${BADGE_TOP}" width="${width}" height="${BADGE_HEIGHT}" rx="8" fill="${fill}"/>` +
    `<text x="${x + 18}" y="${BADGE_TOP + 37}" font-size="${BADGE_FONT}" font-weight="700" fill="${ink}">${escapeXml(label)}</text>`;
  return { svg, width };
}

function textLines(lines: readonly string[], top: number, block: Block): string {
  // The first baseline sits about 0.8 em below the line's top, centring CJK glyphs in the line.
  const baseline = (index: number) =>
    Math.round(top + index * block.lineHeight + (block.lineHeight + block.fontSize * 0.72) / 2);
  return lines
    .map(
      (line, index) =>
        `<text x="${PADDING}" y="${baseline(index)}" font-size="${block.fontSize}"${block.bold ? ' font-weight="700"' : ''} fill="${block.color}">${escapeXml(line)}</text>`,
    )
    .join('');
}

/** The card as an SVG document (text as <text>, to be rendered with a CJK font). */
export function shareCardSvg(card: ShareCard): string {
  const parts: string[] = [];
  let x = PADDING;
  for (const [label, fill, ink] of [
    [card.kind, BRAND, '#ffffff'],
    ...(card.example ? [['示例', '#ffd666', INK]] : []),
    ...(card.corrected ? [['已更正', '#ffffff', ALARM]] : []),
  ] as const) {
    const drawn = badge(x, label, fill, ink);
    parts.push(drawn.svg);
    // The white 已更正 badge needs an outline to stand out from the white card.
    if (fill === '#ffffff')
      parts.push(
        `<rect x="${x}" y="${BADGE_TOP}" width="${drawn.width}" height="${BADGE_HEIGHT}" rx="8" fill="none" stroke="${ALARM}" stroke-width="3"/>`,
      );
    x += drawn.width + 16;
  }

  const [standardHeadline, ...rest] = blocksOf(card) as [Block, ...Block[]];
  // A short headline (电热水器) is drawn larger, to be read at a glance in a chat's preview.
  const headline =
    wrapText(standardHeadline.text, TEXT_WIDTH - HANGING_MARK * 84, 84, 2).length === 1
      ? { ...standardHeadline, fontSize: 84, lineHeight: 100 }
      : standardHeadline;
  const wrap = (block: Block, maxLines = block.maxLines) =>
    wrapText(block.text, TEXT_WIDTH - HANGING_MARK * block.fontSize, block.fontSize, maxLines);
  const wrapped = rest.map((block) => ({ block, lines: wrap(block) }));
  // A long headline may take the lines the facts below it leave free.
  const restHeight = wrapped.reduce(
    (sum, { block, lines }) => sum + block.gapBefore + lines.length * block.lineHeight,
    0,
  );
  const headlineRoom = Math.floor((TEXT_BOTTOM - FIRST_BLOCK_TOP - restHeight) / headline.lineHeight);
  let y = FIRST_BLOCK_TOP;
  for (const { block, lines } of [
    { block: headline, lines: wrap(headline, Math.max(headline.maxLines, Math.min(headlineRoom, MAX_HEADLINE_LINES))) },
    ...wrapped,
  ]) {
    y += block.gapBefore;
    parts.push(textLines(lines, y, block));
    y += lines.length * block.lineHeight;
  }

  const footerFont = 32;
  const footerText = wrapText(`${card.siteName}｜${card.hostOrg}`, TEXT_WIDTH, footerFont, 1)[0] ?? '';
  parts.push(
    `<rect x="0" y="${FOOTER_TOP}" width="${CARD_WIDTH}" height="${FOOTER_HEIGHT}" fill="${BRAND}"/>`,
    `<text x="${PADDING}" y="${FOOTER_TOP + 53}" font-size="${footerFont}" font-weight="700" fill="#ffffff">${escapeXml(footerText)}</text>`,
  );

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CARD_WIDTH}" height="${CARD_HEIGHT}" viewBox="0 0 ${CARD_WIDTH} ${CARD_HEIGHT}" font-family="${CARD_FONT_FAMILY}">` +
    `<rect width="${CARD_WIDTH}" height="${CARD_HEIGHT}" fill="#ffffff"/>` +
    `<rect width="${CARD_WIDTH}" height="12" fill="${BRAND}"/>` +
    parts.join('') +
    '</svg>'
  );
}
