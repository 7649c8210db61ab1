/**
 * Paging for every list that grows with the data (announcements, write-in groups, ranking, accounts): each
 * request renders one page, so no page's work grows with the number of records.
 */
export interface Page<T> {
  items: T[];
  /** 1-based, clamped to the pages there are. */
  page: number;
  pages: number;
  total: number;
}

/** How many pages `total` records fill; an empty list still has its one (empty) page. */
export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

export function pageOf<T>(items: readonly T[], requestedPage: number, pageSize: number): Page<T> {
  const pages = pageCount(items.length, pageSize);
  const page = Math.min(pages, Math.max(1, Number.isSafeInteger(requestedPage) ? requestedPage : 1));
  return { items: items.slice((page - 1) * pageSize, page * pageSize), page, pages, total: items.length };
}

/** A page number in a query string: canonical digits only, anything else is the first page. */
export function parsePageNumber(text: string | null): number {
  return text !== null && /^[1-9]\d{0,6}$/.test(text) ? Number(text) : 1;
}

/** First, last, and the pages near the current one: a bounded list of links however many pages. */
export function pageLinks(page: number, pages: number): number[] {
  return [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, pages])]
    .filter((n) => n >= 1 && n <= pages)
    .sort((a, b) => a - b);
}
