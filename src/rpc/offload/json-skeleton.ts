/**
 * A JSON text with its large string arrays lifted out, so that JSON.parse of a multi-MB commit body does
 * not build megabytes of transaction strings: every array made only of strings whose contents total at
 * least `liftedArrayBytesMin` bytes is replaced by the string `"\u0001<k>"` (k = its index), and its strings
 * are returned as byte ranges of the body.
 *
 * Invariants:
 * - Only bodies that are ASCII and hold no backslash are handled (undefined otherwise). In such a body a
 *   string runs from a `"` outside a string to the next `"`, so strings are found with indexOf and are the
 *   strings JSON.parse sees; everything between strings is structure.
 * - Nothing but lifted arrays changes. A lifted array is `[`, strings separated by `,`, `]`, with only
 *   JSON's four whitespace bytes around them. For a valid JSON body, JSON.parse(text) is JSON.parse(body)
 *   with each lifted array replaced by its placeholder. The one way an invalid body can give a parsable
 *   text is a raw control character inside a lifted string, so a caller must validate every lifted string
 *   it uses and refuse a parse in which a placeholder it does not use survives.
 * - No string of such a body can contain U+0001 (raw control characters are invalid JSON, escapes need a
 *   backslash), so a placeholder is never confused with data.
 * - Linear: each byte is looked at a bounded number of times (indexOf for string ends).
 */
import { isAscii } from 'node:buffer';

/** Arrays whose strings total fewer bytes stay in the text (JSON.parse handles small strings well). */
export const liftedArrayBytesMin = 4096;
/** A placeholder is this character followed by the array's index (written as the escape in the text). */
const PLACEHOLDER_CHAR_CODE = 0x01;
const PLACEHOLDER_ESCAPE = '\\u0001';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

export interface Skeleton {
  /** The body with each lifted array replaced by its placeholder string. */
  readonly text: string;
  /** Per lifted array: start/end byte pairs of its strings' contents (without the quotes). */
  readonly arrays: readonly Uint32Array[];
}

function isJsonSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** The index of a lifted array when `v` is its placeholder (as JSON.parse returned it). */
export function placeholderIndex(v: unknown): number | undefined {
  if (typeof v !== 'string' || v.length < 2 || v.charCodeAt(0) !== PLACEHOLDER_CHAR_CODE) return undefined;
  const k = Number(v.slice(1));
  return Number.isSafeInteger(k) ? k : undefined;
}

interface Lifted {
  /** Byte positions of the `[` and `]`. */
  readonly open: number;
  readonly close: number;
  readonly spans: Uint32Array;
}

/**
 * The string array whose first string starts at `quote` (a `"` outside any string), if it is one worth
 * lifting; `floor` is where the structure before it begins (bytes before it belong to a string).
 */
function liftAt(body: Buffer, quote: number, floor: number, bytesMin: number): Lifted | undefined {
  let open = quote - 1;
  while (open >= floor && isJsonSpace(body[open])) open--;
  if (open < floor || body[open] !== OPEN_BRACKET) return undefined;
  const spans: number[] = [];
  let total = 0;
  let start = quote;
  for (;;) {
    const end = body.indexOf(QUOTE, start + 1);
    if (end === -1) return undefined;
    spans.push(start + 1, end);
    total += end - start - 1;
    let k = end + 1;
    while (isJsonSpace(body[k])) k++;
    if (body[k] === CLOSE_BRACKET) {
      return total >= bytesMin ? { open, close: k, spans: Uint32Array.from(spans) } : undefined;
    }
    if (body[k] !== COMMA) return undefined;
    k++;
    while (isJsonSpace(body[k])) k++;
    if (body[k] !== QUOTE) return undefined;
    start = k;
  }
}

/** The skeleton of `body`, or undefined when the body is not eligible or has no array to lift. */
export function liftStringArrays(body: Buffer, bytesMin = liftedArrayBytesMin): Skeleton | undefined {
  if (!isAscii(body) || body.indexOf(BACKSLASH) !== -1) return undefined;
  const parts: string[] = [];
  const arrays: Uint32Array[] = [];
  let copied = 0;
  let pos = 0;
  for (;;) {
    const quote = body.indexOf(QUOTE, pos);
    if (quote === -1) break;
    const lifted = liftAt(body, quote, pos, bytesMin);
    if (lifted) {
      parts.push(body.toString('latin1', copied, lifted.open), `"${PLACEHOLDER_ESCAPE}${arrays.length}"`);
      arrays.push(lifted.spans);
      copied = lifted.close + 1;
      pos = lifted.close + 1;
      continue;
    }
    const end = body.indexOf(QUOTE, quote + 1);
    if (end === -1) break;
    pos = end + 1;
  }
  if (arrays.length === 0) return undefined;
  parts.push(body.toString('latin1', copied));
  return { text: parts.join(''), arrays };
}
