/**
 * The ballot. On the server it renders a plain `<form method="post">` to `/campaigns/<id>/vote` that
 * works with no JavaScript at all; once hydrated it enforces the choice limit as you tick, sends JSON
 * to the ballots API, and shows the receipt in place without a reload. With an event's kiosk link it
 * turns into a shared-tablet ballot: confirm, clear, wait out the minimum interval, next voter.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ReceiptView } from './ReceiptView';
import type { WriteInLimits } from '~/lib/voting/campaign-schema';
import type { PublicTally } from '~/lib/voting/tally';
import {
  WRITE_IN_ROWS,
  ballotRequestBody,
  emptyBallot,
  errorFieldId,
  toggleChoice,
  valuesFromFields,
  writeInFieldName,
  type BallotFormValues,
  type WriteInValues,
} from '~/lib/voting/ballot-form';
import ReceiptActions from './ReceiptActions';
import { fetchTally, submitBallot } from './voting-api';
import { paths } from '~/paths';

export interface BallotCandidate {
  id: string;
  name: string;
  reason: string;
}

export interface BallotError {
  code: string;
  message: string;
}

interface Props {
  campaignId: string;
  maxChoices: number;
  candidates: BallotCandidate[];
  districts: string[];
  writeInLimits: WriteInLimits;
  tallyPublic: boolean;
  resultsHref: string;
  /** Outreach event the ballot is attributed to (`?e=CODE`). */
  eventCode?: string | undefined;
  /** Present only when the page was opened from an event's kiosk link. */
  kiosk?: { token: string; minIntervalSeconds: number } | undefined;
  /** An error carried back by the no-JS form handler (`?error=CODE`). */
  initialError?: BallotError | undefined;
  initialValues: BallotFormValues;
}

interface Receipt {
  ballotId: string;
  alreadyVoted: boolean;
  tally: PublicTally | null;
}

const WRITE_IN_LABELS: Record<keyof WriteInValues, { label: string; hint: string }> = {
  product: { label: '产品品种', hint: '例如：儿童书包、电动自行车充电器' },
  issue: { label: '您担心的质量问题', hint: '例如：有异味、容易起火、标签看不懂' },
  venue: { label: '建议去哪里抽样或检查（可以不填）', hint: '例如：学校附近的文具店、某某菜市场、网上店铺' },
};

const RECEIPT_HEADING_ID = 'ballot-receipt-heading';
const KIOSK_HEADING_ID = 'kiosk-confirmation-heading';

export default function Ballot(props: Props) {
  const { campaignId, maxChoices, candidates, districts, writeInLimits, kiosk, eventCode } = props;
  const [hydrated, setHydrated] = useState(false);
  const [values, setValues] = useState<BallotFormValues>(props.initialValues);
  const [error, setError] = useState<BallotError | null>(props.initialError ?? null);
  const [submitting, setSubmitting] = useState(false);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [kioskBallotId, setKioskBallotId] = useState<string | null>(null);
  const [cooldownEndsAt, setCooldownEndsAt] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const errorSummary = useRef<HTMLDivElement>(null);
  const form = useRef<HTMLFormElement>(null);

  // On a slow phone people tick boxes before the script arrives: adopt what the form holds by now.
  useEffect(() => {
    if (form.current) {
      setValues(valuesFromFields(new FormData(form.current), candidates.map((candidate) => candidate.id)));
    }
    setHydrated(true);
  }, []);

  // GOV.UK pattern: move focus to the error summary so that it is read first.
  useEffect(() => {
    if (error) errorSummary.current?.focus();
  }, [error]);

  useEffect(() => {
    if (receipt) document.getElementById(RECEIPT_HEADING_ID)?.focus();
  }, [receipt]);

  useEffect(() => {
    if (kioskBallotId) document.getElementById(KIOSK_HEADING_ID)?.focus();
  }, [kioskBallotId]);

  const secondsToWait = Math.max(0, Math.ceil((cooldownEndsAt - now) / 1000));
  useEffect(() => {
    if (secondsToWait === 0) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [secondsToWait > 0]);

  const atLimit = values.choices.length >= maxChoices;

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (submitting || secondsToWait > 0) return;
    setSubmitting(true);
    const outcome = await submitBallot(campaignId, ballotRequestBody(values, eventCode), kiosk?.token);
    setSubmitting(false);
    if (outcome.kind === 'refused') {
      setError({ code: outcome.code, message: outcome.message });
      // Too fast or too many: the button counts down the wait the server asked for.
      if (outcome.retryAfterSeconds) {
        setNow(Date.now());
        setCooldownEndsAt(Date.now() + outcome.retryAfterSeconds * 1000);
      }
      return;
    }
    setError(null);
    if (kiosk && outcome.kind === 'accepted') {
      setValues(emptyBallot());
      setKioskBallotId(outcome.ballotId);
      setNow(Date.now());
      setCooldownEndsAt(Date.now() + kiosk.minIntervalSeconds * 1000);
      return;
    }
    if (outcome.kind === 'accepted') {
      setReceipt({ ballotId: outcome.ballotId, alreadyVoted: false, tally: outcome.tally });
    } else {
      setReceipt({
        ballotId: outcome.ballotId,
        alreadyVoted: true,
        tally: props.tallyPublic ? await fetchTally(campaignId) : null,
      });
    }
  };

  if (receipt) {
    return (
      <ReceiptView
        ballotId={receipt.ballotId}
        alreadyVoted={receipt.alreadyVoted}
        headingId={RECEIPT_HEADING_ID}
        resultsHref={props.resultsHref}
        tally={receipt.tally}
        tallyPublic={props.tallyPublic}
      >
        <ReceiptActions ballotId={receipt.ballotId} />
      </ReceiptView>
    );
  }

  const setWriteIn = (row: number, field: keyof WriteInValues, text: string) =>
    setValues((current) => ({
      ...current,
      writeIns: current.writeIns.map((entry, index) => (index === row ? { ...entry, [field]: text } : entry)),
    }));

  const choiceError = error && errorFieldId(error.code) === 'choices' ? error : null;
  const writeInError = error && error.code === 'INVALID_WRITE_IN' ? error : null;
  const errorTarget = error ? errorFieldId(error.code) : null;
  const laterRowsUsed = values.writeIns.slice(1).some((row) => row.product || row.issue || row.venue);

  const maxLengths: Record<keyof WriteInValues, number> = {
    product: writeInLimits.productMaxLength,
    issue: writeInLimits.issueMaxLength,
    venue: writeInLimits.venueMaxLength,
  };
  const writeInRows = Math.min(WRITE_IN_ROWS, writeInLimits.maxWriteIns);

  const writeInRow = (row: number) => (
    <fieldset class="write-in" key={row}>
      <legend>第 {row + 1} 条提名</legend>
      {(['product', 'issue', 'venue'] as const).map((field) => {
        const name = writeInFieldName(field, row);
        return (
          <div class="field" key={field}>
            <label for={name}>
              {WRITE_IN_LABELS[field].label}
              <span class="field-hint">{WRITE_IN_LABELS[field].hint}</span>
            </label>
            <input
              type="text"
              id={name}
              name={name}
              maxLength={maxLengths[field]}
              autoComplete="off"
              value={values.writeIns[row]?.[field] ?? ''}
              onInput={(event) => setWriteIn(row, field, event.currentTarget.value)}
              aria-describedby={row === 0 && writeInError ? 'write-in-error' : undefined}
            />
          </div>
        );
      })}
    </fieldset>
  );

  return (
    <div class="ballot">
      {kioskBallotId && (
        <div class="kiosk-confirmation" role="status">
          <h2 id={KIOSK_HEADING_ID} tabIndex={-1}>
            投票成功，请交给下一位
          </h2>
          <p class="kiosk-wait">
            {secondsToWait > 0 ? `下一位请等 ${secondsToWait} 秒后投票。` : '现在可以开始下一次投票了。'}
          </p>
          <p class="meta">刚才这一票的编号：{kioskBallotId}</p>
        </div>
      )}
      <form
        ref={form}
        method="post"
        action={paths.campaignVote(campaignId)}
        class="ballot-form"
        onSubmit={onSubmit}
        noValidate
      >
        {error && (
          <div class="error-summary" ref={errorSummary} tabIndex={-1} role="alert" aria-labelledby="error-summary-title">
            <h2 id="error-summary-title">投票没有成功，请看下面的提示</h2>
            <ul>
              <li>{errorTarget ? <a href={`#${errorTarget}`}>{error.message}</a> : error.message}</li>
            </ul>
          </div>
        )}

        <fieldset
          class={choiceError ? 'choices has-error' : 'choices'}
          aria-describedby={['choices-hint', choiceError ? 'choices-error' : '', hydrated ? 'choices-count' : '']
            .filter(Boolean)
            .join(' ')}
        >
          <legend>
            <h2 class="legend-heading">您最想让我们抽查哪些产品？</h2>
          </legend>
          <p id="choices-hint" class="field-hint">
            最多可以选 {maxChoices} 项，点产品名字就能选上或取消。
          </p>
          {choiceError && (
            <p id="choices-error" class="error-message">
              <span class="visually-hidden">错误：</span>
              {choiceError.message}
            </p>
          )}
          <ul class="choice-list">
            {candidates.map((candidate, index) => {
              const checked = values.choices.includes(candidate.id);
              const inputId = index === 0 ? 'choices' : `choice-${candidate.id}`;
              return (
                <li key={candidate.id} class={checked ? 'choice is-checked' : 'choice'}>
                  <input
                    type="checkbox"
                    id={inputId}
                    name="choices"
                    value={candidate.id}
                    checked={checked}
                    disabled={hydrated && !checked && atLimit}
                    aria-describedby={`${inputId}-reason`}
                    onChange={() =>
                      setValues((current) => ({
                        ...current,
                        choices: toggleChoice(current.choices, candidate.id, maxChoices),
                      }))
                    }
                  />
                  <label for={inputId}>
                    <span class="choice-name">{candidate.name}</span>
                  </label>
                  <span id={`${inputId}-reason`} class="choice-reason">
                    {candidate.reason}
                  </span>
                </li>
              );
            })}
          </ul>
          {hydrated && (
            <p id="choices-count" class={atLimit ? 'choice-count at-limit' : 'choice-count'} aria-live="polite">
              <strong>
                已选 {values.choices.length}/{maxChoices}
              </strong>
              {atLimit && <span>。已经选满了，其他选项暂时不能选；想换一项，请先取消一个已选的。</span>}
            </p>
          )}
        </fieldset>

        {writeInRows > 0 && (
        <section class="write-ins" aria-labelledby="write-ins-heading">
          <h2 id="write-ins-heading">还有别的产品想让我们查吗？（可以不填）</h2>
          <p class="field-hint">
            最多提 {writeInRows} 条。每条请至少写上产品和问题。<strong>不要写姓名、电话、学号等个人信息</strong>。
          </p>
          {writeInError && (
            <p id="write-in-error" class="error-message">
              <span class="visually-hidden">错误：</span>
              {writeInError.message}
            </p>
          )}
          {writeInRow(0)}
          {writeInRows > 1 && (
            <details class="more-write-ins" open={laterRowsUsed}>
              <summary>{writeInRows === 2 ? '再写第 2 条提名' : `再写第 2–${writeInRows} 条提名`}</summary>
              {Array.from({ length: writeInRows - 1 }, (_, index) => writeInRow(index + 1))}
            </details>
          )}
        </section>
        )}

        {districts.length > 0 && (
          <div class="field district-field">
            <label for="district">
              您住在哪个区？（可以不选）
              <span class="field-hint">帮助各区安排抽查。</span>
            </label>
            <select
              id="district"
              name="district"
              value={values.district}
              onChange={(event) => setValues((current) => ({ ...current, district: event.currentTarget.value }))}
            >
              <option value="">不选择</option>
              {districts.map((district) => (
                <option key={district} value={district}>
                  {district}
                </option>
              ))}
            </select>
          </div>
        )}

        {eventCode && <input type="hidden" name="event" value={eventCode} />}
        {kiosk && <input type="hidden" name="kiosk" value={kiosk.token} />}

        <button type="submit" class="ballot-submit" disabled={submitting || secondsToWait > 0}>
          {submitting ? '正在提交…' : secondsToWait > 0 ? `请稍候 ${secondsToWait} 秒` : '投票'}
        </button>
      </form>
    </div>
  );
}
