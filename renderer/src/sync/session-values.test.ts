import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../../core/permissions';
import { UNREACHABLE } from '../host/app-error';
import { createI18n } from '../i18n/i18n';
import { isSignInRequired, roleText, signInProblemOf } from './session-values';

describe('signInProblemOf', () => {
  const { t } = createI18n('en');

  it('shows wrong credentials above the button, as an error', () => {
    const p = signInProblemOf(t, { code: 'UNAUTHORIZED', key: 'errors.auth.invalidCredentials' });
    expect(p).toEqual({ byField: new Map(), banner: 'The login name or the password is wrong.', tone: 'error' });
  });

  it('puts a field’s own problem under the field', () => {
    const p = signInProblemOf(t, { code: 'INVALID', key: 'errors.invalidInput', issues: [{ path: ['login'], key: 'errors.auth.loginInvalid' }] });
    expect([...p.byField]).toEqual([['login', [t('errors.auth.loginInvalid')]]]);
    expect(p.banner).toBe(t('errors.invalidInput'));
  });

  it('words a first sign-in while the server is away, and an unreachable desk service, as warnings', () => {
    const offline = signInProblemOf(t, { code: 'UNAVAILABLE', key: 'errors.auth.offlineUnknown' });
    expect(offline.tone).toBe('warning');
    expect(offline.banner).toContain('you have not signed in on this desk before');
    const host = signInProblemOf(t, UNREACHABLE);
    expect(host).toMatchObject({ tone: 'warning', banner: t('errors.hostUnreachable') });
  });
});

describe('roleText', () => {
  it('names every role in both languages', () => {
    const en = createI18n('en').t;
    const zh = createI18n('zh-CN').t;
    expect(roleText(en, 'owner')).toBe('Owner');
    expect(roleText(zh, 'front_desk')).toBe('前台');
    for (const role of ROLES) expect(roleText(en, role)).not.toContain('auth.role');
  });
});

describe('isSignInRequired', () => {
  it('recognizes the host refusing a call because nobody is signed in', () => {
    const refused = new TRPCClientError('x', {
      result: { error: { message: '', code: -32001, data: { appError: { code: 'UNAUTHORIZED', key: 'errors.auth.signInRequired' } } } },
    });
    expect(isSignInRequired(refused)).toBe(true);
    const other = new TRPCClientError('x', { result: { error: { message: '', code: -32001, data: { appError: { code: 'UNAUTHORIZED', key: 'errors.unauthorized' } } } } });
    expect(isSignInRequired(other)).toBe(false);
    expect(isSignInRequired(new Error('boom'))).toBe(false);
  });
});
