/** The machine interface's description (OpenAPI 3.1), for the bureau's developers and their tools. */
import type { APIRoute } from 'astro';
import { methodNotAllowed } from '~/server/http/method-not-allowed';
import { json } from '~/server/http/json';
import openapi from '~/server/machine-api/openapi.json';

export const prerender = false;

export const GET: APIRoute = () => json(openapi);

/** HEAD is answered like GET without the body (Astro strips it); exported because `ALL` would catch it first. */
export const HEAD = GET;

/** Any other method: 405 METHOD_NOT_ALLOWED as JSON (instead of Astro's empty 404 and a log line). */
export const ALL = methodNotAllowed('GET', 'HEAD');
