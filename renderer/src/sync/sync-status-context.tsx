/**
 * The desk's sync status, live, for every part of the window that shows it (the header, the
 * sign-in screen): one `sync.onStatus` subscription, which the host answers with the status at
 * once and then with every change. A status that moves the count of open conflicts refreshes the
 * conflict inbox (a pull that brings a refusal, a rebook or dismissal in another window); the
 * inbox's other changes (alternatives taken meanwhile) come with the change events.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import { useRetryOnError } from '../common/use-coalesced';
import { useTRPC } from '../host/trpc';
import { conflictsMoved, type DeskSyncStatus } from './sync-status';

/** After a failed subscription (not a dropped socket, which reconnects by itself), retry this soon. */
const RETRY_MS = 3_000;

const SyncStatusContext = createContext<DeskSyncStatus | undefined>(undefined);

export function SyncStatusProvider({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const subscription = useSubscription(trpc.sync.onStatus.subscriptionOptions());
  useRetryOnError(subscription.status, subscription.reset, RETRY_MS);
  const status = subscription.data;
  const previous = useRef<DeskSyncStatus | undefined>(undefined);
  useEffect(() => {
    if (!status) return;
    if (conflictsMoved(previous.current, status)) void queryClient.invalidateQueries({ queryKey: trpc.sync.conflicts.pathKey() });
    previous.current = status;
  }, [status, queryClient, trpc]);
  return <SyncStatusContext.Provider value={status}>{children}</SyncStatusContext.Provider>;
}

/** The latest status; undefined until the host has sent the first. */
export function useSyncStatus(): DeskSyncStatus | undefined {
  return useContext(SyncStatusContext);
}
