/**
 * Reads the release dates the AWS history pages print. The pages mix "July 21, 2026" with "27 May 2025", and
 * the oldest rows give only a month ("July 2016") or nothing at all.
 */
import { foldWhitespace } from './safe-text.js';

const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const;

const MONTH_DAY_YEAR = /^([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$/i;
const DAY_MONTH_YEAR = /^(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})$/i;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The ISO date (YYYY-MM-DD) a page's date cell names, or null when it names no single day: empty, month and
 * year only (a day is never invented), impossible ("February 30, 2026") or not a date at all.
 */
export function parseReleaseDate(text: string): string | null {
  const cleaned = foldWhitespace(text);
  let match = MONTH_DAY_YEAR.exec(cleaned);
  if (match) return isoDate(Number(match[3]), monthNumber(match[1]), Number(match[2]));
  match = DAY_MONTH_YEAR.exec(cleaned);
  if (match) return isoDate(Number(match[3]), monthNumber(match[2]), Number(match[1]));
  match = ISO.exec(cleaned);
  if (match) return isoDate(Number(match[1]), Number(match[2]), Number(match[3]));
  return null;
}

/** 1-12 for a full month name or its three-letter abbreviation ("Sept" too); 0 for anything else. */
function monthNumber(name: string | undefined): number {
  const key = (name ?? '').toLowerCase();
  const index = MONTH_NAMES.findIndex((month) => key === month || key === month.slice(0, 3));
  if (index >= 0) return index + 1;
  return key === 'sept' ? 9 : 0;
}

function isoDate(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || year < 1990 || year > 2999) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls February 30 over into March; a round trip that changes the day means the date never existed.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}
