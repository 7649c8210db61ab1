/**
 * Excerpts of search results that start where a reader would: at the start of the clause holding the first
 * word found, not in the middle of a company name (「科技股份有限公司、小米通讯…」, as Pagefind's word-count window
 * cuts them). Returned as pieces, marked or not, so the page builds text nodes and <mark>s without HTML.
 */

export interface ExcerptPiece {
  text: string;
  marked: boolean;
}

/** Where a clause starts: after these marks, or at a line break. */
const CLAUSE_END = /[。！？；，、：:;,.!?\n（(）)]/u;
/** How far back the start of the clause is looked for; beyond it the excerpt starts at the word itself. */
const LOOK_BACK = 24;

function firstHit(lower: string, terms: readonly string[]): { at: number; term: string } | null {
  let best: { at: number; term: string } | null = null;
  for (const term of terms) {
    const at = lower.indexOf(term);
    if (at >= 0 && (best === null || at < best.at)) best = { at, term };
  }
  return best;
}

/**
 * An excerpt of at most `length` characters (plus the ellipses) from `text`, around the first of `terms`
 * (lower case, as `queryTerms` gives them), every occurrence of a term marked.
 */
export function excerptPieces(text: string, terms: readonly string[], length = 80): ExcerptPiece[] {
  const clean = text.replace(/\s+/g, ' ').trim();
  const lower = clean.toLowerCase();
  const hit = firstHit(lower, terms.filter(Boolean));
  let start = 0;
  if (hit && hit.at > 0) {
    start = hit.at;
    for (let i = hit.at - 1; i >= Math.max(0, hit.at - LOOK_BACK); i--) {
      if (i === 0) start = 0;
      else if (CLAUSE_END.test(clean[i - 1]!)) {
        start = i;
        break;
      }
    }
    // A clause that begins far back still has to show the word found.
    if (hit.at + hit.term.length - start > length) start = hit.at;
  }
  const end = Math.min(clean.length, start + length);
  const pieces: ExcerptPiece[] = [];
  const push = (piece: string, marked: boolean) => {
    if (piece) pieces.push({ text: piece, marked });
  };
  if (start > 0) push('…', false);
  let cursor = start;
  while (cursor < end) {
    const next = firstHit(lower.slice(cursor, end), terms.filter(Boolean));
    if (!next) break;
    const at = cursor + next.at;
    const stop = Math.min(end, at + next.term.length);
    push(clean.slice(cursor, at), false);
    push(clean.slice(at, stop), true);
    cursor = stop;
  }
  push(clean.slice(cursor, end), false);
  if (end < clean.length) push('…', false);
  return pieces;
}
