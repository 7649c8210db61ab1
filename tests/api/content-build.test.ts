/**
 * A schema error in a content file must stop the build and say which file and which field.
 * Runs Astro's real content sync (the step of `astro build` that loads and validates content)
 * against a temporary copy of content/ (CONTENT_DIR), with its own cache folder so the repo's
 * build cache is left alone.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');
const astroCli = join(root, 'node_modules', 'astro', 'bin', 'astro.mjs');
const brokenFile = '2024-shang-hai-shi-xi-wan-ji.json';
let work = '';

function astroSync(contentDir: string) {
  // Astro resolves --config relative to the project root, so the path given is relative.
  const config = join(work, 'astro.config.mjs');
  const child = spawnSync(process.execPath, [astroCli, 'sync', '--config', relative(root, config)], {
    cwd: root,
    env: { ...process.env, CONTENT_DIR: contentDir, NO_COLOR: '1', FORCE_COLOR: '0' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: child.status, output: `${child.stdout}\n${child.stderr}` };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'content-build-'));
  writeFileSync(
    join(work, 'astro.config.mjs'),
    `import base from ${JSON.stringify(join(root, 'astro.config.mjs'))};\n` +
      `export default { ...base, cacheDir: ${JSON.stringify(join(work, 'cache'))}, outDir: ${JSON.stringify(join(work, 'dist'))} };\n`,
  );
  for (const copy of ['good', 'broken']) cpSync(join(root, 'content'), join(work, copy), { recursive: true });
  const target = join(work, 'broken', 'announcements', brokenFile);
  const announcement = JSON.parse(readFileSync(target, 'utf8')) as {
    batches: { sampled: number | null; failed: number | null };
  };
  announcement.batches = { sampled: 3, failed: 5 };
  writeFileSync(target, JSON.stringify(announcement, null, 2));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('content validation in the build', () => {
  it('accepts the real content', () => {
    const { code, output } = astroSync(join(work, 'good'));
    expect(output).not.toMatch(/InvalidContentEntryDataError/);
    expect(code).toBe(0);
  });

  it('fails naming the file and the field path of a schema error', () => {
    const { code, output } = astroSync(join(work, 'broken'));
    expect(code).not.toBe(0);
    expect(output).toContain(
      '[InvalidContentEntryDataError] announcements → 2024-shang-hai-shi-xi-wan-ji data does not match collection schema',
    );
    expect(output).toContain('batches.failed: 不合格批次数不能大于抽查批次数');
    expect(output).toContain(join(work, 'broken', 'announcements', brokenFile));
  });
});
