/**
 * The only scripts the portal writes inline into its pages, kept here as exact text so that
 * astro.config.mjs can hash the very bytes the pages carry into the Content-Security-Policy
 * (Astro's `security.csp` hashes the scripts it bundles, not `is:inline` ones). Both must run before
 * first paint, which a bundled module script (deferred) cannot do. Change a script here, and its hash
 * follows at the next build.
 */

/** 关怀版 (larger type) is applied before first paint, so its readers never see the small type flash. */
export const CARE_MODE_PRE_PAINT_SCRIPT =
  "try{if(localStorage.getItem('care-mode')==='on')document.documentElement.dataset.care='on'}catch{}";

/** The search page swaps its no-script notice for the search form before first paint. */
export const SEARCH_PRE_PAINT_SCRIPT =
  "document.getElementById('search-needs-js').hidden=true;document.getElementById('search-app').hidden=false;";

export const INLINE_SCRIPTS: readonly string[] = [CARE_MODE_PRE_PAINT_SCRIPT, SEARCH_PRE_PAINT_SCRIPT];
