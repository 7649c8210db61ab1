/**
 * What a model may cite: only the pages it was given. Citation numbers are mapped to those pages
 * and renumbered in the order the answer first cites them; links and citations to anything else
 * (an unknown number, an external address, a page of this site that was not retrieved) are
 * removed from the text, and so never reach the list of sources.
 */
import type { NumberedPassage } from './prompt';
import { SourceList, type AnswerSource } from './sources';
import type { SourcePage } from './types';

const CJK_OR_SPACE = '\\s\\u3000-\\u303f\\uff00-\\uffef\\u4e00-\\u9fff';
const URL_TAIL = `[^${CJK_OR_SPACE}<>"'()\\[\\]]*`;
const BARE_URL = new RegExp(
  `(?:https?:\\/\\/|www\\.)${URL_TAIL}|\\b[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.(?:com|cn|net|org|io|gov|top|xyz|info|cc)(?:\\/${URL_TAIL})?`,
  'gi',
);
const SITE_PATH =
  /(?<![\w/.-])\/(?:announcements|explanations|recalls|plan|campaigns|search|assistant)\/[A-Za-z0-9\-_/.%?=&#]*/g;
const MARKDOWN_LINK = /(!?)\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g;
const AUTOLINK = /<((?:https?:|mailto:|ftp:)[^>\s]*)>/gi;
const CITATION = /[[【]\s*(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\s*[\]】]/g;

export interface FilterContext {
  passages: readonly NumberedPassage[];
  /** The portal's own origin, so that absolute links to retrieved pages are kept. */
  siteOrigin: string;
}

export interface FilteredAnswer {
  text: string;
  sources: AnswerSource[];
  sourceKeys: string[];
}

function pathOf(url: string, siteOrigin: string): string | null {
  try {
    const parsed = new URL(url, siteOrigin);
    if (parsed.origin !== new URL(siteOrigin).origin) return null;
    return parsed.pathname.endsWith('/') ? parsed.pathname : `${parsed.pathname}/`;
  } catch {
    return null;
  }
}

/** Filters a (prefix of a) model answer. Deterministic, so that prefixes filter consistently. */
export function filterCitations(raw: string, context: FilterContext, sources = new SourceList()): FilteredAnswer {
  const byNumber = new Map<number, SourcePage>(context.passages.map(({ n, passage }) => [n, passage.page]));
  const byPath = new Map<string, SourcePage>(context.passages.map(({ passage }) => [passage.page.url, passage.page]));
  const pageAt = (url: string): SourcePage | undefined => {
    const path = pathOf(url, context.siteOrigin);
    return path ? byPath.get(path) : undefined;
  };
  // Protect kept links from the bare-address pass with placeholders.
  const kept: string[] = [];
  const keep = (text: string) => {
    kept.push(text);
    return `\u0000${kept.length - 1}\u0000`;
  };

  let text = raw.replace(MARKDOWN_LINK, (_match, bang: string, label: string, url: string) => {
    if (bang) return '';
    const page = pageAt(url);
    if (!page || !/^(\/|https?:)/.test(url)) return label;
    return keep(`[${label}](${page.url}) [${sources.cite(page)}]`);
  });
  text = text.replace(AUTOLINK, '');
  text = text.replace(CITATION, (_match, list: string) => {
    const cites = list
      .split(/[,，、]/)
      .map((n) => byNumber.get(Number(n.trim())))
      .filter((page): page is SourcePage => page !== undefined)
      .map((page) => sources.cite(page));
    return cites.length ? keep([...new Set(cites)].map((c) => `[${c}]`).join('')) : '';
  });
  text = text.replace(BARE_URL, '');
  text = text.replace(SITE_PATH, (path) => {
    const page = pageAt(path);
    return page ? keep(`[${sources.cite(page)}]`) : '';
  });
  // eslint-disable-next-line no-control-regex
  text = text.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => kept[Number(i)] ?? '');
  return { text, sources: sources.toSources(), sourceKeys: sources.keys() };
}

/**
 * How much of a growing text can be filtered now: up to the start of anything still open
 * (a "[" or "(" not yet closed, an address still being written).
 */
export function safeFilterEnd(raw: string): number {
  let end = raw.length;
  const lastOpenBracket = Math.max(raw.lastIndexOf('['), raw.lastIndexOf('【'));
  if (lastOpenBracket >= 0) {
    const rest = raw.slice(lastOpenBracket);
    const closed = /^[[【][^\]】]*[\]】](?!\()/.test(rest) || /^\[[^\]]*\]\([^)]*\)/.test(rest);
    if (!closed) end = Math.min(end, lastOpenBracket);
  }
  const lastAngle = raw.lastIndexOf('<');
  if (lastAngle >= 0 && !raw.slice(lastAngle).includes('>')) end = Math.min(end, lastAngle);
  // An address (or site path, or the start of either) at the very end may still grow.
  const tail = /(?:https?:\/\/|www\.|\/)[^\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]*$|[A-Za-z0-9.:-]+$/.exec(raw);
  if (tail) end = Math.min(end, tail.index);
  return end;
}

/** Filters a model's answer as it streams: `push` returns the text that is safe to show now. */
export class StreamingCitationFilter {
  private raw = '';
  private emitted = '';

  constructor(
    private readonly context: FilterContext,
    /** Characters held back at the end of the raw text, for the leak guard to see first. */
    private readonly holdBack: (raw: string) => number = () => 0,
  ) {}

  push(delta: string): string {
    this.raw += delta;
    const visible = this.raw.slice(0, Math.max(0, this.raw.length - this.holdBack(this.raw)));
    const filtered = filterCitations(visible.slice(0, safeFilterEnd(visible)), this.context).text;
    if (!filtered.startsWith(this.emitted)) return '';
    const next = filtered.slice(this.emitted.length);
    this.emitted = filtered;
    return next;
  }

  get rawText(): string {
    return this.raw;
  }

  finish(): FilteredAnswer {
    return filterCitations(this.raw, this.context);
  }
}
