/**
 * Site-wide request middleware. Every state-changing request (any method but GET/HEAD/OPTIONS),
 * whatever its content type, is refused with 403 CROSS_SITE when it comes from another site.
 * (Astro's own `checkOrigin` only covers form content types and is turned off in astro.config.mjs.)
 * The security headers of every answer are set by the server entry (src/server/entry/serve.ts).
 */
import { defineMiddleware } from 'astro:middleware';
import { refuseCrossSite } from './server/http/cross-site';

export const onRequest = defineMiddleware((context, next) => refuseCrossSite(context.request) ?? next());
