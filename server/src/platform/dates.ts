/** Civil dates in China (UTC+8, no daylight saving): deadlines, 'today', the school year, whatever the server's zone. */
export const CHINA_UTC_OFFSET_MS = 8 * 60 * 60 * 1000;

let todayCache = { day: Number.NaN, text: '' };
/** Today's civil date in China (YYYY-MM-DD). */
export function chinaToday(now?: Date): string {
  const ms = (now ? now.getTime() : Date.now()) + CHINA_UTC_OFFSET_MS;
  // The text is made once per day: an import asks for it a million times (each ID number's birth date).
  const day = Math.floor(ms / 86_400_000);
  if (day !== todayCache.day) todayCache = { day, text: new Date(ms).toISOString().slice(0, 10) };
  return todayCache.text;
}

/** The date `days` days after `date` (YYYY-MM-DD; negative goes back). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
