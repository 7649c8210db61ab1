/**
 * The card layout estimates glyph widths instead of measuring them (it is a pure function); this
 * checks the estimate against the real font the server draws with (fonts-noto-cjk, which .ci/run
 * installs). Of all the lines the sample announcements' and recalls' cards draw, those the estimate
 * puts nearest the right margin are drawn in the real font: none may reach past the margin, where
 * it would be cut off. (Drawing costs about 50 ms a line, so not every line is drawn.)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { expect, test } from 'vitest';
import { announcementSchema, recallSchema } from '../../src/lib/content-schemas';
import { announcementCard, recallCard } from '../../src/lib/share-card/content';
import { CARD_FONT_FAMILY, CARD_WIDTH, shareCardSvg, textWidth } from '../../src/lib/share-card/layout';
import { CJK_FONT_SETS } from '../../src/server/share-card/share-cards';

const site = { name: '你点我查', host: '示例市市场监督管理局（示例）' };
const RIGHT_MARGIN = 60;
const LINES_DRAWN = 20;

function sampleCards(): string[] {
  const folder = (kind: string) => join(import.meta.dirname, '../../content', kind);
  const read = (kind: string) =>
    readdirSync(folder(kind))
      .filter((file) => file.endsWith('.json'))
      .map((file) => JSON.parse(readFileSync(join(folder(kind), file), 'utf8')) as unknown);
  return [
    ...read('announcements').map((raw) =>
      shareCardSvg(announcementCard({ data: announcementSchema.parse(raw), revisions: [] }, site)),
    ),
    ...read('recalls').map((raw) => shareCardSvg(recallCard({ data: recallSchema.parse(raw), revisions: [] }, site))),
  ];
}

/** Every distinct line of text drawn, with where the estimate says it ends. */
function drawnLines(cards: readonly string[]): { element: string; estimatedEnd: number }[] {
  const lines = new Map<string, number>();
  for (const svg of cards)
    for (const match of svg.matchAll(/<text x="(\d+)" y="\d+" font-size="(\d+)"([^>]*)>([^<]*)<\/text>/g)) {
      const [, x, size, rest, text] = match;
      const unescaped = text!
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&');
      lines.set(
        `<text x="${x}" font-size="${size}"${rest}>${text}</text>`,
        Number(x) + textWidth(unescaped, Number(size)),
      );
    }
  return [...lines].map(([element, estimatedEnd]) => ({ element, estimatedEnd }));
}

test('the lines nearest the right margin by the estimate stay inside it in the real font', () => {
  const fontFiles = CJK_FONT_SETS.map((set) => set.filter((file) => existsSync(file))).find((set) => set.length > 0);
  expect(fontFiles, 'a CJK font (apt-get install fonts-noto-cjk)').toBeDefined();
  const lines = drawnLines(sampleCards());
  expect(lines.length).toBeGreaterThan(300);
  const nearest = lines.sort((a, b) => b.estimatedEnd - a.estimatedEnd).slice(0, LINES_DRAWN);
  // One line below another, each at its own x and size.
  const body = nearest
    .map(({ element }, index) => element.replace('<text ', `<text y="${80 * (index + 1)}" `))
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${CARD_WIDTH}" height="${80 * (LINES_DRAWN + 1)}" font-family="${CARD_FONT_FAMILY.replace(/"/g, '&quot;')}">${body}</svg>`;
  const box = new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: [...fontFiles!] } }).getBBox();
  expect(box).toBeDefined();
  expect(box!.x + box!.width).toBeLessThanOrEqual(CARD_WIDTH - RIGHT_MARGIN);
}, 60_000);
