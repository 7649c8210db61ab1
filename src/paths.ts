/** URL builders, so that routes are spelled in one place. */
export const paths = {
  home: () => '/',
  announcements: () => '/announcements/',
  announcement: (slug: string) => `/announcements/${slug}/`,
  explanations: () => '/explanations/',
  explanation: (slug: string) => `/explanations/${slug}/`,
  recalls: () => '/recalls/',
  recall: (slug: string) => `/recalls/${slug}/`,
  plans: () => '/plan/',
  plan: (year: number) => `/plan/${year}/`,
  assistant: () => '/assistant/',
  stats: () => '/stats/',
  search: (query?: string) => (query ? `/search/?q=${encodeURIComponent(query)}` : '/search/'),
  practice: () => '/practice/',
  announcementsFeed: () => '/rss.xml',
  recallsFeed: () => '/recalls/rss.xml',
} as const;
