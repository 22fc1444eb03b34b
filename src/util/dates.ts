/** Calendar arithmetic on ISO dates (YYYY-MM-DD), in UTC. */
const DAY_MS = 86_400_000;

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The start of the day after the settlement date, UTC: the replica watermark must reach it. */
export function cutoffFor(settlementDate: string): number {
  return Date.parse(`${settlementDate}T00:00:00Z`) + DAY_MS;
}
