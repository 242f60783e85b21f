/** Days of the week as keys of `WeeklyHours`, Monday first (ISO 8601). */
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One opening period on a day: local wall-clock `HH:MM`. `closes` at or before `opens` runs past midnight. */
export interface OpeningPeriod {
  readonly opens: string;
  readonly closes: string;
}

/** A restaurant's weekly opening hours in its own time zone; a day that is missing or empty is closed. */
export type WeeklyHours = Readonly<Partial<Record<Weekday, readonly OpeningPeriod[]>>>;

/** Open every day around the clock. */
export const ALWAYS_OPEN: WeeklyHours = Object.fromEntries(WEEKDAYS.map((d) => [d, [{ opens: "00:00", closes: "24:00" }]]));

export const MINUTES_PER_WEEK = 7 * 24 * 60;
const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

const minutesOf = (clock: string): number => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/** Whether `timeZone` is an IANA zone name this runtime knows (`Europe/Berlin`, `UTC`). */
export function isValidTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== "string" || timeZone === "") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** What is wrong with `hours` (naming the day and period), or null when they are valid. */
export function hoursProblem(hours: unknown): string | null {
  if (typeof hours !== "object" || hours === null || Array.isArray(hours)) return "hours must be an object keyed by mon..sun";
  for (const [day, periods] of Object.entries(hours)) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) return `hours.${day} is not a weekday (mon..sun)`;
    if (!Array.isArray(periods)) return `hours.${day} must be a list of { opens, closes }`;
    for (const [i, p] of periods.entries()) {
      const where = `hours.${day}[${i}]`;
      if (typeof p !== "object" || p === null) return `${where} must be { opens, closes }`;
      const { opens, closes } = p as Record<string, unknown>;
      if (typeof opens !== "string" || !CLOCK.test(opens) || opens === "24:00") return `${where}.opens must be HH:MM in 00:00..23:59`;
      if (typeof closes !== "string" || !CLOCK.test(closes)) return `${where}.closes must be HH:MM in 00:00..24:00`;
      if (opens === closes) return `${where} opens and closes at the same time`;
    }
  }
  return null;
}

/**
 * The hours as half-open intervals of minutes since Monday 00:00 local time, sorted and merged. A period past
 * midnight continues into the next day (Sunday's into Monday's start of the week). This is the one form both
 * stores search by.
 */
export function weekIntervals(hours: WeeklyHours): [number, number][] {
  const raw: [number, number][] = [];
  WEEKDAYS.forEach((day, index) => {
    for (const { opens, closes } of hours[day] ?? []) {
      const start = index * 1440 + minutesOf(opens);
      let end = index * 1440 + minutesOf(closes);
      if (end <= start) end += 1440;
      if (end <= MINUTES_PER_WEEK) raw.push([start, end]);
      else raw.push([start, MINUTES_PER_WEEK], [0, end - MINUTES_PER_WEEK]);
    }
  });
  raw.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const interval of raw) {
    const last = merged[merged.length - 1];
    if (last && interval[0] <= last[1]) last[1] = Math.max(last[1], interval[1]);
    else merged.push([interval[0], interval[1]]);
  }
  return merged;
}

const DAY_INDEX: Readonly<Record<string, number>> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

/**
 * One formatter per time zone: building an Intl.DateTimeFormat costs far more than using one, and every placement
 * asks whether its restaurant is open (a profile of the API at load showed the construction among its top frames).
 */
const wallClocks = new Map<string, Intl.DateTimeFormat>();
const wallClock = (timeZone: string): Intl.DateTimeFormat => {
  let format = wallClocks.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    wallClocks.set(timeZone, format);
  }
  return format;
};

/** Minutes since Monday 00:00 on the wall clock of `timeZone` at `instant`. */
export function minuteOfWeek(instant: Date, timeZone: string): number {
  const parts = wallClock(timeZone).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return (DAY_INDEX[part("weekday")] ?? 0) * 1440 + Number(part("hour")) * 60 + Number(part("minute"));
}

/** Whether a restaurant with these hours is open at `instant`, judged on its own wall clock. */
export function isOpenAt(hours: WeeklyHours, timeZone: string, instant: Date): boolean {
  const minute = minuteOfWeek(instant, timeZone);
  return weekIntervals(hours).some(([start, end]) => minute >= start && minute < end);
}
