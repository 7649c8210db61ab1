/**
 * The ballot form's values and what they become: the JSON body of `POST /api/campaigns/<id>/ballots`,
 * or, for the no-JavaScript path, the very same form fields posted to `/campaigns/<id>/vote`.
 * Pure functions shared by the ballot island and the no-JS form handler (which refills the form from
 * the refused POST so that nothing the voter typed is lost).
 */

/** How many write-in nominations one ballot may carry; the form always offers this many rows. */
export const WRITE_IN_ROWS = 3;

export interface WriteInValues {
  /** 产品品种 */
  product: string;
  /** 质量问题 */
  issue: string;
  /** 抽样或检查场所 */
  venue: string;
}

export interface BallotFormValues {
  choices: string[];
  writeIns: WriteInValues[];
  district: string;
}

export interface BallotRequestBody {
  choices: string[];
  writeIns: WriteInValues[];
  district?: string;
  event?: string;
}

const emptyWriteIn = (): WriteInValues => ({ product: '', issue: '', venue: '' });

export function emptyBallot(): BallotFormValues {
  return { choices: [], writeIns: Array.from({ length: WRITE_IN_ROWS }, emptyWriteIn), district: '' };
}

/** Form field names, numbered from 1 as the no-JS handler expects (`product1` … `venue3`). */
export const writeInFieldName = (field: keyof WriteInValues, row: number): string => `${field}${row + 1}`;

/** Form fields by name: URLSearchParams (a posted form body) or FormData (the form on screen). */
export interface FieldSource {
  get(name: string): unknown;
  getAll(name: string): unknown[];
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * Ballot values from form fields: from the body of a refused no-JS vote, or from the form as the
 * voter left it before the island hydrated. Only known candidates are kept.
 */
export function valuesFromFields(fields: FieldSource, candidateIds: readonly string[]): BallotFormValues {
  const known = new Set(candidateIds);
  const values = emptyBallot();
  values.choices = [...new Set(fields.getAll('choices').map(text))].filter((id) => known.has(id));
  values.writeIns = values.writeIns.map((_, row) => ({
    product: text(fields.get(writeInFieldName('product', row))),
    issue: text(fields.get(writeInFieldName('issue', row))),
    venue: text(fields.get(writeInFieldName('venue', row))),
  }));
  values.district = text(fields.get('district'));
  return values;
}

const isBlank = (row: WriteInValues): boolean => !row.product.trim() && !row.issue.trim() && !row.venue.trim();

/** The JSON body for the ballots API: trimmed text, empty write-in rows and an unset district left out. */
export function ballotRequestBody(values: BallotFormValues, eventCode: string | undefined): BallotRequestBody {
  const body: BallotRequestBody = {
    choices: values.choices,
    writeIns: values.writeIns
      .filter((row) => !isBlank(row))
      .map((row) => ({ product: row.product.trim(), issue: row.issue.trim(), venue: row.venue.trim() })),
  };
  if (values.district) body.district = values.district;
  if (eventCode) body.event = eventCode;
  return body;
}

/** Ticks or unticks a candidate; a tick beyond the limit is ignored (the box is disabled anyway). */
export function toggleChoice(choices: readonly string[], id: string, maxChoices: number): string[] {
  if (choices.includes(id)) return choices.filter((chosen) => chosen !== id);
  if (choices.length >= maxChoices) return [...choices];
  return [...choices, id];
}

/** Id of the form control an error is about, for the error summary's link; null for errors about no field. */
export function errorFieldId(code: string): string | null {
  switch (code) {
    case 'TOO_MANY_CHOICES':
    case 'EMPTY_BALLOT':
    case 'UNKNOWN_CANDIDATE':
    case 'DUPLICATE_CHOICE':
      return 'choices';
    case 'UNKNOWN_DISTRICT':
      return 'district';
    case 'INVALID_WRITE_IN':
      return writeInFieldName('product', 0);
    default:
      return null;
  }
}
