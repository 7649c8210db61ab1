/** POST: a machine client creates an announcement draft (JSON, or multipart with the spreadsheet). See /api/v1/openapi.json. */
import type { APIRoute } from 'astro';
import { serverConfig } from '~/server/config';
import { methodNotAllowed } from '~/server/http/method-not-allowed';
import { createAnnouncement } from '~/server/machine-api/announcements';

export const prerender = false;

export const POST: APIRoute = ({ request }) => createAnnouncement(request, serverConfig().SITE_URL);

/** Any other method: 405 METHOD_NOT_ALLOWED as JSON (instead of Astro's empty 404 and a log line). */
export const ALL = methodNotAllowed('POST');
