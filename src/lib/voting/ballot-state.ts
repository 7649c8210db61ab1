/**
 * The ballot island's state and every change to it, as a pure reducer: what the voter has filled
 * in, the error shown, whether a submission is under way, the receipt, and (on a kiosk) the last
 * ballot and when the next voter may start. Times are passed in, so the rules are testable.
 */
import type { PublicTally } from './tally';
import { emptyBallot, toggleChoice, type BallotFormValues, type WriteInValues } from './ballot-form';

export interface BallotError {
  code: string;
  message: string;
}

export interface BallotReceipt {
  ballotId: string;
  alreadyVoted: boolean;
  tally: PublicTally | null;
}

export interface BallotState {
  values: BallotFormValues;
  error: BallotError | null;
  submitting: boolean;
  receipt: BallotReceipt | null;
  /** The ballot just cast on a kiosk, shown to the voter before the tablet is passed on. */
  kioskBallotId: string | null;
  /** Until when (ms since the epoch) the submit button waits: the server's Retry-After or the kiosk interval. */
  cooldownEndsAt: number;
}

export type BallotAction =
  /** The island took over a form the voter may already have filled in. */
  | { type: 'adopted'; values: BallotFormValues }
  | { type: 'choiceToggled'; id: string; maxChoices: number }
  | { type: 'writeInTyped'; row: number; field: keyof WriteInValues; text: string }
  | { type: 'districtChosen'; district: string }
  | { type: 'submitted' }
  | { type: 'refused'; error: BallotError; retryAfterSeconds?: number | undefined; nowMs: number }
  /** A kiosk ballot was stored: clear the form for the next voter and wait the minimum interval. */
  | { type: 'kioskAccepted'; ballotId: string; minIntervalSeconds: number; nowMs: number }
  | { type: 'receiptReady'; receipt: BallotReceipt };

export function initialBallotState(values: BallotFormValues, error: BallotError | null): BallotState {
  return { values, error, submitting: false, receipt: null, kioskBallotId: null, cooldownEndsAt: 0 };
}

export function ballotReducer(state: BallotState, action: BallotAction): BallotState {
  switch (action.type) {
    case 'adopted':
      return { ...state, values: action.values };
    case 'choiceToggled':
      return {
        ...state,
        values: { ...state.values, choices: toggleChoice(state.values.choices, action.id, action.maxChoices) },
      };
    case 'writeInTyped':
      return {
        ...state,
        values: {
          ...state.values,
          writeIns: state.values.writeIns.map((entry, index) =>
            index === action.row ? { ...entry, [action.field]: action.text } : entry,
          ),
        },
      };
    case 'districtChosen':
      return { ...state, values: { ...state.values, district: action.district } };
    case 'submitted':
      return { ...state, submitting: true };
    case 'refused':
      return {
        ...state,
        submitting: false,
        error: action.error,
        // Too fast or too many: the button counts down the wait the server asked for.
        cooldownEndsAt: action.retryAfterSeconds
          ? action.nowMs + action.retryAfterSeconds * 1000
          : state.cooldownEndsAt,
      };
    case 'kioskAccepted':
      return {
        ...state,
        submitting: false,
        error: null,
        values: emptyBallot(),
        kioskBallotId: action.ballotId,
        cooldownEndsAt: action.nowMs + action.minIntervalSeconds * 1000,
      };
    case 'receiptReady':
      return { ...state, submitting: false, error: null, receipt: action.receipt };
  }
}

/** Whole seconds left before the next submission, 0 when the voter may submit now. */
export function secondsToWait(state: Pick<BallotState, 'cooldownEndsAt'>, nowMs: number): number {
  return Math.max(0, Math.ceil((state.cooldownEndsAt - nowMs) / 1000));
}
