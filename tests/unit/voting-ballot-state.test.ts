import { describe, expect, test } from 'vitest';
import { emptyBallot } from '../../src/lib/voting/ballot-form';
import { ballotReducer, initialBallotState, secondsToWait, type BallotState } from '../../src/lib/voting/ballot-state';

const AT = Date.parse('2027-03-15T02:00:00Z');
const start = (): BallotState => initialBallotState(emptyBallot(), null);

describe('ballot state', () => {
  test('ticks stop at the limit and typing fills only its own write-in cell', () => {
    let state = start();
    for (const id of ['a', 'b', 'c']) state = ballotReducer(state, { type: 'choiceToggled', id, maxChoices: 2 });
    expect(state.values.choices).toEqual(['a', 'b']);
    state = ballotReducer(state, { type: 'writeInTyped', row: 1, field: 'issue', text: '起火' });
    expect(state.values.writeIns.map((row) => row.issue)).toEqual(['', '起火', '']);
    state = ballotReducer(state, { type: 'districtChosen', district: '黄浦区' });
    expect(state.values.district).toBe('黄浦区');
  });

  test('a refusal keeps what was typed and waits as long as the server asked', () => {
    let state = ballotReducer(start(), { type: 'choiceToggled', id: 'a', maxChoices: 2 });
    state = ballotReducer(state, { type: 'submitted' });
    expect(state.submitting).toBe(true);
    state = ballotReducer(state, {
      type: 'refused',
      error: { code: 'RATE_LIMITED', message: '太快了' },
      retryAfterSeconds: 5,
      nowMs: AT,
    });
    expect(state).toMatchObject({ submitting: false, error: { code: 'RATE_LIMITED' }, values: { choices: ['a'] } });
    expect(secondsToWait(state, AT)).toBe(5);
    expect(secondsToWait(state, AT + 4_001)).toBe(1);
    expect(secondsToWait(state, AT + 5_000)).toBe(0);
  });

  test('a refusal without Retry-After does not start a countdown', () => {
    const state = ballotReducer(start(), {
      type: 'refused',
      error: { code: 'EMPTY_BALLOT', message: '请选择' },
      nowMs: AT,
    });
    expect(secondsToWait(state, AT)).toBe(0);
  });

  test('a kiosk ballot clears the form for the next voter and waits the minimum interval', () => {
    let state = ballotReducer(start(), { type: 'choiceToggled', id: 'a', maxChoices: 2 });
    state = ballotReducer(state, { type: 'refused', error: { code: 'X', message: 'x' }, nowMs: AT });
    state = ballotReducer(state, { type: 'kioskAccepted', ballotId: 'b1', minIntervalSeconds: 8, nowMs: AT });
    expect(state).toMatchObject({ kioskBallotId: 'b1', error: null, values: emptyBallot(), receipt: null });
    expect(secondsToWait(state, AT + 7_500)).toBe(1);
  });

  test('a receipt ends the submission and clears the error', () => {
    let state = ballotReducer(start(), { type: 'refused', error: { code: 'X', message: 'x' }, nowMs: AT });
    state = ballotReducer(state, { type: 'submitted' });
    state = ballotReducer(state, {
      type: 'receiptReady',
      receipt: { ballotId: 'b2', alreadyVoted: true, tally: null },
    });
    expect(state).toMatchObject({ submitting: false, error: null, receipt: { ballotId: 'b2', alreadyVoted: true } });
  });
});
