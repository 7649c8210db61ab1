/** GET: where an announcement a machine client submitted stands (editing, in review, published …). */
import type { APIRoute } from 'astro';
import { serverConfig } from '~/server/config';
import { methodNotAllowed } from '~/server/http/method-not-allowed';
import { announcementStatus } from '~/server/machine-api/announcements';

export const prerender = false;

export const GET: APIRoute = ({ request, params }) =>
  announcementStatus(request, params.id ?? '', serverConfig().SITE_URL);

/** HEAD is answered like GET without the body (Astro strips it); exported because `ALL` would catch it first. */
export const HEAD = GET;

/** Any other method: 405 METHOD_NOT_ALLOWED as JSON (instead of Astro's empty 404 and a log line). */
export const ALL = methodNotAllowed('GET', 'HEAD');
