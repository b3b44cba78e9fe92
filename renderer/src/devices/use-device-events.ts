/**
 * Keeps everything about devices live in this window (the Devices page, the status bar's alerts):
 * the host emits an event for every health change, print job step, audit entry and scan, and we
 * invalidate the device queries, so what is on screen refetches. A printer that polls every second
 * while faulted, or a burst of job steps, becomes one refetch. After the socket reconnects we
 * refetch once as well (events sent while it was down are lost). The serial port list is not
 * refetched: listing ports is slow and device events do not change it.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useCallback, useRef } from 'react';
import { useCoalesced, useRetryOnError } from '../common/use-coalesced';
import { useTRPC } from '../host/trpc';

const BURST_MS = 60;
const RETRY_MS = 3_000;

/** Refetches what is on screen about devices (not the port list). */
export function useInvalidateDevices(): () => void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(() => {
    void queryClient.invalidateQueries(trpc.devices.list.pathFilter());
    void queryClient.invalidateQueries(trpc.devices.jobs.pathFilter());
    void queryClient.invalidateQueries(trpc.devices.audit.pathFilter());
  }, [queryClient, trpc]);
}

export function useDeviceEvents(): void {
  const trpc = useTRPC();
  const invalidateSoon = useCoalesced(useInvalidateDevices(), BURST_MS);
  const started = useRef(false);

  const { status, reset } = useSubscription(
    trpc.devices.onEvent.subscriptionOptions(undefined, {
      onStarted: () => {
        if (started.current) invalidateSoon();
        started.current = true;
      },
      onData: invalidateSoon,
    }),
  );
  useRetryOnError(status, reset, RETRY_MS);
}
