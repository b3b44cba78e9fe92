/**
 * The scanner driver on the mock transport with fake timers: codes across chunks, the sliding
 * duplicate window, garbage and overlong codes, and link changes.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MockTransport } from '../transport/mock.transport';
import { ScannerDriver, type ScannerDriverOptions, type ScannerEvents } from './scanner.driver';

afterEach(() => {
  vi.useRealTimers();
});

const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);
const bytes = (s: string) => new TextEncoder().encode(s);

async function setup(options: Partial<ScannerDriverOptions> = {}) {
  vi.useFakeTimers();
  const t = new MockTransport({ description: 'scanner' });
  const driver = new ScannerDriver({ transport: t, ...options });
  const scans: string[] = [];
  const duplicates: ScannerEvents['duplicate'][] = [];
  const rejected: ScannerEvents['rejected'][] = [];
  driver.on('scan', (s) => scans.push(s.code));
  driver.on('duplicate', (d) => duplicates.push(d));
  driver.on('rejected', (r) => rejected.push(r));
  await driver.start();
  return { t, driver, scans, duplicates, rejected };
}

describe('scanner driver', () => {
  it('emits each code once, whatever the chunking and suffix', async () => {
    const { t, driver, scans } = await setup();
    expect(driver.status.state).toBe('ready');
    t.receive(bytes('69012345'));
    t.receive(bytes('67892\r'));
    t.receive(bytes('\nT-0001\r\n会员卡 8848\r'));
    expect(scans).toEqual(['6901234567892', 'T-0001', '会员卡 8848']);
  });

  it('suppresses the same code within the window; the window slides while it keeps being read', async () => {
    const { t, scans, duplicates } = await setup({ duplicateWindowMs: 1500 });
    t.receive(bytes('M-42\r'));
    await advance(1000);
    t.receive(bytes('M-42\r')); // still under the scanner
    await advance(1000);
    t.receive(bytes('M-42\r')); // 2 s after the first, 1 s after the last read: still the same presentation
    t.receive(bytes('M-43\r')); // another member: never suppressed
    await advance(1600);
    t.receive(bytes('M-42\r')); // taken away and shown again
    expect(scans).toEqual(['M-42', 'M-43', 'M-42']);
    expect(duplicates.map((d) => [d.code, d.sinceLastMs])).toEqual([
      ['M-42', 1000],
      ['M-42', 1000],
    ]);
  });

  it('duplicateWindowMs 0 turns suppression off', async () => {
    const { t, scans } = await setup({ duplicateWindowMs: 0 });
    t.receive(bytes('A\rA\r'));
    expect(scans).toEqual(['A', 'A']);
  });

  it('garbage is never a code: unreadable bytes are rejected, and noise is not glued to the next code', async () => {
    const { t, driver, scans, rejected } = await setup({ partialTimeoutMs: 500 });
    t.receive([0xff, 0xfe, 0x00, 0x41, 0x0d]); // noise that happens to end in CR
    expect(rejected).toEqual([expect.objectContaining({ reasonKey: 'errors.device.scanner.unreadable', params: { device: 'scanner' } })]);
    t.receive([0x13, 0x88, 0x42]); // noise without a terminator …
    await advance(600);
    t.receive(bytes('6901234567892\r')); // … then a real scan
    expect(scans).toEqual(['6901234567892']);
    t.receive(bytes('(01)0950\x1d10ABC\r')); // GS1 with its GS separator is a code
    expect(scans.at(-1)).toBe('(01)0950\x1d10ABC');
    expect(driver.status.state).toBe('ready');
  });

  it('an overlong code is a warning until the next good code', async () => {
    const { t, driver, scans, rejected } = await setup({ framer: { maxLength: 64 } });
    t.receive(new Uint8Array(100).fill(0x41));
    t.receive(bytes('\r'));
    expect(driver.status).toMatchObject({ state: 'warning', reasonKey: 'errors.device.scanner.overflow' });
    expect(rejected[0]).toMatchObject({ reasonKey: 'errors.device.scanner.overflow' });
    t.receive(bytes('OK-1\r'));
    expect(scans).toEqual(['OK-1']);
    expect(driver.status.state).toBe('ready');
  });

  it('a link change drops a half-received code; status follows the link', async () => {
    const { t, driver, scans } = await setup();
    t.receive(bytes('HALF'));
    t.disconnect();
    expect(driver.status).toMatchObject({ state: 'disconnected', reasonKey: 'errors.device.disconnected' });
    t.reconnect();
    expect(driver.status.state).toBe('ready');
    t.receive(bytes('WHOLE\r'));
    expect(scans).toEqual(['WHOLE']);
    await driver.close();
    expect(driver.status.state).toBe('disconnected');
    expect(t.state).toBe('closed');
  });
});
