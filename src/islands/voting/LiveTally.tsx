/**
 * The projector's live tally: big bars that follow `GET /api/campaigns/<id>/tally/stream`
 * (server-sent events, `event: tally`) without reloading. The browser's EventSource retries a
 * dropped connection by itself; when the server refuses outright (the stream is then closed for
 * good) this reconnects with a growing pause. Screen readers hear the standings at most every 30 s,
 * since a busy hall can change the tally several times a second.
 *
 * Headed with an outreach event, it shows that event's ballots and bars (the hall sees its own
 * votes), with the whole campaign's count small beside them. Lettering grows with the screen's
 * height so that the back of a hall can read it, and the rows drawn shrink to what fits.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { projectorRowHeight, TallyChart } from './TallyChart';
import { eventTally, type PublicTally } from '~/lib/voting/tally';
import { announcementDelay, parsePublicTally, tallyAnnouncement } from '~/lib/voting/tally-view';
import { paths } from '~/paths';

interface Props {
  campaignId: string;
  initialTally: PublicTally;
  /** The event the projector is headed with: its own count is the one shown large. */
  eventCode?: string;
}

const ANNOUNCE_GAP_MS = 30_000;
/** As many bars as a 1080p projector shows without scrolling under the title. */
const PROJECTOR_BARS = 8;
const MAX_RETRY_MS = 30_000;
/** Projector lettering as a share of the screen's height, within a readable range (px). */
const LETTER_SHARE_OF_HEIGHT = 0.036;
const LETTER_MIN_PX = 24;
const LETTER_MAX_PX = 48;
/** Room kept under the bars for the lines that follow them (bars left out, last ballot, connection). */
const LINES_UNDER_BARS_PX = 130;

/** Letter size, and as many bars as fit between `barsTop` and the bottom of a screen this tall. */
function projectorFit(screenHeight: number, barsTop: number): { letterPx: number; bars: number } {
  const letterPx = Math.round(Math.min(LETTER_MAX_PX, Math.max(LETTER_MIN_PX, screenHeight * LETTER_SHARE_OF_HEIGHT)));
  const rows = Math.floor((screenHeight - barsTop - LINES_UNDER_BARS_PX) / projectorRowHeight(letterPx));
  return { letterPx, bars: Math.max(1, Math.min(PROJECTOR_BARS, rows)) };
}

type Connection = 'connecting' | 'live' | 'lost';

export default function LiveTally({ campaignId, initialTally, eventCode }: Props) {
  const [tally, setTally] = useState(initialTally);
  // The server renders for a 1080 px screen, bars starting about a quarter down; the browser refits.
  const [fit, setFit] = useState(() => projectorFit(1080, 270));
  const root = useRef<HTMLDivElement>(null);
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
    const refit = () => {
      // Where the bars start does not depend on how many there are, so refitting cannot oscillate.
      const chart = root.current?.querySelector('.tally-chart');
      setFit(projectorFit(window.innerHeight, chart?.getBoundingClientRect().top ?? window.innerHeight / 4));
    };
    refit();
    window.addEventListener('resize', refit);
    return () => window.removeEventListener('resize', refit);
  }, []);

  const shown = eventCode ? eventTally(tally, eventCode) : tally;

  useEffect(() => {
    if (tally === initialTally || pendingAnnouncement.current) return;
    const announce = () => {
      pendingAnnouncement.current = null;
      lastAnnouncedAt.current = Date.now();
      const latest = latestTally.current;
      setAnnouncement(tallyAnnouncement(eventCode ? eventTally(latest, eventCode) : latest));
    };
    const delay = announcementDelay(lastAnnouncedAt.current, Date.now(), ANNOUNCE_GAP_MS);
    if (delay === 0) announce();
    else pendingAnnouncement.current = setTimeout(announce, delay);
  }, [tally]);

  return (
    <div class="live-tally" data-connection={connection} ref={root}>
      <p class="projector-total">
        {eventCode ? '本场已有' : '已有'} <strong data-testid="projector-total">{shown.total}</strong> 人投票
        {eventCode && (
          <span class="projector-campaign-total">
            （全部渠道共 <span data-testid="projector-campaign-total">{tally.total}</span> 人）
          </span>
        )}
      </p>
      <TallyChart
        tally={shown}
        idPrefix="projector"
        size="projector"
        caption={eventCode ? '本场实时得票' : '实时得票'}
        maxBars={fit.bars}
        projectorLetterPx={fit.letterPx}
      />
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
