/**
 * The projector's live tally: big bars that follow `GET /api/campaigns/<id>/tally/stream`
 * (server-sent events, `event: tally`) without reloading. The browser's EventSource retries a
 * dropped connection by itself; when the server refuses outright (the stream is then closed for
 * good) this reconnects with a growing pause. Screen readers hear the standings at most every 30 s,
 * since a busy hall can change the tally several times a second.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { TallyChart } from './TallyChart';
import type { PublicTally } from '~/lib/voting/tally';
import { announcementDelay, parsePublicTally, tallyAnnouncement } from '~/lib/voting/tally-view';
import { paths } from '~/paths';

interface Props {
  campaignId: string;
  initialTally: PublicTally;
}

const ANNOUNCE_GAP_MS = 30_000;
/** As many bars as a 1080p projector shows without scrolling under the title. */
const PROJECTOR_BARS = 8;
const MAX_RETRY_MS = 30_000;

type Connection = 'connecting' | 'live' | 'lost';

export default function LiveTally({ campaignId, initialTally }: Props) {
  const [tally, setTally] = useState(initialTally);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [announcement, setAnnouncement] = useState('');
  const lastAnnouncedAt = useRef<number | null>(null);
  const pendingAnnouncement = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latestTally = useRef(initialTally);

  useEffect(() => {
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let retryMs = 1000;
    let stopped = false;

    const connect = () => {
      source = new EventSource(paths.apiTallyStream(campaignId));
      source.addEventListener('open', () => {
        retryMs = 1000;
        setConnection('live');
      });
      source.addEventListener('tally', (event) => {
        let data: unknown;
        try {
          data = JSON.parse((event as MessageEvent<string>).data);
        } catch {
          return;
        }
        const next = parsePublicTally(data);
        if (next) {
          latestTally.current = next;
          setTally(next);
        }
      });
      source.addEventListener('error', () => {
        setConnection('lost');
        if (source?.readyState !== EventSource.CLOSED || stopped) return;
        retryTimer = setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
      });
    };
    connect();
    return () => {
      stopped = true;
      source?.close();
      if (retryTimer) clearTimeout(retryTimer);
      if (pendingAnnouncement.current) clearTimeout(pendingAnnouncement.current);
    };
  }, [campaignId]);

  useEffect(() => {
    if (tally === initialTally || pendingAnnouncement.current) return;
    const announce = () => {
      pendingAnnouncement.current = null;
      lastAnnouncedAt.current = Date.now();
      setAnnouncement(tallyAnnouncement(latestTally.current));
    };
    const delay = announcementDelay(lastAnnouncedAt.current, Date.now(), ANNOUNCE_GAP_MS);
    if (delay === 0) announce();
    else pendingAnnouncement.current = setTimeout(announce, delay);
  }, [tally]);

  return (
    <div class="live-tally" data-connection={connection}>
      <p class="projector-total">
        已有 <strong data-testid="projector-total">{tally.total}</strong> 人投票
      </p>
      <TallyChart tally={tally} idPrefix="projector" size="projector" caption="实时得票" maxBars={PROJECTOR_BARS} />
      <p class="projector-connection">
        {connection === 'lost'
          ? '连接中断，正在重新连接……（票数会在连上后更新）'
          : connection === 'live'
            ? '实时更新中'
            : '正在连接……'}
      </p>
      <div class="visually-hidden" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
    </div>
  );
}
