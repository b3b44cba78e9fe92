/**
 * The window's door: on a desk enrolled with a server, nobody works until they have signed in, so
 * the sign-in screen stands in for the whole app until `auth.session` says someone has. A desk
 * that works alone (the demo) needs no sign-in and shows the app straight away, as before.
 *
 * A call refused because nobody is signed in any more (signed out in another window, the session
 * ended at the host) asks for the session again, which brings the sign-in screen back.
 * The sync status is provided around both, since the sign-in screen says when the server is away.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Button, Result, Skeleton } from 'antd';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { appErrorOf, messageOf } from '../host/app-error';
import { useTRPC } from '../host/trpc';
import { isSignInRequired } from './session-values';
import { SignInScreen } from './sign-in-screen';
import { SyncStatusProvider } from './sync-status-context';
import { useSession } from './use-session';

export function SessionGate({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const session = useSession();
  useSignInRequiredWatch();

  let body: ReactNode;
  if (session.data) {
    body = session.data.signInRequired ? <SignInScreen /> : children;
  } else if (session.isError) {
    const error = appErrorOf(session.error);
    body = (
      <Result
        status="warning"
        title={t('auth.loadFailed')}
        subTitle={messageOf(t, error.key, error.params)}
        extra={<Button onClick={() => void session.refetch()}>{t('common.retry')}</Button>}
        data-testid="session-error"
      />
    );
  } else {
    body = <Skeleton active className="foyer-page foyer-session-loading" />;
  }
  return <SyncStatusProvider>{body}</SyncStatusProvider>;
}

/** Asks for the session again whenever a call is refused for want of a signed-in member of staff. */
function useSignInRequiredWatch(): void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  useEffect(() => {
    const recheck = (error: unknown) => {
      if (isSignInRequired(error)) void queryClient.invalidateQueries({ queryKey: trpc.auth.session.queryKey() });
    };
    const offQueries = queryClient.getQueryCache().subscribe((e) => {
      if (e.type === 'updated' && e.action.type === 'error') recheck(e.action.error);
    });
    const offMutations = queryClient.getMutationCache().subscribe((e) => {
      if (e.type === 'updated' && e.action.type === 'error') recheck(e.action.error);
    });
    return () => {
      offQueries();
      offMutations();
    };
  }, [queryClient, trpc]);
}
