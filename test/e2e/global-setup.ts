import path from 'node:path';
import { execFileSync } from 'node:child_process';

/** Builds the renderer once for the whole run. */
export default function globalSetup(): void {
  const root = path.resolve(import.meta.dirname, '../..');
  execFileSync(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
}
