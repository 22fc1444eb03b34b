import { z } from 'zod';
import { isoDate, versionId } from '../contract/manifest.js';
import { badRequest } from './http-error.js';
import { FLAG_FILTERS } from './page.js';

/**
 * Every value a request carries is checked here, with zod, before it reaches a lookup; none is
 * ever spliced into SQL or joined into a file path (versions are looked up among the scanned,
 * published ones). A failed check is a 400 naming the parameter.
 */
const MAX_ID_BYTES = 256;
// C0 and C1 control characters and DEL.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Why a merchant id (or prefix) is refused, or undefined when it is acceptable. */
function merchantTextProblem(value: string): string | undefined {
  if (value === '') return 'must not be empty';
  if (Buffer.byteLength(value) > MAX_ID_BYTES) return `must be at most ${MAX_ID_BYTES} bytes`;
  if (CONTROL.test(value)) return 'must not contain control characters';
  if (/[/\\]|\.\./.test(value)) return "must not contain '/', '\\' or '..'";
  return undefined;
}

const merchantText = z.string().superRefine((value, ctx) => {
  const problem = merchantTextProblem(value);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

const currency = z.string().regex(/^[A-Za-z0-9]{1,12}$/, 'expected a currency code like USD');

export function checkMerchantText(value: string, field: string): string {
  const problem = merchantTextProblem(value);
  if (problem !== undefined) throw badRequest(`${field}: ${problem}`);
  return value;
}

export function checkCurrency(value: string, field: string): string {
  if (!currency.safeParse(value).success) throw badRequest(`${field}: expected a currency code`);
  return value;
}

const validDates = new Set<string>();

/** A calendar date (YYYY-MM-DD); dates that passed are remembered (the check is per request). */
export function checkDate(value: string): string {
  if (validDates.has(value)) return value;
  parseOr400(isoDate, value, 'date');
  if (validDates.size < 10_000) validDates.add(value);
  return value;
}

export const merchantParam = merchantText;

export const versionQuery = z.object({ version: versionId.optional() }).strict();

export const pageQuery = z
  .object({
    version: versionId.optional(),
    q: merchantText.optional(),
    currency: currency.optional(),
    flag: z.enum(FLAG_FILTERS).optional(),
    limit: z
      .string()
      .regex(/^[1-9][0-9]{0,3}$/, 'expected a whole number from 1 to 1000')
      .transform(Number)
      .refine((n) => n <= 1000, 'expected a whole number from 1 to 1000')
      .optional(),
    after: z.string().optional(),
  })
  .strict();

export const emptyQuery = z.object({}).strict();

function describe(error: z.ZodError, where: string): string {
  const issue = error.issues[0];
  if (issue === undefined) return `${where} is not valid`;
  if (issue.code === 'unrecognized_keys')
    return `unknown query parameter ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  const name = issue.path.length > 0 ? issue.path.join('.') : where;
  return `${name}: ${issue.message}`;
}

/** Parses a value with a schema or throws a 400 naming what is wrong. */
export function parseOr400<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: string,
): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badRequest(describe(parsed.error, where));
  return parsed.data;
}

/** The query string as single values: a parameter given twice is refused. */
export function singleValues(queries: Record<string, string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, values] of Object.entries(queries)) {
    if (values.length !== 1)
      throw badRequest(`query parameter ${JSON.stringify(key)} is given more than once`);
    out[key] = values[0] as string;
  }
  return out;
}
