const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/** When a wake-up is due (ms since the epoch), or why the text says no time. */
export type WakeUpTime = { at: number } | { error: string };

export const WAKE_UP_FORMS = "'wake me at HH:MM' (24 h, or with am/pm), 'wake me in N seconds|minutes|hours'";

/**
 * Reads a wake-up request: `wake me at 07:00`, `at 7:30 pm`, `wake me in 10
 * minutes`, `in 30 seconds` ("wake me" and a final full stop are optional).
 * Clock times are in the server's local time zone; one already past today
 * means tomorrow.
 */
export function parseWakeUpTime(text: string, now: Date): WakeUpTime {
  const plain = text
    .trim()
    .toLowerCase()
    .replace(/[.!]+$/, '')
    .replace(/^(please\s+)?wake\s+me(\s+up)?\s+/, '');
  const relative = /^in\s+(\d{1,6})\s*(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?)$/.exec(plain);
  if (relative) {
    const [, count, unit = 's'] = relative;
    return { at: now.getTime() + Number(count) * (UNIT_MS[unit.charAt(0)] ?? 1000) };
  }
  const clock = /^at\s+(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?$/.exec(plain);
  if (!clock) return { error: `cannot read a time in '${text.trim()}'; say ${WAKE_UP_FORMS}` };
  let hours = Number(clock[1]);
  const minutes = Number(clock[2] ?? '0');
  const half = clock[3];
  if (half !== undefined) {
    if (hours < 1 || hours > 12) return { error: `${hours} ${half} is not a time of day` };
    hours = (hours % 12) + (half === 'pm' ? 12 : 0);
  }
  if (hours > 23 || minutes > 59) return { error: `${clock[1]}:${clock[2] ?? '00'} is not a time of day` };
  const due = new Date(now);
  due.setHours(hours, minutes, 0, 0);
  if (due.getTime() <= now.getTime()) due.setDate(due.getDate() + 1);
  return { at: due.getTime() };
}
