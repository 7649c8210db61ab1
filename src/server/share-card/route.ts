/**
 * The `card.png` endpoint of an announcement or a recall. The item is looked up in the catalogue
 * first: an unknown or withdrawn slug is a 404 and nothing is rendered. The route cache is not used
 * (a PNG per item would crowd the pages out of it); the disk keeps the cards (share-cards.ts).
 */
import type { APIRoute } from 'astro';
import { publicEntry, type PageCache } from '~/content-queries';
import { shareCardCacheControl } from '~/server/http/cache-policy';
import { announcementShareCard, recallShareCard, shareCardPng, type CardKind, type PreparedCard } from './share-cards';

/** The card's bytes go to disk, not to the in-memory route cache. */
const OUTSIDE_ROUTE_CACHE: PageCache = { set: () => undefined };

const GENERIC_CARD = '/og-image.png';

/** When a client turned away while many new cards are drawn may ask again. */
const RETRY_AFTER_SECONDS = 5;

/** The item's card, undefined when there is no such listed item, null when it has none (no CJK font). */
async function cardOf(kind: CardKind, slug: string): Promise<PreparedCard | null | undefined> {
  if (kind === 'announcements') {
    const entry = await publicEntry('announcements', slug, OUTSIDE_ROUTE_CACHE);
    return entry && !entry.withdrawal ? announcementShareCard(entry) : undefined;
  }
  const entry = await publicEntry('recalls', slug, OUTSIDE_ROUTE_CACHE);
  return entry && !entry.withdrawal ? recallShareCard(entry) : undefined;
}

export function shareCardRoute(kind: CardKind): APIRoute {
  return async ({ params, url, request, redirect }) => {
    const card = await cardOf(kind, params.slug ?? '');
    if (card === undefined) return new Response(null, { status: 404 });
    // No CJK font on this server (share-cards.ts has said so in the log): the generic card, never boxes.
    if (card === null) return redirect(GENERIC_CARD, 302);
    const headers = {
      'Cache-Control': shareCardCacheControl(url.searchParams.get('v') === card.version),
      ETag: `"${card.version}"`,
    };
    if (request.headers.get('if-none-match') === headers.ETag) return new Response(null, { status: 304, headers });
    const png = await shareCardPng(card);
    if (!png) return new Response(null, { status: 503, headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } });
    return new Response(new Uint8Array(png), { headers: { ...headers, 'Content-Type': 'image/png' } });
  };
}
