/**
 * Where an explanation's test was failed: the announcements whose failed items link to it, with the
 * products that failed it, for the explanation's page. Bounded, so the page does not grow with the archive.
 */
import type { Announcement } from '~/lib/content-schemas';

export interface Citation {
  announcementId: string;
  announcementTitle: string;
  products: string[];
}

export const CITATION_LIMIT = 30;

export function citationsOf(
  announcements: readonly { id: string; data: Pick<Announcement, 'title' | 'failedProducts'> }[],
  explanationId: string,
  limit = CITATION_LIMIT,
): Citation[] {
  const citations: Citation[] = [];
  for (const announcement of announcements) {
    const products = announcement.data.failedProducts
      .filter((product) => product.failedItems.some((item) => item.explanation === explanationId))
      .map((product) => (product.brand ? `${product.productName}（${product.brand}）` : product.productName));
    if (products.length === 0) continue;
    citations.push({ announcementId: announcement.id, announcementTitle: announcement.data.title, products });
    if (citations.length === limit) break;
  }
  return citations;
}
