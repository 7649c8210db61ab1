import type { APIRoute } from 'astro';
import { responseOf } from '~/server/http/json';
import { readTallyOverHttp } from '~/server/voting/tally-http';
import { methodNotAllowed } from '~/server/http/method-not-allowed';

export const prerender = false;

/** Also answered by the server entry's direct path; both call readTallyOverHttp. */
export const GET: APIRoute = async ({ params }) => responseOf(await readTallyOverHttp(params.id ?? ''));

/** HEAD is answered like GET without the body (Astro strips it); exported because `ALL` would catch it first. */
export const HEAD = GET;

/** Any other method: 405 METHOD_NOT_ALLOWED as JSON (instead of Astro's empty 404 and a log line). */
export const ALL = methodNotAllowed('GET', 'HEAD');
