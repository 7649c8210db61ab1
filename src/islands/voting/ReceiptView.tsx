/**
 * The voting receipt: the ballot number to keep, and the tally when it is public. Rendered by the
 * ballot island right after a vote (JavaScript path) and by the receipt page (no-JavaScript path),
 * so both look and read the same.
 */
import type { ComponentChildren } from 'preact';
import { TallyChart } from './TallyChart';
import type { PublicTally } from '~/lib/voting/tally';

interface Props {
  ballotId: string;
  /** What the ballot chose (candidate names, then write-ins), so the voter can check it. */
  choices: readonly string[];
  /** This device had already voted: the receipt shown is the one of its first ballot. */
  alreadyVoted: boolean;
  /** The heading gets focus after a vote made without reloading; it needs an id and tabindex for that. */
  headingId: string;
  resultsHref: string;
  /** The live tally, or null when it is published only after the campaign closes. */
  tally: PublicTally | null;
  tallyPublic: boolean;
  /** Buttons such as copy and print, which exist only with JavaScript. */
  children?: ComponentChildren;
}

export function ReceiptView({
  ballotId,
  choices,
  alreadyVoted,
  headingId,
  resultsHref,
  tally,
  tallyPublic,
  children,
}: Props) {
  return (
    <section class="receipt" aria-labelledby={headingId}>
      <div class={alreadyVoted ? 'receipt-panel receipt-panel-notice' : 'receipt-panel'}>
        <h2 id={headingId} tabIndex={-1} class="receipt-heading">
          {alreadyVoted ? '你已经投过票了' : '投票成功，谢谢您！'}
        </h2>
        <p>
          {alreadyVoted
            ? '每台设备只能投一次。您第一次投的票已经记下了，下面是那一次的回执。'
            : '您的投票已经记下。请保存下面的投票编号，以后可以凭它向我们查询。'}
        </p>
        <p class="receipt-id-line">
          投票编号：<strong class="receipt-id">{ballotId}</strong>
        </p>
        {choices.length > 0 && (
          <>
            <p>您投给了：</p>
            <ul class="receipt-choices">
              {choices.map((choice) => (
                <li key={choice}>{choice}</li>
              ))}
            </ul>
          </>
        )}
        {children}
      </div>
      <h2>现在的投票情况</h2>
      {tally ? (
        <TallyChart tally={tally} idPrefix={`${headingId}-tally`} caption="目前各候选产品得票" />
      ) : (
        <p>
          {tallyPublic
            ? '暂时取不到最新票数，请稍后打开投票结果页查看。'
            : '本次征集的投票结果在征集结束后统一公布，现在还看不到票数。'}
        </p>
      )}
      <p>
        <a href={resultsHref}>查看投票结果页</a>
      </p>
    </section>
  );
}
