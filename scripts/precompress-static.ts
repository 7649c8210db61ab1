/**
 * Runs after `astro build` and Pagefind (see `npm run build`): writes a `.br` and a `.gz` beside every
 * compressible file of dist/client, which the server entry sends to clients that accept them
 * (sirv's `brotli`/`gzip` options), so static files are compressed once at build instead of per
 * request. Also refuses a build that prerendered anything under /api/: the server sends /api/
 * straight to Astro, so such files would never be served.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const clientDir = resolve(process.argv[2] ?? 'dist/client');
const COMPRESSIBLE = /\.(html|js|mjs|css|json|svg|xml|txt|webmanifest|map)$/;
/** Below this a compressed copy saves less than a network packet. */
const MIN_BYTES = 1024;

if (existsSync(join(clientDir, 'api'))) {
  console.error(
    `${join(clientDir, 'api')}: files were prerendered under /api/, but the server sends /api/ requests to Astro only`,
  );
  process.exit(1);
}

let files = 0;
let before = 0;
let afterBrotli = 0;
for (const entry of readdirSync(clientDir, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !COMPRESSIBLE.test(entry.name)) continue;
  const path = join(entry.parentPath, entry.name);
  const size = statSync(path).size;
  if (size < MIN_BYTES) continue;
  const content = readFileSync(path);
  const brotli = brotliCompressSync(content, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: size },
  });
  writeFileSync(`${path}.br`, brotli);
  writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }));
  files += 1;
  before += size;
  afterBrotli += brotli.byteLength;
}
console.log(
  `[precompress] ${files} 个文件：${(before / 1024).toFixed(0)} KiB → brotli ${(afterBrotli / 1024).toFixed(0)} KiB`,
);
