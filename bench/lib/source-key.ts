/**
 * The key of a cached benchmark fixture: a hash of a header (the fixture's sizes and version) and
 * of every source file that decides what the fixture contains, so a change to any of them builds
 * it again. Test files are left out: they do not change what is built.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `sources` are files or folders relative to the repository's root. */
export function sourceKey(header: string, sources: readonly string[], length = 16): string {
  const h = createHash('sha256').update(`${header}\n`);
  const add = (p: string) => {
    if (statSync(p).isDirectory()) {
      for (const e of readdirSync(p).sort()) if (!/\.test\.tsx?$/.test(e)) add(path.join(p, e));
    } else {
      h.update(path.relative(ROOT, p)).update('\0').update(readFileSync(p));
    }
  };
  for (const s of sources) add(path.join(ROOT, s));
  return h.digest('hex').slice(0, length);
}
