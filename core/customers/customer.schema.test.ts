import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { parseOrThrow } from '../validation';
import { CustomerInput, CustomerPatch } from './customer.schema';

function issuesOf(input: unknown, schema: typeof CustomerInput | typeof CustomerPatch = CustomerInput) {
  try {
    parseOrThrow(schema, input);
  } catch (e) {
    if (AppError.is(e)) return e.issues.map((i) => `${i.path.join('.')}:${i.key}`);
    throw e;
  }
  return [];
}

describe('customer input', () => {
  it('normalises a valid customer and fills defaults', () => {
    expect(parseOrThrow(CustomerInput, { name: '  张  三 ', phone: '138 1234 5678' })).toEqual({
      name: '张 三',
      phone: '+8613812345678',
      nationalId: null,
      birthDate: null,
      gender: 'unknown',
      notes: '',
      tags: [],
    });
  });

  it('treats blank optional fields as absent', () => {
    expect(parseOrThrow(CustomerInput, { name: 'A', phone: '13812345678', nationalId: ' ', birthDate: '' })).toMatchObject({
      nationalId: null,
      birthDate: null,
    });
  });

  it('reports each bad field with its own message key', () => {
    expect(issuesOf({ name: '', phone: '123', nationalId: '110105194912310021', birthDate: '2001-02-30', gender: 'x' })).toEqual([
      'name:errors.name.required',
      'phone:errors.phone.cnMobile',
      'nationalId:errors.nationalId.checksum',
      'birthDate:errors.date.invalid',
      'gender:errors.gender.invalid',
    ]);
  });

  it('requires the birth date to match the one in the id number', () => {
    expect(issuesOf({ name: 'A', phone: '13812345678', nationalId: '11010519491231002X', birthDate: '1949-12-30' })).toEqual([
      'birthDate:errors.birthDate.mismatchId',
    ]);
    expect(issuesOf({ name: 'A', phone: '13812345678', nationalId: '11010519491231002X', birthDate: '1949-12-31' })).toEqual([]);
  });

  it('deduplicates tags and limits them', () => {
    expect(parseOrThrow(CustomerInput, { name: 'A', phone: '13812345678', tags: ['VIP', 'VIP ', '会员'] }).tags).toEqual(['VIP', '会员']);
    expect(issuesOf({ name: 'A', phone: '13812345678', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) })).toEqual([
      'tags:errors.tags.tooMany',
    ]);
  });

  it('refuses unknown fields in a patch', () => {
    expect(issuesOf({ phone: '13812345678', organizationId: 'other' }, CustomerPatch)).toEqual([':errors.field.invalid']);
  });
});
