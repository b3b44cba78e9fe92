/**
 * Turns zod failures into one `AppError('INVALID')` whose issues carry i18n keys and field paths.
 * Our schemas use message keys (`errors.…`); zod's own messages (wrong type, unknown key) map to
 * a generic key so the user never sees English-only library text.
 */
import type { z } from 'zod';
import { AppError, type FieldIssue } from './errors';

export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issues: FieldIssue[] = r.error.issues.map((i) => ({
    path: i.path.filter((p): p is string | number => typeof p !== 'symbol'),
    key: i.message.startsWith('errors.') ? i.message : 'errors.field.invalid',
  }));
  throw new AppError('INVALID', 'errors.invalidInput', { count: issues.length }, issues);
}
