/**
 * Signing in, as the UI words it: where a refusal's words go on the sign-in form (a field's own
 * problem under the field; "wrong login or password", "never signed in here while the server is
 * away" and an unreachable desk service as a banner, the last two as a warning, not a mistake), the
 * roles' names, and whether a failed call means that nobody is signed in any more.
 */
import type { TFunction } from 'i18next';
import type { AppErrorShape } from '../../../core/errors';
import type { Role } from '../../../core/permissions';
import { appErrorOf, placeError } from '../host/app-error';

export type SignInField = 'login' | 'password';

export interface SignInProblem {
  byField: Map<SignInField, string[]>;
  banner: string | null;
  tone: 'error' | 'warning';
}

function fieldOf(issue: { path: (string | number)[] }): SignInField | null {
  const first = issue.path[0];
  return first === 'login' || first === 'password' ? first : null;
}

export function signInProblemOf(t: TFunction, error: AppErrorShape): SignInProblem {
  const { byField, general } = placeError<SignInField>(t, error, fieldOf);
  // The server or the desk service being away is nobody's mistake: say what to do, not "wrong".
  const tone = error.code === 'UNAVAILABLE' || error.key === 'errors.hostUnreachable' ? 'warning' : 'error';
  return { byField, banner: general, tone };
}

export function roleText(t: TFunction, role: Role): string {
  return t(`auth.role.${role}`);
}

/** Whether a failed call was refused because nobody is signed in (any more) at this desk. */
export function isSignInRequired(error: unknown): boolean {
  return appErrorOf(error).key === 'errors.auth.signInRequired';
}
