/**
 * The candidates as checkboxes. Before hydration it is a plain list of checkboxes; once hydrated
 * it disables the unticked boxes at the limit and says how many are chosen.
 */
import type { BallotError } from '~/lib/voting/ballot-state';

export interface BallotCandidate {
  id: string;
  name: string;
  reason: string;
}

interface Props {
  candidates: BallotCandidate[];
  chosen: readonly string[];
  maxChoices: number;
  hydrated: boolean;
  /** An error about the choices, shown by the list. */
  error: BallotError | null;
  onToggle: (id: string) => void;
}

export function ChoiceList({ candidates, chosen, maxChoices, hydrated, error, onToggle }: Props) {
  const atLimit = chosen.length >= maxChoices;
  return (
    <fieldset
      class={error ? 'choices has-error' : 'choices'}
      aria-describedby={['choices-hint', error ? 'choices-error' : '', hydrated ? 'choices-count' : '']
        .filter(Boolean)
        .join(' ')}
    >
      <legend>
        <h2 class="legend-heading">您最想让我们抽查哪些产品？</h2>
      </legend>
      <p id="choices-hint" class="field-hint">
        最多可以选 {maxChoices} 项，点产品名字就能选上或取消。
      </p>
      {error && (
        <p id="choices-error" class="error-message">
          <span class="visually-hidden">错误：</span>
          {error.message}
        </p>
      )}
      <ul class="choice-list">
        {candidates.map((candidate, index) => {
          const checked = chosen.includes(candidate.id);
          // The first box carries the fieldset's id, so the error summary's link lands on the list.
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
                onChange={() => onToggle(candidate.id)}
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
            已选 {chosen.length}/{maxChoices}
          </strong>
          {atLimit && <span>。已经选满了，其他选项暂时不能选；想换一项，请先取消一个已选的。</span>}
        </p>
      )}
    </fieldset>
  );
}
