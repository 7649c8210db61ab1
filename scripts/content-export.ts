/**
 * `npm run content:export -- DIR`: writes what staff published to the new or empty folder DIR in
 * the `content/` format, so it can be kept in git, reviewed, or built with CONTENT_DIR=DIR:
 *
 *   DIR/<kind>/<slug>.json        the latest revision of every published item (lib/publishing/export)
 *   DIR/attachments/<id>          the attachments of those items, byte for byte
 *   DIR/attachments/<id>.json     each attachment's record (file name, type, size, SHA-256)
 *   DIR/attachments/index.json    which item each attachment belongs to
 *
 * It prints every file written and every item skipped (withdrawn ones say so). It opens the store
 * as the server does: with the file store it takes DATA_DIR's lock, so stop the server first (or
 * export from a restored backup); with DATABASE_URL it runs beside the servers.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { planContentExport } from '../src/lib/publishing/export';
import { openConfiguredStore } from '../src/server/store/instance';
import { StoreLockedError } from '../src/server/store/lock';

const target = process.argv[2];
if (!target || process.argv.length > 3) {
  console.error('用法：npm run content:export -- 导出目录（新目录或空目录）');
  process.exit(1);
}
const folder = resolve(target);
if (existsSync(folder) && readdirSync(folder).length > 0) {
  console.error(`导出目录 ${folder} 不是空的：为免混入旧文件，请指定一个新目录。`);
  process.exit(1);
}

function write(path: string, content: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content, { flag: 'wx' });
}

const store = await openConfiguredStore('npm run content:export', (message) => console.warn(`[存储] ${message}`)).catch(
  (error: unknown) => {
    if (!(error instanceof StoreLockedError)) throw error;
    console.error(`${error.message}\n导出需要独占数据目录：请先停止服务器，或从恢复出的备份导出。`);
    process.exit(2);
  },
);
try {
  const plan = planContentExport(await store.publications.listPublic());
  const attachmentIndex: Record<string, string[]> = {};
  const written = new Set<string>();
  for (const file of plan.files) {
    write(join(folder, file.path), file.text);
    console.log(`已导出 ${file.path}`);
    for (const ref of file.attachments) {
      if (!written.has(ref.id)) {
        const attachment = await store.attachments.get(ref.id);
        if (!attachment) {
          console.warn(`  跳过附件 ${ref.id}（${ref.fileName}）：存储中没有它的文件`);
          continue;
        }
        write(join(folder, 'attachments', ref.id), attachment.content);
        write(join(folder, 'attachments', `${ref.id}.json`), `${JSON.stringify(attachment.ref, null, 2)}\n`);
        written.add(ref.id);
      }
      (attachmentIndex[file.path.replace(/\.json$/, '')] ??= []).push(ref.id);
      console.log(`  附件 attachments/${ref.id}（${ref.fileName}，${ref.bytes} 字节）`);
    }
  }
  if (Object.keys(attachmentIndex).length > 0) {
    write(join(folder, 'attachments', 'index.json'), `${JSON.stringify(attachmentIndex, null, 2)}\n`);
  }
  for (const { item, reason } of plan.skipped) console.log(`跳过 ${item}：${reason}`);
  console.log(`导出完成：${plan.files.length} 条写入 ${folder}，跳过 ${plan.skipped.length} 条。`);
} finally {
  await store.close();
}
