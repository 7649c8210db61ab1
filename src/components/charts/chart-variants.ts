/**
 * Every chart is drawn twice at build time: at the standard size and enlarged for 关怀版. An SVG's
 * lettering scales with its box, not with the page's font size, so the large-text mode needs its
 * own drawing with larger type (and room for it). global.css shows the one that matches the mode;
 * both are hidden from assistive technology, which reads the table beside the chart.
 */
export const CHART_VARIANTS = [
  { className: 'chart-standard', scale: 1, suffix: '' },
  // The ratio of 关怀版's base size (1.25rem, global.css) to the standard one.
  { className: 'chart-care', scale: 1.25, suffix: '-care' },
] as const;
