/**
 * Writes that survive a power cut before they are acknowledged: the data is fsynced, and so is the
 * folder entry that names it (a renamed or newly created file is only durable once its directory is).
 * Every file is created 0600: portal.json holds password hashes.
 */
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

export const FILE_MODE = 0o600;
export const FOLDER_MODE = 0o700;

export function fsyncDirectory(path: string): void {
  const directory = openSync(path, 'r');
  try {
    fsyncSync(directory);
  } finally {
    closeSync(directory);
  }
}

/** Replaces `path` atomically: a crash leaves the old content or the new one, never half. */
export async function writeFileDurably(path: string, content: string | Buffer): Promise<void> {
  const temporary = `${path}.tmp`;
  const file = await open(temporary, 'w', FILE_MODE);
  try {
    await file.writeFile(content);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
  fsyncDirectory(dirname(path));
}

/** Appends to `path` (created 0600) and fsyncs it; a new file's folder entry is fsynced too. */
export async function appendFileDurably(path: string, content: string | Buffer): Promise<void> {
  const file = await open(path, 'a', FILE_MODE);
  let created: boolean;
  try {
    created = (await file.stat()).size === 0;
    await file.appendFile(content);
    await file.datasync();
  } finally {
    await file.close();
  }
  if (created) fsyncDirectory(dirname(path));
}
