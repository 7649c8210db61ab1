/**
 * The GOV.UK error summary at the top of the ballot: it takes the focus when an error appears, so
 * a screen reader reads it first, and links to the field the error is about.
 */
import { useEffect, useRef } from 'preact/hooks';
import { errorFieldId } from '~/lib/voting/ballot-form';
import type { BallotError } from '~/lib/voting/ballot-state';

export function ErrorSummary({ error }: { error: BallotError }) {
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => summary.current?.focus(), [error]);
  const target = errorFieldId(error.code);
  return (
    <div class="error-summary" ref={summary} tabIndex={-1} role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">投票没有成功，请看下面的提示</h2>
      <ul>
        <li>{target ? <a href={`#${target}`}>{error.message}</a> : error.message}</li>
      </ul>
    </div>
  );
}
