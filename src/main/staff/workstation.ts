import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const ID = /^ws-[0-9a-f]{12}$/;

function readId(file: string): string | null {
  try {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { id?: unknown };
    return typeof stored.id === 'string' && ID.test(stored.id) ? stored.id : null;
  } catch {
    return null;
  }
}

/**
 * A stable id for this installation, written on every audit row and shown by app.info: made once
 * ("ws-" and 12 hex digits) and kept in a small file beside the settings (workstation.json).
 */
export function workstationIdFile(file: string): string {
  const existing = readId(file);
  if (existing) return existing;
  const id = `ws-${crypto.randomBytes(6).toString('hex')}`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ id, createdAt: new Date().toISOString() }, null, 2));
  try {
    // Two processes starting together: the first file wins.
    fs.linkSync(tmp, file);
    return id;
  } catch {
    const other = readId(file);
    if (other) return other;
    fs.renameSync(tmp, file);
    return id;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
