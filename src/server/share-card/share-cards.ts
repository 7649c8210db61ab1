/**
 * The sharing cards of announcements and recalls as PNG (WeChat and X take no SVG for og:image),
 * rendered once per version of a card and then kept on disk under DATA_DIR/share-cards.
 *
 * A card's version is the hash of its SVG, so a correction (or a new site name) makes a new card and
 * a new address (`card.png?v=<version>`, which share previews cache by), while an unchanged item
 * keeps its file. Only items in the catalogue get a card, so the renders an anonymous visitor can
 * cause are bounded by the catalogue: one per item and version, one at a time, off the event loop;
 * an unknown or withdrawn slug is refused before anything is rendered (src/server/share-card/route.ts).
 *
 * The card needs a CJK font. Without one the pages keep the generic card, and the log says once why,
 * rather than sharing boxes in place of Chinese.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { renderAsync } from '@resvg/resvg-js';
import { siteConfig } from '~/config/site';
import type { CatalogueEntry } from '~/lib/publishing/catalogue';
import { announcementCard, recallCard, shareCardAlt } from '~/lib/share-card/content';
import { CARD_HEIGHT, CARD_WIDTH, shareCardSvg, type ShareCard } from '~/lib/share-card/layout';
import { paths } from '~/paths';
import { serverConfig } from '~/server/config';

export type CardKind = 'announcements' | 'recalls';

/**
 * Where the CJK fonts the card asks for (CARD_FONT_FAMILY) are installed: Debian/Ubuntu
 * (fonts-noto-cjk, which .ci/run installs), Arch, Fedora, macOS and Windows. Regular and bold
 * of one family go together, so the bold headline is not a synthesised one.
 */
export const CJK_FONT_SETS: readonly (readonly string[])[] = [
  ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc'],
  ['/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', '/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc'],
  ['/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc'],
  ['/System/Library/Fonts/PingFang.ttc'],
  ['C:\\Windows\\Fonts\\msyh.ttc', 'C:\\Windows\\Fonts\\msyhbd.ttc'],
];

let fonts: readonly string[] | null | undefined;

/**
 * The font files of the first installed set (SHARE_CARD_FONT_FILES when set), or null (warned once)
 * when none is installed.
 */
function cjkFonts(): readonly string[] | null {
  if (fonts !== undefined) return fonts;
  const configured = serverConfig().SHARE_CARD_FONT_FILES;
  const sets = configured ? [configured] : CJK_FONT_SETS;
  fonts = sets.map((set) => set.filter((file) => existsSync(file))).find((set) => set.length > 0) ?? null;
  if (!fonts) {
    const looked = configured ? `SHARE_CARD_FONT_FILES：${configured.join('，')}` : '如 Debian 的 fonts-noto-cjk';
    console.warn(`[share-card] 未找到中文字体（${looked}），公告和召回的分享卡片改用通用图片；安装字体后重启即可生成`);
  }
  return fonts;
}

export interface PreparedCard {
  kind: CardKind;
  slug: string;
  svg: string;
  /** Hash of the SVG: changes with every change of what the card shows. */
  version: string;
  /** What BaseLayout writes as og:image (the path with its version; BaseLayout makes it absolute). */
  image: { path: string; width: number; height: number; alt: string };
}

function prepared(kind: CardKind, slug: string, card: ShareCard): PreparedCard {
  const svg = shareCardSvg(card);
  const version = createHash('sha256').update(svg).digest('hex').slice(0, 16);
  const path = kind === 'announcements' ? paths.announcementCard(slug, version) : paths.recallCard(slug, version);
  return { kind, slug, svg, version, image: { path, width: CARD_WIDTH, height: CARD_HEIGHT, alt: shareCardAlt(card) } };
}

const site = { name: siteConfig.name, host: siteConfig.host };

/** The card of a public announcement; null when withdrawn or when no CJK font is installed. */
export function announcementShareCard(entry: CatalogueEntry<'announcements'>): PreparedCard | null {
  if (entry.withdrawal || !cjkFonts()) return null;
  return prepared('announcements', entry.id, announcementCard(entry, site));
}

/** The card of a public recall; null when withdrawn or when no CJK font is installed. */
export function recallShareCard(entry: CatalogueEntry<'recalls'>): PreparedCard | null {
  if (entry.withdrawal || !cjkFonts()) return null;
  return prepared('recalls', entry.id, recallCard(entry, site));
}

const cardsDir = (kind: CardKind) => resolve(serverConfig().DATA_DIR, 'share-cards', kind);
/** Slugs are plain (a-z, 0-9, -) already; encoding keeps any other one inside its folder. */
const fileStem = (slug: string) => encodeURIComponent(slug);

/** Renders waiting for the one before them: at most one card is drawn at a time. */
let queue: Promise<unknown> = Promise.resolve();
/** A card being rendered, so that simultaneous first requests render it once. */
const rendering = new Map<string, Promise<Buffer>>();
/**
 * Cards drawn or waiting at once. A share preview asks for one card; a crawler asking for many new
 * ones at once is told to come back (a card takes up to a second) instead of piling up requests.
 */
export const MAX_CARDS_IN_PROGRESS = 8;

async function render(card: PreparedCard, file: string): Promise<Buffer> {
  const fontFiles = cjkFonts();
  if (!fontFiles) throw new Error('[share-card] 没有中文字体，无法生成分享卡片');
  const image = await renderAsync(card.svg, {
    font: { loadSystemFonts: false, fontFiles: [...fontFiles], defaultFontFamily: 'Noto Sans CJK SC' },
    shapeRendering: 2,
    textRendering: 1,
  });
  const png = image.asPng();
  const dir = cardsDir(card.kind);
  await mkdir(dir, { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, png);
  await rename(partial, file);
  // The cards of earlier versions of this item will not be asked for by a current page again.
  const stem = `${fileStem(card.slug)}.`;
  for (const name of await readdir(dir))
    if (name.startsWith(stem) && join(dir, name) !== file && name.endsWith('.png'))
      await rm(join(dir, name), { force: true });
  return png;
}

/**
 * The card's PNG: from disk when this version was rendered before, else rendered now and kept; null
 * when MAX_CARDS_IN_PROGRESS other cards are being rendered already.
 */
export async function shareCardPng(card: PreparedCard): Promise<Buffer | null> {
  const file = join(cardsDir(card.kind), `${fileStem(card.slug)}.${card.version}.png`);
  const known = await readFile(file).catch(() => null);
  if (known) return known;
  let pending = rendering.get(file);
  if (!pending) {
    if (rendering.size >= MAX_CARDS_IN_PROGRESS) return null;
    pending = queue.then(() => render(card, file));
    queue = pending.catch(() => undefined);
    rendering.set(file, pending);
    void pending.finally(() => rendering.delete(file)).catch(() => undefined);
  }
  return pending;
}
