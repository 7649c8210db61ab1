/**
 * Answers are Markdown; the island shows them as HTML made here, on the server. Only a few
 * formatting tags survive, links only to this site's own pages, and nothing executable.
 */
import { Marked, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';

const ALLOWED_TAGS = ['p', 'br', 'ul', 'ol', 'li', 'strong', 'em', 'b', 'i', 'code', 'blockquote', 'a'];

/** Site-relative paths only: "/recalls/x/" yes; "//evil", "javascript:", "https://…" no. */
const isSitePath = (href: string | undefined): href is string => !!href && /^\/(?!\/)[^\s\\]*$/.test(href);

const markdown = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    // A link that is not to this site keeps its words and loses its target.
    link(this: { parser: { parseInline: (tokens: Tokens.Link['tokens']) => string } }, token: Tokens.Link) {
      return isSitePath(token.href) ? false : this.parser.parseInline(token.tokens);
    },
  },
});

export function renderAnswerHtml(source: string): string {
  const html = markdown.parse(source, { async: false });
  return sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: { a: ['href'] },
    // No scheme at all: only relative (site) links keep their href.
    allowedSchemes: [],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'template'],
    exclusiveFilter: (frame) => frame.tag === 'a' && !isSitePath(frame.attribs['href']) && !frame.text.trim(),
  });
}
