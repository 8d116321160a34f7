// Starts the desktop app. Dependency install scripts are off in this project (allowScripts), so
// Electron's runtime is fetched here on the first start instead of during npm install.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const electronDir = path.join(root, 'node_modules', 'electron');
const run = (file, args, cwd = root) => spawnSync(process.execPath, [file, ...args], { cwd, stdio: 'inherit' }).status ?? 1;

if (!fs.existsSync(path.join(electronDir, 'path.txt'))) {
  console.log('Fetching the Electron runtime (first start only)...');
  if (run(path.join(electronDir, 'install.js'), [], electronDir) !== 0) {
    console.error('Could not fetch the Electron runtime. Check the network, then run npm start again.');
    process.exit(1);
  }
}
const electronVite = path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
if (run(electronVite, ['build']) !== 0) process.exit(1);
process.exit(run(electronVite, ['preview']));
