/**
 * Number printing for the value classes' `toString()`, in the style of Godot 4.4+: a
 * float always shows a decimal point (`1.0`), an int never does, and single-precision
 * components print the shortest decimal that reads back as the same float32.
 */

/** Prints a float as Godot does: `1.0`, `0.1`, `-0.0`, `inf`, `nan`. */
export function formatFloat(value: number, singlePrecision = false): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Number.POSITIVE_INFINITY) return "inf";
  if (value === Number.NEGATIVE_INFINITY) return "-inf";
  if (Object.is(value, -0)) return "-0.0";
  let text = String(value);
  if (singlePrecision && Math.fround(value) === value) {
    for (let digits = 1; digits <= 9; digits++) {
      const candidate = Number(value.toPrecision(digits));
      if (Math.fround(candidate) === value) {
        text = String(candidate);
        break;
      }
    }
  }
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/** Prints single-precision components, comma separated, in parentheses: `(1.0, 2.5)`. */
export function formatReals(...values: number[]): string {
  return `(${values.map((value) => formatFloat(value, true)).join(", ")})`;
}

/** Prints integer components, comma separated, in parentheses: `(1, -2)`. */
export function formatInts(...values: number[]): string {
  return `(${values.join(", ")})`;
}
