/**
 * Driver version numbers as AWS prints them: "8.6.1" on the history pages, "8.6.1.0" or "2.2.4.0" in what
 * Windows reports as installed, ">1.0.0" in the NVMe table's first row, "v1.8.2" in prose.
 */

/** Longer parts are build stamps, dates or noise, never a driver version part. */
const MAX_PART_DIGITS = 6;

function parts(raw: string): number[] | null {
  const first = raw.charCodeAt(0);
  // "v" / "V" / ">" are decoration; a version carries at most one of them.
  const body = first === 0x76 || first === 0x56 || first === 0x3e ? raw.slice(1) : raw;
  const pieces = body.split('.');
  if (pieces.length < 2 || pieces.length > 4) return null;
  const numbers: number[] = [];
  for (const piece of pieces) {
    if (piece.length === 0 || piece.length > MAX_PART_DIGITS) return null;
    for (let i = 0; i < piece.length; i++) {
      const code = piece.charCodeAt(i);
      if (code < 0x30 || code > 0x39) return null;
    }
    numbers.push(Number(piece));
  }
  return numbers;
}

/**
 * The canonical form of a version, or null when `raw` is not one: 2 to 4 numeric parts, leading zeros dropped,
 * a fourth part of 0 dropped (Windows reports "8.6.1.0" for package 8.6.1) while a meaningful one stays
 * ("1.4.0.13"). Surrounding text is not trimmed: callers hand over exactly the version.
 */
export function normalizeVersion(raw: string): string | null {
  const numbers = parts(raw);
  if (numbers === null) return null;
  if (numbers.length === 4 && numbers[3] === 0) numbers.pop();
  return numbers.join('.');
}

/**
 * Negative when a is older than b, 0 when equal, positive when newer; missing parts count as 0, so
 * "8.6.1" equals "8.6.1.0". Never throws, because it serves as a sort comparator over changelog rows: a string
 * that is not a version sorts below every version, and two such strings compare as plain text.
 */
export function compareVersions(a: string, b: string): number {
  const left = parts(a);
  const right = parts(b);
  if (left === null || right === null) {
    if (left !== null) return 1;
    if (right !== null) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

/** Whether a and b name the same release; false when either is not a version. */
export function sameVersion(a: string, b: string): boolean {
  if (parts(a) === null || parts(b) === null) return false;
  return compareVersions(a, b) === 0;
}
