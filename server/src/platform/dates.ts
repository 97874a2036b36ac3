/** Civil dates in China (UTC+8, no daylight saving): deadlines, 'today', the school year, whatever the server's zone. */
export const CHINA_UTC_OFFSET_MS = 8 * 60 * 60 * 1000;

/** Today's civil date in China (YYYY-MM-DD). */
export function chinaToday(now = new Date()): string {
  return new Date(now.getTime() + CHINA_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

/** The date `days` days after `date` (YYYY-MM-DD; negative goes back). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
