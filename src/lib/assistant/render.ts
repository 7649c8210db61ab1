/**
 * Answers are Markdown; the island shows them as HTML made here, on the server. Only a few
 * formatting tags survive, links only to this site's own pages, and nothing executable.
 */
import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

const ALLOWED_TAGS = ['p', 'br', 'ul', 'ol', 'li', 'strong', 'em', 'b', 'i', 'code', 'blockquote', 'a'];

/** Site-relative paths only: "/recalls/x/" yes; "//evil", "javascript:", "https://…" no. */
const isSitePath = (href: string | undefined): href is string => !!href && /^\/(?!\/)[^\s\\]*$/.test(href);

export function renderAnswerHtml(markdown: string): string {
  const html = marked.parse(markdown, { async: false, gfm: true, breaks: true });
  return sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: { a: ['href'] },
    allowedSchemes: [],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    transformTags: {
      // A link that is not to this site keeps its words and loses its target.
      a: (tagName, attribs) =>
        isSitePath(attribs['href']) ? { tagName, attribs: { href: attribs['href'] } } : { tagName: 'span', attribs: {} },
    },
    // The unwrapped <span> is dropped too, leaving its text.
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'template'],
  });
}
