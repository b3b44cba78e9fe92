/**
 * Who is signed in at this desk (`auth.session`), and signing in and out. What a window has cached
 * was read as whoever was signed in, so signing in starts from an empty cache, and signing out
 * empties it once the sign-in screen is up (the pages are gone by then).
 */
import { hashKey, useQuery, useQueryClient, type Query } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useTRPC, useTRPCClient } from '../host/trpc';

export function useSession() {
  const trpc = useTRPC();
  return useQuery(trpc.auth.session.queryOptions());
}

export function useSessionChanges() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();

  const refresh = useMemo(() => {
    const sessionKey = trpc.auth.session.queryKey();
    const sessionHash = hashKey(sessionKey);
    return {
      dropOthers: () => queryClient.removeQueries({ predicate: (q: Query) => q.queryHash !== sessionHash }),
      session: () => queryClient.refetchQueries({ queryKey: sessionKey }),
    };
  }, [trpc, queryClient]);

  const signIn = useCallback(
    async (login: string, password: string) => {
      const info = await client.auth.signIn.mutate({ login, password });
      refresh.dropOthers();
      await refresh.session();
      return info;
    },
    [client, refresh],
  );

  const signOut = useCallback(async () => {
    await client.auth.signOut.mutate();
    await refresh.session();
    refresh.dropOthers();
  }, [client, refresh]);

  return { signIn, signOut };
}
