/**
 * Which attachments the public may download: those of items that are published and not withdrawn.
 * The list is rebuilt only when the store's content version moves (a publication, correction or
 * withdrawal anywhere, in any process), so a download costs one small read, not a scan.
 */
import type { AttachmentRef } from '~/lib/publishing/model';
import { publicState } from '~/lib/publishing/model';
import type { Store } from '~/server/store/store';

let known: { version: number; ids: ReadonlySet<string> } | null = null;

async function publicAttachmentIds(store: Store): Promise<ReadonlySet<string>> {
  const version = await store.publications.contentVersion();
  if (known?.version !== version) {
    const ids = new Set<string>();
    for (const publication of await store.publications.listPublic()) {
      if (publicState(publication) !== 'published') continue;
      for (const attachment of publication.attachments) ids.add(attachment.id);
    }
    known = { version, ids };
  }
  return known.ids;
}

/** The attachment and its bytes when the public may have it; null otherwise (unknown, draft-only, withdrawn). */
export async function publicAttachment(
  store: Store,
  id: string,
): Promise<{ ref: AttachmentRef; content: Buffer } | null> {
  if (!(await publicAttachmentIds(store)).has(id)) return null;
  return store.attachments.get(id);
}
