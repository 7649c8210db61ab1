/**
 * The ballot. On the server it renders a plain `<form method="post">` to `/campaigns/<id>/vote` that
 * works with no JavaScript at all; once hydrated it enforces the choice limit as you tick, sends JSON
 * to the ballots API, and shows the receipt in place without a reload. With an event's kiosk link it
 * turns into a shared-tablet ballot: confirm, clear, wait out the minimum interval, next voter.
 * The state and its changes are `ballotReducer` (src/lib/voting/ballot-state.ts); the parts of the
 * form are their own components.
 */
import { useEffect, useReducer, useRef, useState } from 'preact/hooks';
import { ballotRequestBody, errorFieldId, valuesFromFields, type BallotFormValues } from '~/lib/voting/ballot-form';
import { ballotReducer, initialBallotState, secondsToWait, type BallotError } from '~/lib/voting/ballot-state';
import type { WriteInLimits } from '~/lib/voting/campaign-schema';
import { paths } from '~/paths';
import { ChoiceList, type BallotCandidate } from './ChoiceList';
import { ErrorSummary } from './ErrorSummary';
import { KioskBanner } from './KioskBanner';
import ReceiptActions from './ReceiptActions';
import { ReceiptView } from './ReceiptView';
import { receiptChoiceLabels } from '~/lib/voting/receipt-id';
import { fetchTally, submitBallot } from './voting-api';
import { WriteInRows } from './WriteInRows';

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
  /** The error of a refused no-JS ballot, which the ballot page renders in the POST's answer. */
  initialError?: BallotError | undefined;
  initialValues: BallotFormValues;
}

const RECEIPT_HEADING_ID = 'ballot-receipt-heading';

/** The browser's clock, ticking while a countdown runs: it only paces the button, the server decides. */
function useCountdown(endsAt: number): number {
  const [nowMs, setNowMs] = useState(() => Date.now());
  const waiting = endsAt > nowMs;
  useEffect(() => {
    setNowMs(Date.now());
    if (endsAt <= Date.now()) return;
    const timer = setInterval(() => setNowMs(Date.now()), 250);
    return () => clearInterval(timer);
  }, [endsAt, waiting]);
  return secondsToWait({ cooldownEndsAt: endsAt }, nowMs);
}

export default function Ballot(props: Props) {
  const { campaignId, maxChoices, candidates, districts, writeInLimits, kiosk, eventCode } = props;
  const [hydrated, setHydrated] = useState(false);
  const [state, dispatch] = useReducer(
    ballotReducer,
    initialBallotState(props.initialValues, props.initialError ?? null),
  );
  const { values, error, submitting, receipt, kioskBallotId } = state;
  const waitSeconds = useCountdown(state.cooldownEndsAt);
  const form = useRef<HTMLFormElement>(null);

  // On a slow phone people tick boxes before the script arrives: adopt what the form holds by now.
  useEffect(() => {
    if (form.current) {
      const candidateIds = candidates.map((candidate) => candidate.id);
      dispatch({ type: 'adopted', values: valuesFromFields(new FormData(form.current), candidateIds) });
    }
    setHydrated(true);
  }, []);

  useEffect(() => {
    if (receipt) document.getElementById(RECEIPT_HEADING_ID)?.focus();
  }, [receipt]);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (submitting || waitSeconds > 0) return;
    dispatch({ type: 'submitted' });
    const outcome = await submitBallot(campaignId, ballotRequestBody(values, eventCode), kiosk?.token);
    if (outcome.kind === 'refused') {
      const refusal = { code: outcome.code, message: outcome.message };
      dispatch({ type: 'refused', error: refusal, retryAfterSeconds: outcome.retryAfterSeconds, nowMs: Date.now() });
    } else if (kiosk && outcome.kind === 'accepted') {
      dispatch({
        type: 'kioskAccepted',
        ballotId: outcome.ballotId,
        minIntervalSeconds: kiosk.minIntervalSeconds,
        nowMs: Date.now(),
      });
    } else if (outcome.kind === 'accepted') {
      dispatch({
        type: 'receiptReady',
        receipt: { ballotId: outcome.ballotId, alreadyVoted: false, tally: outcome.tally },
      });
    } else {
      const tally = props.tallyPublic ? await fetchTally(campaignId) : null;
      dispatch({ type: 'receiptReady', receipt: { ballotId: outcome.ballotId, alreadyVoted: true, tally } });
    }
  };

  if (receipt) {
    return (
      <ReceiptView
        ballotId={receipt.ballotId}
        choices={
          // The first ballot of a device that had voted is not what is on screen now: show none.
          receipt.alreadyVoted ? [] : receiptChoiceLabels(ballotRequestBody(values, eventCode), props.candidates)
        }
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

  const choiceError = error && errorFieldId(error.code) === 'choices' ? error : null;
  const writeInError = error && error.code === 'INVALID_WRITE_IN' ? error : null;

  return (
    <div class="ballot">
      {kioskBallotId && <KioskBanner ballotId={kioskBallotId} secondsToWait={waitSeconds} />}
      <form
        ref={form}
        method="post"
        action={paths.campaignVote(campaignId)}
        class="ballot-form"
        onSubmit={onSubmit}
        noValidate
      >
        {error && <ErrorSummary error={error} />}

        <ChoiceList
          candidates={candidates}
          chosen={values.choices}
          maxChoices={maxChoices}
          hydrated={hydrated}
          error={choiceError}
          onToggle={(id) => dispatch({ type: 'choiceToggled', id, maxChoices })}
        />

        <WriteInRows
          writeIns={values.writeIns}
          limits={writeInLimits}
          error={writeInError}
          onType={(row, field, text) => dispatch({ type: 'writeInTyped', row, field, text })}
        />

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
              onChange={(event) => dispatch({ type: 'districtChosen', district: event.currentTarget.value })}
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

        <button type="submit" class="ballot-submit" disabled={submitting || waitSeconds > 0}>
          {submitting ? '正在提交…' : waitSeconds > 0 ? `请稍候 ${waitSeconds} 秒` : '投票'}
        </button>
      </form>
    </div>
  );
}
