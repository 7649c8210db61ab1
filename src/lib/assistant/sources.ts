/** Numbering the pages an answer cites, in the order it first cites them. */
import type { SourcePage } from './types';

export interface AnswerSource {
  title: string;
  url: string;
}

export function sourceTitle(page: SourcePage): string {
  return page.example && !page.title.includes('示例') ? `${page.title}（示例）` : page.title;
}

export class SourceList {
  private readonly pages: SourcePage[] = [];

  /** The citation number of a page ("[2]"), adding it on first use. */
  cite(page: SourcePage): number {
    const found = this.pages.findIndex((p) => p.key === page.key);
    if (found >= 0) return found + 1;
    this.pages.push(page);
    return this.pages.length;
  }

  get size(): number {
    return this.pages.length;
  }

  keys(): string[] {
    return this.pages.map((page) => page.key);
  }

  toSources(): AnswerSource[] {
    return this.pages.map((page) => ({ title: sourceTitle(page), url: page.url }));
  }
}
