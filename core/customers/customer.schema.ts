/**
 * Customer input schemas. Messages are i18n keys (core/i18n); the form shows them next to the
 * field they name. Normalisation happens here too: phones become E.164, id numbers upper-case.
 */
import { z } from 'zod';
import { LocalDate } from '../time';
import { checkNationalId } from './national-id';
import { normalizePhone } from './phone';

export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
export const Gender = z.enum(GENDERS, { message: 'errors.gender.invalid' });
export type Gender = z.infer<typeof Gender>;

export const CustomerName = z
  .string({ message: 'errors.name.required' })
  .transform((s) => s.normalize('NFC').replace(/\s+/g, ' ').trim())
  .pipe(z.string().min(1, 'errors.name.required').max(64, 'errors.name.tooLong'));

export const Phone = z.string({ message: 'errors.phone.required' }).transform((s, ctx) => {
  const r = normalizePhone(s);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.key });
    return z.NEVER;
  }
  return r.e164;
});

export const NationalId = z.string().transform((s, ctx) => {
  const r = checkNationalId(s);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.key });
    return z.NEVER;
  }
  return r.value;
});

export const Tags = z
  .array(z.string().trim().min(1, 'errors.tags.empty').max(32, 'errors.tags.tooLong'), { message: 'errors.tags.invalid' })
  .max(20, 'errors.tags.tooMany')
  .transform((tags) => [...new Set(tags)]);

const optionalText = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), schema.nullable());

const customerFields = {
  name: CustomerName,
  phone: Phone,
  nationalId: optionalText(NationalId),
  birthDate: optionalText(LocalDate),
  gender: Gender,
  notes: z.string().max(2000, 'errors.notes.tooLong'),
  tags: Tags,
};

/** When both an id number and a birth date are given, the date embedded in the id must match. */
function birthDateMatchesId(v: { nationalId?: string | null; birthDate?: string | null }, ctx: z.RefinementCtx): void {
  if (v.nationalId && v.birthDate) {
    const embedded = `${v.nationalId.slice(6, 10)}-${v.nationalId.slice(10, 12)}-${v.nationalId.slice(12, 14)}`;
    if (embedded !== v.birthDate) {
      ctx.addIssue({ code: 'custom', path: ['birthDate'], message: 'errors.birthDate.mismatchId' });
    }
  }
}

export const CustomerInput = z
  .object({
    ...customerFields,
    nationalId: customerFields.nationalId.default(null),
    birthDate: customerFields.birthDate.default(null),
    gender: Gender.default('unknown'),
    notes: customerFields.notes.default(''),
    tags: Tags.default([]),
  })
  .superRefine(birthDateMatchesId);
export type CustomerInput = z.input<typeof CustomerInput>;

export const CreateCustomerArgs = z
  .object({ id: z.uuid({ message: 'errors.id.invalid' }) })
  .and(CustomerInput);
export type CreateCustomerArgs = z.infer<typeof CreateCustomerArgs>;

export const CustomerPatch = z.object(customerFields).partial().strict().superRefine(birthDateMatchesId);
export type CustomerPatch = z.input<typeof CustomerPatch>;

export const UpdateCustomerArgs = z.object({
  id: z.uuid({ message: 'errors.id.invalid' }),
  patch: CustomerPatch,
});
export type UpdateCustomerArgs = z.infer<typeof UpdateCustomerArgs>;

/** The customer as the UI reads it. */
export interface Customer {
  id: string;
  organizationId: string;
  name: string;
  phone: string;
  nationalId: string | null;
  birthDate: string | null;
  gender: Gender;
  notes: string;
  tags: string[];
  createdAt: number;
  updatedAt: number;
}
