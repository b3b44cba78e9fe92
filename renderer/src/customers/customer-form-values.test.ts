import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { CustomerInput, type Customer } from '../../../core/customers/customer.schema';
import { nationalIdCheckChar } from '../../../core/customers/national-id';
import {
  factsFromNationalId,
  fieldIssues,
  fieldOfIssue,
  formValuesOf,
  patchOf,
  schemaInputOf,
} from './customer-form-values';

const first17 = '11010519900307123';
const ID = first17 + nationalIdCheckChar(first17);

const zhangSan: Customer = {
  id: '0194f0e0-0000-7000-8000-000000000001',
  organizationId: 'org',
  name: '张三',
  phone: '+8613812345678',
  nationalId: null,
  birthDate: '1990-03-07',
  gender: 'male',
  notes: '',
  tags: ['VIP'],
  createdAt: 0,
  updatedAt: 0,
};

describe('customer form values', () => {
  it('round-trips a stored customer through the form with no change', () => {
    const parsed = CustomerInput.parse(schemaInputOf(formValuesOf(zhangSan)));
    expect(patchOf(zhangSan, parsed)).toEqual({});
  });

  it('shows the phone formatted, and retyping it differently is no change', () => {
    const values = formValuesOf(zhangSan);
    expect(values.phone).toBe('138 1234 5678');
    const parsed = CustomerInput.parse(schemaInputOf({ ...values, phone: '+86 138-1234-5678' }));
    expect(patchOf(zhangSan, parsed)).toEqual({});
  });

  it('sends only what changed, normalised', () => {
    const values = { ...formValuesOf(zhangSan), name: '  张三丰 ', birthDate: null, tags: ['VIP', '孕期', 'VIP'] };
    const parsed = CustomerInput.parse(schemaInputOf(values));
    expect(patchOf(zhangSan, parsed)).toEqual({ name: '张三丰', birthDate: null, tags: ['VIP', '孕期'] });
  });

  it('sends the birth date as YYYY-MM-DD', () => {
    expect(schemaInputOf({ birthDate: dayjs('2001-12-31') }).birthDate).toBe('2001-12-31');
  });
});

describe('fieldIssues', () => {
  it('reports a field on its own, whatever the rest of the form holds', () => {
    expect(fieldIssues('phone', { phone: '138' })).toEqual([{ path: ['phone'], key: 'errors.phone.cnMobile' }]);
    expect(fieldIssues('phone', { phone: '13812345678', name: '' })).toEqual([]);
    expect(fieldIssues('name', { name: '   ' })).toEqual([{ path: ['name'], key: 'errors.name.required' }]);
  });

  it('checks the birth date against the id number', () => {
    expect(fieldIssues('birthDate', { nationalId: ID, birthDate: dayjs('1990-03-08') })).toEqual([
      { path: ['birthDate'], key: 'errors.birthDate.mismatchId' },
    ]);
    expect(fieldIssues('birthDate', { nationalId: ID, birthDate: dayjs('1990-03-07') })).toEqual([]);
    expect(fieldIssues('nationalId', { nationalId: ID.slice(0, 17) + (ID.endsWith('1') ? '2' : '1') })).toEqual([
      { path: ['nationalId'], key: 'errors.nationalId.checksum' },
    ]);
  });

  it('accepts an empty optional id number', () => {
    expect(fieldIssues('nationalId', { nationalId: '' })).toEqual([]);
  });
});

describe('fieldOfIssue', () => {
  it('maps create and update paths to form fields', () => {
    expect(fieldOfIssue({ path: ['phone'], key: 'k' })).toBe('phone');
    expect(fieldOfIssue({ path: ['patch', 'birthDate'], key: 'k' })).toBe('birthDate');
    expect(fieldOfIssue({ path: ['tags', 2], key: 'k' })).toBe('tags');
    expect(fieldOfIssue({ path: ['id'], key: 'k' })).toBeNull();
  });
});

describe('factsFromNationalId', () => {
  it('reads the birth date and gender from a valid number', () => {
    expect(factsFromNationalId(ID)).toEqual({ birthDate: '1990-03-07', gender: 'male' });
    expect(factsFromNationalId('123')).toBeNull();
  });
});
