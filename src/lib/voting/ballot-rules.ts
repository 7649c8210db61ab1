/**
 * The rules a ballot must pass before it is stored, as pure functions of the input and the campaign.
 * Shared by the JSON API and the no-JS form handler, so both answer with the same codes.
 */
import { z } from 'zod';
import type { Campaign } from './campaign-schema';
import { isDistrict, type District } from './districts';
import type { VotingErrorCode } from './messages';

/** The most write-in rows any campaign may allow (campaigns can lower it). */
export const MAX_WRITE_INS = 3;

/** The wire shape, loose on purpose: the rule checks below give the precise code for each mistake. */
export const ballotInputSchema = z.object({
  choices: z.array(z.string().max(100)).max(100).default([]),
  writeIns: z
    .array(
      z.object({
        product: z.string().max(2000).default(''),
        issue: z.string().max(2000).default(''),
        venue: z.string().max(2000).nullish(),
      }),
    )
    .max(20)
    .default([]),
  district: z.string().max(50).nullish(),
  event: z.string().max(50).nullish(),
});

export type BallotInput = z.input<typeof ballotInputSchema>;

export interface WriteIn {
  product: string;
  issue: string;
  /** Where it was bought or seen; optional. */
  venue: string | null;
  /** Present (true) when invisible characters were removed from what the citizen sent, for the reviewer. */
  invisibleRemoved?: true;
}

/**
 * Characters that show as nothing (or reorder what is around them) yet make two texts differ:
 * format characters (zero-width space and joiners, bidi controls such as U+202E, BOM, soft hyphen),
 * variation selectors, the combining grapheme joiner, Mongolian free variation selectors, Hangul
 * fillers, and control characters other than tab and line breaks.
 */
// Variation selectors are listed on purpose: they are what this class removes.
const INVISIBLE_CHARACTERS =
  // eslint-disable-next-line no-misleading-character-class
  /[\p{Cf}\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u3164\uFE00-\uFE0F\uFFA0\u{E0100}-\u{E01EF}]|[^\P{Cc}\t\n\r]/gu;

/** The text without invisible characters, NFKC-normalised (full-width letters and digits become plain). */
export function visibleText(text: string): { text: string; removed: boolean } {
  const stripped = text.replace(INVISIBLE_CHARACTERS, '');
  return { text: stripped.normalize('NFKC'), removed: stripped.length !== text.length };
}

/** A ballot that passed every rule, normalised (trimmed, event code upper-cased). */
export interface ValidBallot {
  choices: string[];
  writeIns: WriteIn[];
  district: District | null;
  event: string | null;
}

export type BallotCheck = { ok: true; ballot: ValidBallot } | { ok: false; code: VotingErrorCode };

/** Length as a person counts it: one per character, also for characters outside the BMP. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

function codeForShapeIssue(path: readonly PropertyKey[]): VotingErrorCode {
  switch (path[0]) {
    case 'writeIns':
      return 'INVALID_WRITE_IN';
    case 'district':
      return 'UNKNOWN_DISTRICT';
    case 'event':
      return 'UNKNOWN_EVENT';
    default:
      return 'INVALID_BALLOT';
  }
}

/** Checks a parsed request body against the campaign's candidates and limits. */
export function checkBallot(
  body: unknown,
  campaign: Pick<Campaign, 'candidates' | 'maxChoices' | 'writeInLimits'>,
): BallotCheck {
  const parsed = ballotInputSchema.safeParse(body);
  if (!parsed.success) {
    const firstIssue = parsed.error.issues[0];
    return { ok: false, code: firstIssue ? codeForShapeIssue(firstIssue.path) : 'INVALID_BALLOT' };
  }
  const input = parsed.data;

  const candidateIds = new Set(campaign.candidates.map((candidate) => candidate.id));
  if (input.choices.some((choice) => !candidateIds.has(choice))) return { ok: false, code: 'UNKNOWN_CANDIDATE' };
  if (new Set(input.choices).size !== input.choices.length) return { ok: false, code: 'DUPLICATE_CHOICE' };
  if (input.choices.length > campaign.maxChoices) return { ok: false, code: 'TOO_MANY_CHOICES' };

  const limits = campaign.writeInLimits;
  const writeIns: WriteIn[] = [];
  for (const raw of input.writeIns) {
    // Invisible characters would split one product into several write-in groups and can reverse
    // the text reviewers read (U+202E), so they are removed before any length or emptiness check.
    const cleaned = [raw.product, raw.issue, raw.venue ?? ''].map(visibleText);
    const [product = '', issue = '', venue = ''] = cleaned.map((field) => field.text.trim());
    const invisibleRemoved = cleaned.some((field) => field.removed);
    if (
      !product ||
      !issue ||
      characterCount(product) > limits.productMaxLength ||
      characterCount(issue) > limits.issueMaxLength ||
      characterCount(venue) > limits.venueMaxLength
    ) {
      return { ok: false, code: 'INVALID_WRITE_IN' };
    }
    writeIns.push({
      product,
      issue,
      venue: venue || null,
      ...(invisibleRemoved ? { invisibleRemoved: true as const } : {}),
    });
  }
  if (writeIns.length > Math.min(limits.maxWriteIns, MAX_WRITE_INS)) return { ok: false, code: 'INVALID_WRITE_IN' };

  if (input.choices.length === 0 && writeIns.length === 0) return { ok: false, code: 'EMPTY_BALLOT' };

  const district = input.district?.trim() || null;
  if (district !== null && !isDistrict(district)) return { ok: false, code: 'UNKNOWN_DISTRICT' };

  const event = input.event?.trim().toUpperCase() || null;
  return { ok: true, ballot: { choices: input.choices, writeIns, district, event } };
}

/**
 * Turns the no-JS form fields (`choices` repeated, `product1`/`issue1`/`venue1` … , `district`, `event`)
 * into the JSON body shape. A write-in row left completely empty is no write-in, not an error.
 */
export function ballotInputFromForm(form: {
  getAll(name: string): unknown[];
  get(name: string): unknown;
}): BallotInput {
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  const writeIns: { product: string; issue: string; venue: string }[] = [];
  for (let row = 1; row <= MAX_WRITE_INS; row += 1) {
    const product = text(form.get(`product${row}`));
    const issue = text(form.get(`issue${row}`));
    const venue = text(form.get(`venue${row}`));
    if (product.trim() || issue.trim() || venue.trim()) writeIns.push({ product, issue, venue });
  }
  return {
    choices: form.getAll('choices').map(text),
    writeIns,
    district: text(form.get('district')),
    event: text(form.get('event')),
  };
}
