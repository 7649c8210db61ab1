/**
 * On a shared tablet, after a ballot: tells the voter it counted, shows its id, and counts down
 * until the next voter may start. Takes the focus so the confirmation is read out.
 */
import { useEffect } from 'preact/hooks';

const KIOSK_HEADING_ID = 'kiosk-confirmation-heading';

export function KioskBanner({ ballotId, secondsToWait }: { ballotId: string; secondsToWait: number }) {
  useEffect(() => document.getElementById(KIOSK_HEADING_ID)?.focus(), [ballotId]);
  return (
    <div class="kiosk-confirmation" role="status">
      <h2 id={KIOSK_HEADING_ID} tabIndex={-1}>
        投票成功，请交给下一位
      </h2>
      <p class="kiosk-wait">
        {secondsToWait > 0 ? `下一位请等 ${secondsToWait} 秒后投票。` : '现在可以开始下一次投票了。'}
      </p>
      <p class="meta">刚才这一票的编号：{ballotId}</p>
    </div>
  );
}
