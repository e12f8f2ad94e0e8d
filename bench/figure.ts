/** One benchmark result as printed: what was measured, the value, the target and whether it was met. */
export interface Figure {
  readonly name: string;
  /** The value with its unit, as printed (e.g. "142.3 KiB"). */
  readonly value: string;
  /** The target as printed (e.g. "<= 150 KiB"), or null for a figure that is only reported. */
  readonly target: string | null;
  /** null for a figure that is only reported. */
  readonly pass: boolean | null;
  /** Extra context printed on the lines below (contributors, spread, notes). */
  readonly details?: readonly string[];
}

const verdict = (figure: Figure) => (figure.pass === null ? 'REPORT' : figure.pass ? 'PASS' : 'MISS');

export function formatFigure(figure: Figure): string {
  const line = [
    figure.name.padEnd(34),
    figure.value.padStart(14),
    `target ${figure.target ?? '(report only)'}`.padEnd(24),
    verdict(figure),
  ].join('  ');
  return [line, ...(figure.details ?? []).map((detail) => `    ${detail}`)].join('\n');
}
