/**
 * When a staff session ends: after `idleMinutes` without a request, or `absoluteHours` after login,
 * whichever comes first. Pure arithmetic on ISO times so that tests need no clock tricks.
 */
export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
}

export interface SessionTimes {
  createdAt: string;
  lastSeenAt: string;
}

export type SessionState = { valid: true; expiresAt: Date } | { valid: false; reason: 'idle' | 'absolute' };

export function sessionState(session: SessionTimes, policy: SessionPolicy, now: Date): SessionState {
  const idleEnd = Date.parse(session.lastSeenAt) + policy.idleMinutes * 60_000;
  const absoluteEnd = Date.parse(session.createdAt) + policy.absoluteHours * 3_600_000;
  const time = now.getTime();
  if (!(time < absoluteEnd)) return { valid: false, reason: 'absolute' };
  if (!(time < idleEnd)) return { valid: false, reason: 'idle' };
  return { valid: true, expiresAt: new Date(Math.min(idleEnd, absoluteEnd)) };
}

/**
 * Whether `lastSeenAt` is worth writing down now. Writing on every request would rewrite the
 * documents file per page view; a minute's slack (or a tenth of the idle time when shorter) costs
 * at most that much of the idle window.
 */
export function shouldTouch(session: SessionTimes, policy: SessionPolicy, now: Date): boolean {
  const slackMs = Math.min(60_000, (policy.idleMinutes * 60_000) / 10);
  return now.getTime() - Date.parse(session.lastSeenAt) >= slackMs;
}
