import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../core/errors';
import { createI18n } from '../i18n/i18n';
import { appErrorOf, messageOf, placeError, UNREACHABLE } from './app-error';

describe('appErrorOf', () => {
  it('reads the AppError shape the host put in error.data', () => {
    const appError = {
      code: 'CONFLICT',
      key: 'errors.customer.phoneTaken',
      params: { name: '张三', id: 'x' },
      issues: [{ path: ['phone'], key: 'errors.customer.phoneTaken', params: { name: '张三' } }],
    };
    const e = new TRPCClientError('errors.customer.phoneTaken', { result: { error: { message: '', code: -32009, data: { appError } } } });
    expect(appErrorOf(e)).toEqual(appError);
  });

  it('treats a call without an answer as an unreachable host', () => {
    expect(appErrorOf(new TRPCClientError('fetch failed'))).toEqual(UNREACHABLE);
  });

  it('drops malformed issues instead of trusting them', () => {
    const appError = { code: 'INVALID', key: 'errors.invalidInput', issues: [{ path: 'phone', key: 1 }, { path: ['name'], key: 'errors.name.required' }] };
    const e = new TRPCClientError('x', { result: { error: { message: '', code: -32600, data: { appError } } } });
    expect(appErrorOf(e).issues).toEqual([{ path: ['name'], key: 'errors.name.required' }]);
  });

  it('passes local AppErrors through', () => {
    const e = new AppError('INVALID', 'errors.invalidInput', {}, [{ path: ['phone'], key: 'errors.phone.invalid' }]);
    expect(appErrorOf(e)).toEqual(e.toShape());
  });
});

describe('messageOf', () => {
  it('translates known keys and hides unknown ones behind a generic message', () => {
    const { t } = createI18n('en');
    expect(messageOf(t, 'errors.customer.phoneTaken', { name: '张三' })).toBe('This phone number already belongs to 张三.');
    expect(messageOf(t, 'errors.somethingNew')).toBe(t('errors.internal'));
  });
});

describe('placeError', () => {
  const { t } = createI18n('en');
  const onScreen = (issue: { path: (string | number)[] }) => (issue.path[0] === 'phone' || issue.path[0] === 'name' ? (issue.path[0] as string) : null);

  it('puts issues under their fields and only the summary above the buttons', () => {
    const error = { code: 'INVALID' as const, key: 'errors.invalidInput', params: { count: 2 }, issues: [
      { path: ['phone'], key: 'errors.phone.invalid' },
      { path: ['name'], key: 'errors.name.required' },
    ] };
    const { byField, general } = placeError(t, error, onScreen);
    expect([...byField]).toEqual([
      ['phone', [t('errors.phone.invalid')]],
      ['name', [t('errors.name.required')]],
    ]);
    expect(general).toBe(t('errors.invalidInput'));
  });

  it('does not repeat a message already shown at its field, and lists issues whose field is not on screen', () => {
    const taken = { code: 'CONFLICT' as const, key: 'errors.customer.phoneTaken', params: { name: '张三' }, issues: [
      { path: ['phone'], key: 'errors.customer.phoneTaken', params: { name: '张三' } },
    ] };
    expect(placeError(t, taken, onScreen).general).toBeNull();
    const hidden = { code: 'INVALID' as const, key: 'errors.invalidInput', issues: [{ path: ['tags', 0], key: 'errors.tags.empty' }, { path: ['notes'], key: 'errors.tags.empty' }] };
    const placed = placeError(t, hidden, onScreen);
    expect(placed.byField.size).toBe(0);
    expect(placed.general).toBe(`${t('errors.invalidInput')} ${t('errors.tags.empty')}`);
  });
});
