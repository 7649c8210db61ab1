/** The announcement's sharing card (og:image), 1200×630 PNG: see src/server/share-card. */
import { shareCardRoute } from '~/server/share-card/route';

export const prerender = false;

export const GET = shareCardRoute('announcements');
