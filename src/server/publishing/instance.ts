/** The publishing service of this process: its store, the configured review and the server's clock. */
import { serverConfig } from '~/server/config';
import { now } from '~/server/clock';
import { getStore } from '~/server/store/instance';
import { PublishingService } from './service';

let service: Promise<PublishingService> | undefined;

export function publishingService(): Promise<PublishingService> {
  service ??= getStore().then(
    (store) =>
      new PublishingService({
        store,
        policy: serverConfig().PUBLISH_REVIEW,
        now,
        // Loaded on the first new draft only: the content layer is not needed to publish what is due.
        sampleSlugs: async (kind) => (await import('./sample-slugs')).sampleContentSlugs(kind),
      }),
  );
  return service;
}
