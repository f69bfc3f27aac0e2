/**
 * Strict building blocks for every schema (issue 13, "strict input"):
 *  - names refuse control characters (NUL, ESC, CR, LF, …) and the invisible
 *    direction marks and overrides that make text display differently from what it is;
 *  - whole numbers are a JSON number or a string of digits — never "0x10", "1e3", [7] or true,
 *    all of which z.coerce.number() would accept;
 *  - money is a plain decimal string above zero, compared as a decimal, never as a float.
 */
import { Decimal } from "decimal.js";
import { z } from "zod";

const control = /\p{Cc}/u;
const bidi = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

export function nameSchema(what: string, max = 60) {
  return z
    .string({ error: `Give the ${what} a name.` })
    .trim()
    .min(1, `Give the ${what} a name.`)
    .max(max, `Use at most ${max} characters.`)
    .refine((v) => !control.test(v), "No control characters (such as line breaks or NUL).")
    .refine((v) => !bidi.test(v), "No invisible text-direction characters.");
}

export function wholeNumber(what: string, min: number, max: number) {
  const message = `${what} must be a whole number from ${min} to ${max}.`;
  return z
    .union([z.number({ error: message }), z.string({ error: message }).trim().regex(/^-?\d{1,15}$/, message).transform(Number)], { error: message })
    .pipe(z.number().int(message).min(min, message).max(max, message));
}

export const decimalPattern = /^\d{1,12}(\.\d{1,8})?$/;

/** A decimal string above zero, e.g. "25" or "0.5" (at most 12 digits before the point and 8 after). */
export function positiveDecimal(what: string) {
  return z
    .string({ error: `${what} must be a decimal number, e.g. 100 or 0.5.` })
    .trim()
    .regex(decimalPattern, `${what} must be a plain decimal number, e.g. 100 or 0.5.`)
    .refine((v) => !decimalPattern.test(v) || new Decimal(v).gt(0), `${what} must be more than 0.`);
}

/** An optional form field: empty (or null) is not given. */
export function optionalField<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());
}

/** The most rows one page of a list answers with. */
export const maxPageSize = 500;
