/**
 * The customer form's values and their way to and from the domain: what the form holds
 * (strings, a dayjs date), what core's `CustomerInput` schema takes, and the patch an edit sends
 * (only the fields whose normalised value changed, so retyping a phone with spaces is no change).
 */
import dayjs, { type Dayjs } from 'dayjs';
import type { z } from 'zod';
import type { FieldIssue } from '../../../core/errors';
import { checkNationalId } from '../../../core/customers/national-id';
import { formatPhone } from '../../../core/customers/phone';
import { CustomerPatch } from '../../../core/customers/customer.schema';
import type { Customer, CustomerInput, Gender } from '../../../core/customers/customer.schema';

export const FORM_FIELDS = ['name', 'phone', 'nationalId', 'birthDate', 'gender', 'tags', 'notes'] as const;
export type FormField = (typeof FORM_FIELDS)[number];

export interface CustomerFormValues {
  name: string;
  phone: string;
  nationalId: string;
  birthDate: Dayjs | null;
  gender: Gender;
  tags: string[];
  notes: string;
}

/** What the schema gives back: normalised (E.164 phone, upper-case id, trimmed name, no duplicate tags). */
export type ValidCustomer = z.output<typeof CustomerInput>;

export const DATE_FORMAT = 'YYYY-MM-DD';

export function emptyFormValues(): CustomerFormValues {
  return { name: '', phone: '', nationalId: '', birthDate: null, gender: 'unknown', tags: [], notes: '' };
}

export function formValuesOf(c: Customer): CustomerFormValues {
  return {
    name: c.name,
    phone: formatPhone(c.phone),
    nationalId: c.nationalId ?? '',
    birthDate: c.birthDate ? dayjs(c.birthDate) : null,
    gender: c.gender,
    tags: [...c.tags],
    notes: c.notes,
  };
}

/** Form values as the schema's input; a partly filled form (some fields undefined) is fine. */
export function schemaInputOf(v: Partial<CustomerFormValues>): Record<FormField, unknown> {
  return {
    name: v.name ?? '',
    phone: v.phone ?? '',
    nationalId: v.nationalId ?? '',
    birthDate: v.birthDate ? v.birthDate.format(DATE_FORMAT) : null,
    gender: v.gender ?? 'unknown',
    tags: v.tags ?? [],
    notes: v.notes ?? '',
  };
}

/** The form field an issue belongs to: issues of an update arrive under `patch.`. */
export function fieldOfIssue(issue: FieldIssue): FormField | null {
  const path = issue.path[0] === 'patch' ? issue.path.slice(1) : issue.path;
  const head = path[0];
  return (FORM_FIELDS as readonly unknown[]).includes(head) ? (head as FormField) : null;
}

/** The fields one field is checked together with: the birth date must match the id number. */
const CHECKED_WITH: Partial<Record<FormField, readonly FormField[]>> = {
  nationalId: ['nationalId', 'birthDate'],
  birthDate: ['nationalId', 'birthDate'],
};

/**
 * The issues of one field, as the user edits it: that field (and what it is checked with) is
 * run through core's own schema, so a half-filled form does not hold back this field's message.
 */
export function fieldIssues(field: FormField, values: Partial<CustomerFormValues>): FieldIssue[] {
  const input = schemaInputOf(values);
  const related = CHECKED_WITH[field] ?? [field];
  const subset = Object.fromEntries(related.map((f) => [f, input[f]]));
  const r = CustomerPatch.safeParse(subset);
  if (r.success) return [];
  return r.error.issues
    .map((i) => ({ path: i.path.filter((p): p is string | number => typeof p !== 'symbol'), key: keyOf(i.message) }))
    .filter((i) => i.path[0] === field);
}

function keyOf(message: string): string {
  return message.startsWith('errors.') ? message : 'errors.field.invalid';
}

/** The fields of `next` that differ from the stored customer. Empty when nothing changed. */
export function patchOf(current: Customer, next: ValidCustomer): CustomerPatch {
  const patch: CustomerPatch = {};
  if (next.name !== current.name) patch.name = next.name;
  if (next.phone !== current.phone) patch.phone = next.phone;
  if (next.nationalId !== current.nationalId) patch.nationalId = next.nationalId;
  if (next.birthDate !== current.birthDate) patch.birthDate = next.birthDate;
  if (next.gender !== current.gender) patch.gender = next.gender;
  if (next.notes !== current.notes) patch.notes = next.notes;
  if (JSON.stringify(next.tags) !== JSON.stringify(current.tags)) patch.tags = next.tags;
  return patch;
}

/**
 * What a valid id number tells us, to fill in the birth date and gender when they are still
 * empty: digits 7–14 are the birth date, and the 17th digit is odd for men (GB 11643).
 */
export function factsFromNationalId(value: string): { birthDate: string; gender: Gender } | null {
  const r = checkNationalId(value);
  if (!r.ok) return null;
  return { birthDate: r.birthDate, gender: Number(r.value[16]) % 2 === 1 ? 'male' : 'female' };
}
