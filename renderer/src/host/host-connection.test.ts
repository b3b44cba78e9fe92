import { describe, expect, it } from 'vitest';
import { resolveHostConnection, trpcUrls } from './host-connection';

describe('resolveHostConnection', () => {
  it('prefers the Electron bridge', () => {
    expect(
      resolveHostConnection({
        bridge: { hostUrl: 'http://127.0.0.1:5170/', token: 'b', platform: 'electron' },
        metaToken: 'm',
        origin: 'http://127.0.0.1:9999',
      }),
    ).toEqual({ hostUrl: 'http://127.0.0.1:5170', token: 'b' });
  });

  it('uses the meta token and the page origin in a browser', () => {
    expect(resolveHostConnection({ bridge: undefined, metaToken: 'm', origin: 'http://localhost:5180' })).toEqual({
      hostUrl: 'http://localhost:5180',
      token: 'm',
    });
  });

  it('has no connection without a token or with a non-http origin', () => {
    expect(resolveHostConnection({ bridge: undefined, metaToken: null, origin: 'http://localhost:5180' })).toBeNull();
    expect(resolveHostConnection({ bridge: undefined, metaToken: '', origin: 'http://localhost:5180' })).toBeNull();
    expect(resolveHostConnection({ bridge: undefined, metaToken: 'm', origin: 'file://' })).toBeNull();
  });
});

describe('trpcUrls', () => {
  it('derives the WebSocket URL from the HTTP one', () => {
    expect(trpcUrls('http://127.0.0.1:5170')).toEqual({ http: 'http://127.0.0.1:5170/trpc', ws: 'ws://127.0.0.1:5170/trpc' });
    expect(trpcUrls('https://desk.example')).toEqual({ http: 'https://desk.example/trpc', ws: 'wss://desk.example/trpc' });
  });
});
