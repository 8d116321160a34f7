import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Writing a command's --out file. Every command with --out goes through here, so that each:
 * - refuses a target that is a symbolic link (checked with lstat, never followed);
 * - says so plainly when the target is a folder;
 * - refuses to replace an existing file unless --force is given;
 * - writes atomically: the bytes go to a temporary file created exclusively (flag 'wx') in the
 *   target's own folder, flushed, then moved into place, so a reader never sees half a file and
 *   a failed write leaves the old file as it was.
 */

/** The --out target cannot be written as asked; the CLI prints the message and exits 1. */
export class OutFileError extends Error {}

export interface OutFileOptions {
  /** --force: replace an existing regular file. */
  force?: boolean;
  /** A file name to suggest when the target is a folder, e.g. statements.pdf. */
  suggestedName?: string;
}

function lstatOrNull(file: string): fs.Stats | null {
  try {
    return fs.lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw e;
  }
}

/**
 * Checks an --out target before any work is done and returns its absolute path. Call it first,
 * so a refused target costs nothing; writeOutFile checks again just before writing.
 */
export function checkOutFile(file: string, options: OutFileOptions = {}): string {
  const target = path.resolve(file);
  // The nearest folder above the target that is there must be a folder (links to folders are fine there).
  for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
    const stat = statOrNull(dir);
    if (stat && !stat.isDirectory()) throw new OutFileError(`${dir} is not a folder, so ${target} cannot be written.`);
    if (stat || path.dirname(dir) === dir) break;
  }
  const stat = lstatOrNull(target);
  if (stat?.isSymbolicLink()) {
    throw new OutFileError(`${target} is a symbolic link; AR Desk does not write through links. Remove the link or give another file name.`);
  }
  if (stat?.isDirectory()) {
    throw new OutFileError(`${target} is a folder; give a file name inside it, e.g. --out ${path.join(target, options.suggestedName ?? 'out.pdf')}`);
  }
  if (stat && !stat.isFile()) throw new OutFileError(`${target} is not a regular file; give another file name.`);
  if (stat && !options.force) throw new OutFileError(`${target} already exists; add --force to replace it.`);
  return target;
}

function errorCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** Writes `bytes` to the --out target as described above; returns the absolute path written. */
export function writeOutFile(file: string, bytes: Uint8Array | string, options: OutFileOptions = {}): string {
  const target = checkOutFile(file, options);
  const dir = path.dirname(target);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, 'wx', 0o644);
  let placed = false;
  try {
    try {
      fs.writeFileSync(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    // Between the check and now, something may have appeared at the target.
    checkOutFile(target, options);
    if (options.force) {
      // rename replaces a regular file atomically, and replaces (never follows) anything else.
      fs.renameSync(tmp, target);
      placed = true;
    } else {
      // A hard link is created only if nothing is at the target: no window to overwrite in.
      try {
        fs.linkSync(tmp, target);
      } catch (e) {
        if (errorCode(e) === 'EEXIST') throw new OutFileError(`${target} already exists; add --force to replace it.`);
        // Some file systems (FAT on a USB stick, some network shares) have no hard links.
        if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK'].includes(errorCode(e) ?? '')) throw e;
        checkOutFile(target, options);
        fs.renameSync(tmp, target);
        placed = true;
      }
    }
  } finally {
    if (!placed) fs.rmSync(tmp, { force: true });
  }
  return target;
}
