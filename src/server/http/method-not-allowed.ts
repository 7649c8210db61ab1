/** 405 answers: JSON for API routes (exported as `ALL` beside a route's handlers), a Chinese page otherwise. */
import type { ServerResponse } from 'node:http';
import type { APIRoute } from 'astro';
import { EDGE_ERRORS } from '~/lib/http/api-errors';
import { edgeError } from './json';

/** For an API route: `export const ALL = methodNotAllowed('GET', 'POST')` answers any other method. */
export function methodNotAllowed(...allowed: string[]): APIRoute {
  return () => edgeError('METHOD_NOT_ALLOWED', { allow: allowed.join(', ') });
}

export function methodNotAllowedPage(res: ServerResponse, allowed: string[]): void {
  const { status, message } = EDGE_ERRORS.METHOD_NOT_ALLOWED;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    allow: allowed.join(', '),
  });
  res.end(
    `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>请求方式不受支持</title><p>${message}</p><p><a href="/">返回首页</a></p></html>`,
  );
}
