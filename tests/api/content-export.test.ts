/**
 * `npm run content:export -- DIR` on a file store holding published, corrected, withdrawn and draft
 * items with an attachment: the files it writes parse with the content schemas the build uses
 * (so a build with CONTENT_DIR=DIR accepts them), the attachment's bytes are exact, withdrawn items
 * are named as skipped, and a folder that is not empty is refused.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { announcementSchema, recallSchema } from '../../src/lib/content-schemas';
import type { Publication } from '../../src/lib/publishing/model';
import { FileStore } from '../../src/server/store/file-store';
import { attachmentOf, exampleAnnouncement, newPublication } from '../support/store-contract';
import { projectRoot } from '../support/server';

const run = promisify(execFile);
const folders: string[] = [];

function folder(prefix: string): string {
  const path = mkdtempSync(join(tmpdir(), prefix));
  folders.push(path);
  return path;
}

afterAll(() => {
  for (const path of folders) rmSync(path, { recursive: true, force: true });
});

/** The file store is the one under test, whatever the environment running the tests says. */
function withoutDatabase({ DATABASE_URL: _unused, ...env }: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return env;
}

function exportTo(dir: string, dataDir: string): Promise<{ stdout: string; stderr: string }> {
  return run(
    process.execPath,
    [
      join(projectRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
      join(projectRoot, 'scripts', 'content-export.ts'),
      dir,
    ],
    { cwd: projectRoot, env: { ...withoutDatabase(process.env), DATA_DIR: dataDir }, encoding: 'utf8' },
  );
}

describe('npm run content:export', () => {
  it('writes the published items in the content/ format with their attachments, and says what it skipped', async () => {
    const dataDir = folder('export-store-');
    const store = await FileStore.open({ dataDir, command: 'test', log: () => undefined });
    const content = Buffer.from(Array.from({ length: 512 }, (_, index) => (index * 13) % 256));
    const attachment = await store.attachments.put(
      attachmentOf(content, '抽查结果.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
      content,
    );
    const first = (await store.publications.create({
      ...newPublication('2026-dian-xian', { published: true }),
      attachments: [attachment],
    })) as Publication;
    const revision = first.revisions[0] as Publication['revisions'][number];
    await store.publications.save(
      {
        ...first,
        revisions: [
          revision,
          { ...revision, number: 2, data: exampleAnnouncement('更正后的公告'), correctionNote: '更正了标题' },
        ],
      },
      1,
      { publicChange: true },
    );
    await store.publications.create(newPublication('2026-wan-ju', { kind: 'recalls', published: true }));
    const gone = (await store.publications.create(newPublication('2026-che-hui', { published: true }))) as Publication;
    await store.publications.save(
      { ...gone, withdrawal: { reason: '抽样单位信息有误', at: '2026-12-01T11:00:00+08:00', by: 'bob' } },
      1,
      { publicChange: true },
    );
    await store.publications.create(newPublication('2026-cao-gao'));
    await store.close();

    const out = join(folder('export-out-'), 'content');
    const { stdout } = await exportTo(out, dataDir);
    expect(stdout).toContain('已导出 announcements/2026-dian-xian.json');
    expect(stdout).toContain('已导出 recalls/2026-wan-ju.json');
    expect(stdout).toContain(`附件 attachments/${attachment.id}（抽查结果.xlsx，512 字节）`);
    expect(stdout).toContain('跳过 announcements/2026-che-hui：已撤回（抽样单位信息有误），不导出');
    expect(stdout).toContain('导出完成：2 条写入');
    expect(stdout).not.toContain('2026-cao-gao');

    expect(readdirSync(join(out, 'announcements'))).toEqual(['2026-dian-xian.json']);
    expect(readdirSync(join(out, 'recalls'))).toEqual(['2026-wan-ju.json']);
    const announcement = announcementSchema.parse(
      JSON.parse(readFileSync(join(out, 'announcements', '2026-dian-xian.json'), 'utf8')),
    );
    expect(announcement.title).toBe('更正后的公告');
    expect(
      recallSchema.safeParse(JSON.parse(readFileSync(join(out, 'recalls', '2026-wan-ju.json'), 'utf8'))).success,
    ).toBe(true);
    expect(readFileSync(join(out, 'attachments', attachment.id)).equals(content)).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'attachments', `${attachment.id}.json`), 'utf8'))).toEqual(attachment);
    expect(JSON.parse(readFileSync(join(out, 'attachments', 'index.json'), 'utf8'))).toEqual({
      'announcements/2026-dian-xian': [attachment.id],
    });

    await expect(exportTo(out, dataDir)).rejects.toMatchObject({ stderr: expect.stringContaining('不是空的') });
  });
});
