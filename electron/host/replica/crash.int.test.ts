/**
 * Proves the write path survives a crash: a child process writes customers in a burst and is
 * killed with SIGKILL mid-way. After reopening, every customer the child saw committed is there,
 * every customer has exactly one outbox entry and every outbox entry its customer, and the file
 * passes SQLite's integrity check.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openTestReplica } from '../testing';

const fixture = path.join(__dirname, 'crash-writer.fixture.ts');

function runAndKill(file: string, organizationId: string, staffId: string, killAfter: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, file, organizationId, staffId], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const committed: string[] = [];
    let buffer = '';
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) if (line && line !== 'ready') committed.push(line);
      if (!killed && committed.length >= killAfter) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(committed);
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

describe('a desk host killed mid-burst', () => {
  it('loses no committed customer and leaves none without its outbox entry', async () => {
    const { replica, owner, file } = await openTestReplica();
    await replica.close();

    const committed = await runAndKill(file, owner.organizationId, owner.staffId, 300);
    expect(committed.length).toBeGreaterThanOrEqual(300);

    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const customers = new Set(
        db.prepare<[], { id: string }>("SELECT id FROM customers WHERE name LIKE 'Crash Test %'").all().map((r) => r.id),
      );
      // Everything the writer saw commit survived the kill (more may have committed after its last print).
      expect(committed.filter((id) => !customers.has(id))).toEqual([]);
      const outboxIds = db
        .prepare<[], { id: string }>("SELECT json_extract(args, '$.id') AS id FROM outbox WHERE name = 'customer.create'")
        .all()
        .map((r) => r.id);
      expect(new Set(outboxIds).size).toBe(outboxIds.length);
      expect([...customers].filter((id) => !outboxIds.includes(id))).toEqual([]);
      expect(outboxIds.filter((id) => !customers.has(id))).toEqual([]);
    } finally {
      db.close();
    }
  });
});
