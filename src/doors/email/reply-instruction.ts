import { CUSTOM_FROM_HEADER } from '../../core/custom-field';
import { cleanTarget, Correction } from './reply-corrections';
import type { ReplyVocabulary } from './reply-vocabulary';

/** What the right side of "Field = …" may say to import nothing from it. */
const SKIP = new Set([
  'skip',
  'ignore',
  'none',
  'nothing',
  'null',
  '-',
  "don't import",
  'dont import',
  'do not import',
  'not imported',
]);
/** Longest first, so `->` and `=>` are read as one separator. */
const SEPARATORS = ['->', '=>', '→', '=', ':'];

/**
 * "Field = Column" → both sides, when the line holds exactly one separator (`->`, `=>`, `→`, `=` or
 * `:`). A single left-to-right scan: the line is outside input.
 */
export function splitInstruction(line: string): [string, string] | null {
  const found: { at: number; len: number }[] = [];
  for (let i = 0; i < line.length;) {
    const sep = SEPARATORS.find((s) => line.startsWith(s, i));
    if (sep) {
      found.push({ at: i, len: sep.length });
      i += sep.length;
    } else i++;
  }
  if (found.length !== 1) return null;
  const { at, len } = found[0]!;
  const left = line.slice(0, at).trim();
  const right = line.slice(at + len).trim();
  return left && right ? [left, right] : null;
}

/**
 * The two sides of "Field = Column" (or "Column = Field", when only that reading fits) as a correction,
 * or why they cannot be one.
 */
export function readCorrection(v: ReplyVocabulary, rawLeft: string, rawRight: string): Correction | string {
  const left = cleanTarget(rawLeft);
  const right = cleanTarget(rawRight);
  if (SKIP.has(right.toLowerCase())) {
    const header = v.header(left);
    if (header) return { header, field: null };
    const field = v.field(left);
    if (field && field !== CUSTOM_FROM_HEADER) return { unmapField: field };
    return `"${left}" is neither a column of the file nor a field.`;
  }
  const fieldLeft = v.field(left);
  const headerRight = v.header(right);
  if (fieldLeft && headerRight) return { header: headerRight, field: fieldLeft };
  const headerLeft = v.header(left);
  const fieldRight = v.field(right);
  if (headerLeft && fieldRight) return { header: headerLeft, field: fieldRight };
  if (fieldLeft) return `The file has no column "${right}" (in "${left} = ${right}").`;
  if (headerLeft) return `"${right}" is not a field of ${v.type} (in "${left} = ${right}").`;
  return `I could not read "${left} = ${right}": write a field and a column, e.g. "Phone = Mobile number".`;
}
