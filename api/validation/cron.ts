// The CronJob schedule language: five fields (minute hour day-of-month month
// day-of-week) with *, ?, lists, ranges, steps and month/day names, plus the
// @yearly...@hourly shorthands and "@every <duration>".

export interface CronFields {
  kind: "fields";
  minutes: number[];
  hours: number[];
  daysOfMonth: number[];
  months: number[];
  daysOfWeek: number[];
  /** When both day fields are restricted a day matches if either does (classic cron). */
  dayOfMonthRestricted: boolean;
  dayOfWeekRestricted: boolean;
}

export interface CronEvery {
  kind: "every";
  seconds: number;
}

export type CronSchedule = CronFields | CronEvery;

interface FieldSpec {
  min: number;
  max: number;
  names?: readonly string[]; // index + min is the value
}

const MINUTE: FieldSpec = { min: 0, max: 59 };
const HOUR: FieldSpec = { min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { min: 1, max: 31 };
const MONTH: FieldSpec = {
  min: 1,
  max: 12,
  names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
};
const DAY_OF_WEEK: FieldSpec = { min: 0, max: 6, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] };

const SHORTHANDS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

/** Parses a schedule; throws an Error whose message says what is wrong. */
export function parseCronSchedule(expression: string): CronSchedule {
  const text = expression.trim();
  if (text.startsWith("@")) {
    if (text.startsWith("@every ")) return { kind: "every", seconds: parseEvery(text.slice("@every ".length).trim()) };
    const expanded = SHORTHANDS[text.toLowerCase()];
    if (expanded === undefined) throw new Error(`unrecognized descriptor: ${text}`);
    return parseFields(expanded);
  }
  return parseFields(text);
}

/** Problems with a schedule as messages (empty when valid). */
export function cronScheduleErrors(expression: string): string[] {
  try {
    parseCronSchedule(expression);
    return [];
  } catch (err) {
    return [(err as Error).message];
  }
}

function parseFields(text: string): CronFields {
  const fields = text.split(/\s+/).filter((f) => f !== "");
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(" ")}]`);
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  return {
    kind: "fields",
    minutes: parseField(minute, MINUTE),
    hours: parseField(hour, HOUR),
    daysOfMonth: parseField(dom, DAY_OF_MONTH),
    months: parseField(month, MONTH),
    daysOfWeek: parseField(dow, DAY_OF_WEEK),
    dayOfMonthRestricted: !isWildcard(dom),
    dayOfWeekRestricted: !isWildcard(dow),
  };
}

const isWildcard = (field: string) => field === "*" || field === "?";

function parseField(field: string, spec: FieldSpec): number[] {
  const values = new Set<number>();
  for (const part of field.split(",")) for (const v of parseRange(part, spec)) values.add(v);
  return [...values].sort((a, b) => a - b);
}

function parseRange(part: string, spec: FieldSpec): number[] {
  const slashParts = part.split("/");
  if (slashParts.length > 2) throw new Error(`too many slashes: ${part}`);
  const [rangeText = "", stepText] = slashParts;
  let start: number;
  let end: number;
  if (isWildcard(rangeText)) {
    start = spec.min;
    end = spec.max;
  } else {
    const bounds = rangeText.split("-");
    if (bounds.length > 2) throw new Error(`too many hyphens: ${part}`);
    start = parseValue(bounds[0]!, spec);
    // "N/step" runs from N to the field's maximum.
    end = bounds.length === 2 ? parseValue(bounds[1]!, spec) : stepText !== undefined ? spec.max : start;
  }
  let step = 1;
  if (stepText !== undefined) {
    step = parseInteger(stepText);
    if (step <= 0) throw new Error(`step of range should be a positive number: ${part}`);
  }
  if (start < spec.min) throw new Error(`beginning of range (${start}) below minimum (${spec.min}): ${part}`);
  if (end > spec.max) throw new Error(`end of range (${end}) above maximum (${spec.max}): ${part}`);
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${part}`);
  const values: number[] = [];
  for (let v = start; v <= end; v += step) values.push(v);
  return values;
}

function parseValue(text: string, spec: FieldSpec): number {
  const index = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  return index >= 0 ? index + spec.min : parseInteger(text);
}

function parseInteger(text: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`failed to parse int from ${text}: invalid syntax`);
  return Number(text);
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Go duration syntax ("1h30m", "90s", "1.5h"), as "@every" takes; at least one second. */
function parseEvery(text: string): number {
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let seconds = 0;
  let consumed = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    seconds += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    consumed = re.lastIndex;
  }
  if (text === "" || consumed !== text.length)
    throw new Error(`failed to parse duration @every ${text}: invalid duration`);
  return Math.max(1, Math.floor(seconds));
}
