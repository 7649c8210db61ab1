/**
 * Downloads of the documents attached to published items. Whatever the file holds, it is never shown
 * or run in the browser: always a download, the stored (byte-checked) type, nosniff, and a sandbox
 * policy for a browser that would still open it.
 */
import type { APIRoute } from 'astro';
import { attachmentDisposition, servedMediaType } from '~/lib/publishing/attachments';
import { paths } from '~/paths';
import { publicAttachment } from '~/server/publishing/public-attachments';
import { getStore } from '~/server/store/instance';

export const prerender = false;

export const GET: APIRoute = async ({ params }) => {
  const found = await publicAttachment(await getStore(), params.id ?? '');
  if (!found) {
    return new Response('没有找到这个附件，它可能尚未发布或已撤回。', {
      status: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    });
  }
  const { ref, content } = found;
  // One address per file: an old or mistyped name leads to the one the page links.
  if (params.name !== ref.fileName) {
    return new Response(null, {
      status: 301,
      headers: { location: paths.attachment(ref.id, ref.fileName), 'cache-control': 'no-cache' },
    });
  }
  return new Response(new Uint8Array(content), {
    headers: {
      'content-type': servedMediaType(ref.mediaType),
      'content-disposition': attachmentDisposition(ref.fileName),
      'content-length': String(content.byteLength),
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      // A withdrawal must stop downloads at once: caches ask again every time.
      'cache-control': 'no-cache',
    },
  });
};

/** HEAD is answered like GET without the body (Astro strips it). */
export const HEAD = GET;
