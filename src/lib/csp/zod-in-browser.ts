/**
 * Imported first by every island that builds zod object schemas in the browser. Zod compiles its
 * object parsers with `new Function` after probing whether eval is allowed; under the portal's CSP
 * (no 'unsafe-eval') the probe fails quietly but the browser still reports it as a CSP violation.
 * Jitless mode skips the probe. Only in the browser: on the server no CSP applies, and the compiled
 * parsers keep ballot validation fast.
 */
import { z } from 'zod';

if (typeof document !== 'undefined') z.config({ jitless: true });
