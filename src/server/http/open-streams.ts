/** The stream registry of this process, with caps from the configuration (see `./streams.ts`). */
import { serverConfig } from '~/server/config';
import { StreamRegistry } from './streams';

export const openStreams = new StreamRegistry(() => {
  const config = serverConfig();
  return { perAddress: config.SSE_STREAMS_PER_ADDRESS, total: config.SSE_STREAMS_TOTAL };
});
