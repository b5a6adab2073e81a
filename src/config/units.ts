import { UserError } from '../core/errors.js';
import { safeName } from '../core/redact.js';

/** A config value in an error: shown when short and shaped like a unit (`90x`), never when it could be a pasted token. */
const quoted = (text: string): string => {
  const value = text.trim();
  return value.length <= 12 && /^[\w.%-]*$/.test(value) && safeName(value, '') !== '' ? `"${value}"` : '(value not shown)';
};

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** `90d`, `12h`, `30m`, `2w`, `45s`, `500ms` → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!match) throw new UserError(`invalid duration ${quoted(text)} (expected a number and one of ms, s, m, h, d, w, such as 90d)`);
  return Number(match[1]) * DURATION_UNITS[match[2]!]!;
}

/** Human form of a duration, rounded to the largest sensible unit: "12 days", "3 hours". */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, name] of units) {
    if (abs >= size) {
      const n = Math.floor(abs / size);
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${Math.round(abs)} ms`;
}

const SIZE_UNITS: Record<string, number> = {
  B: 1,
  KB: 1000,
  KIB: 1024,
  MB: 1000 ** 2,
  MIB: 1024 ** 2,
  GB: 1000 ** 3,
  GIB: 1024 ** 3,
};

/** `10MiB`, `512KiB`, `2MB`, `4096` → bytes. */
export function parseSize(value: string | number): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)\s*([A-Za-z]*)$/.exec(value.trim());
  const unit = SIZE_UNITS[(match?.[2] || 'B').toUpperCase()];
  if (!match || unit === undefined) throw new UserError(`invalid size ${quoted(String(value))} (expected bytes or a size such as 10MiB)`);
  return Math.round(Number(match[1]) * unit);
}

/** `80%` → 0.8 */
export function parsePercent(text: string): number {
  const match = /^(\d{1,3})%$/.exec(text.trim());
  if (!match) throw new UserError(`invalid percentage ${quoted(text)} (expected such as 80%)`);
  return Number(match[1]) / 100;
}
