/**
 * Window security, in one place so a unit test can check it item by item.
 * Plain data: the Electron shell passes it to BrowserWindow.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'", // Mantine injects its CSS variables as style elements
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface SecureWindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    nodeIntegrationInSubFrames: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    webviewTag: false;
    spellcheck: boolean;
  };
}

export function secureWindowOptions(preloadPath: string): SecureWindowOptions {
  return {
    width: 1360,
    height: 860,
    minWidth: 1024,
    minHeight: 680,
    show: false,
    title: 'AR Desk',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/** Navigation is allowed only within the app's own page (the file or the dev server it was loaded from). */
export function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const target = new URL(url);
    const app = new URL(appUrl);
    if (app.protocol === 'file:') return target.protocol === 'file:' && target.pathname === app.pathname;
    // A custom scheme's origin is "null" (as a data: URL's is): compare the scheme and host instead.
    if (app.protocol !== 'http:' && app.protocol !== 'https:') return target.protocol === app.protocol && target.host === app.host;
    return target.origin === app.origin;
  } catch {
    return false;
  }
}

/** The app is served by its own scheme (protocol.handle), not file://: app://ar-desk/index.html. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'ar-desk';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * The file of the built renderer an app:// request asks for, or null: another host, a path that
 * leaves the renderer folder (../, encoded or not), or a malformed URL. "/" is index.html.
 */
export function appFileFor(requestUrl: string, rendererDir: string, join: (...p: string[]) => string, resolve: (p: string) => string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const root = resolve(rendererDir);
  const file = resolve(join(root, pathname === '/' ? 'index.html' : pathname));
  return file === root || !file.startsWith(root + (root.endsWith('/') ? '' : '/')) ? null : file;
}

/** The development server's URL is honoured only in an unpackaged build (electron-vite dev). */
export function rendererUrl(options: { isPackaged: boolean; devServerUrl: string | undefined }): string {
  return !options.isPackaged && options.devServerUrl ? options.devServerUrl : APP_URL;
}

/** shell.openExternal only for mail links and the office's own web addresses (https, listed hosts). */
export function isAllowedExternalUrl(url: string, officeHosts: readonly string[]): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.protocol === 'mailto:') return true;
  return target.protocol === 'https:' && target.username === '' && target.password === '' && officeHosts.includes(target.hostname.toLowerCase());
}
