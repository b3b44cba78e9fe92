/**
 * The tRPC client of a window: queries and mutations over batched HTTP with the launch token as a
 * bearer token, subscriptions over one WebSocket that sends the token as a connection parameter.
 * Only the router's type is imported from the host.
 */
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink, type TRPCClient } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { HostRouter } from '../../../electron/host/router/app.router';
import { trpcUrls, type HostConnection } from './host-connection';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<HostRouter>();

export interface HostClient {
  trpc: TRPCClient<HostRouter>;
  /** Closes the WebSocket; the window is going away. */
  close(): void;
}

export function createHostClient({ hostUrl, token }: HostConnection): HostClient {
  const urls = trpcUrls(hostUrl);
  const ws = createWSClient({
    url: urls.ws,
    connectionParams: { token },
    // Reconnect fast: the host is on this machine, so a gap is a restart, not a bad network.
    retryDelayMs: (attempt) => Math.min(250 * 2 ** attempt, 5_000),
  });
  const trpc = createTRPCClient<HostRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: ws }),
        false: httpBatchLink({ url: urls.http, headers: () => ({ Authorization: `Bearer ${token}` }) }),
      }),
    ],
  });
  return { trpc, close: () => void ws.close() };
}
