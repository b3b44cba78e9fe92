/**
 * Keeps every query of this window live: the host emits an event after each committed change
 * (made here, in another window or pulled from the cloud) and we invalidate the cached queries,
 * so React Query refetches whatever is on screen. A burst of changes (a pull, an import) becomes
 * one refetch. Each time the subscription starts we refetch once as well: events sent before it
 * was listening are lost, and that includes the first start (a query answered just before the
 * socket opened may have missed a change another window made in between).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useCoalesced, useRetryOnError } from '../common/use-coalesced';
import type { AppErrorShape } from '../../../core/errors';
import { appErrorOf } from './app-error';
import { useTRPC } from './trpc';

/** Coalescing window for bursts of change events. */
const BURST_MS = 60;
/** After a failed subscription (not a dropped socket, which reconnects by itself), retry this soon. */
const RETRY_MS = 3_000;

export type LiveStatus =
  | { state: 'live' }
  | { state: 'connecting' }
  /** The host answered with an error (e.g. the host restarted with a new launch token). */
  | { state: 'failed'; error: AppErrorShape };

export function useLiveUpdates(): LiveStatus {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invalidateSoon = useCoalesced(() => void queryClient.invalidateQueries(), BURST_MS);

  const subscription = useSubscription(
    trpc.changes.onChange.subscriptionOptions(undefined, {
      onStarted: invalidateSoon,
      onData: invalidateSoon,
    }),
  );

  const { status, reset, error } = subscription;
  useRetryOnError(status, reset, RETRY_MS);

  if (status === 'pending') return { state: 'live' };
  if (status === 'error') return { state: 'failed', error: appErrorOf(error) };
  return { state: 'connecting' };
}
