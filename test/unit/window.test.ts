import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { APP_URL, CONTENT_SECURITY_POLICY, appFileFor, isAllowedExternalUrl, isAppUrl, rendererUrl, secureWindowOptions } from '../../src/main/window';

describe('window security', () => {
  const opts = secureWindowOptions('/app/out/preload/index.cjs');
  const wp = opts.webPreferences;

  it('isolates the page from Node', () => {
    expect(wp.contextIsolation).toBe(true);
    expect(wp.sandbox).toBe(true);
    expect(wp.nodeIntegration).toBe(false);
    expect(wp.nodeIntegrationInWorker).toBe(false);
    expect(wp.nodeIntegrationInSubFrames).toBe(false);
    expect(wp.webSecurity).toBe(true);
    expect(wp.allowRunningInsecureContent).toBe(false);
    expect(wp.webviewTag).toBe(false);
    expect(wp.preload).toBe('/app/out/preload/index.cjs');
  });

  it('has a strict content security policy with no inline scripts and no eval', () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values];
      }),
    );
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/);
    expect(directives['script-src']).not.toContain("'unsafe-inline'");
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
  });

  it('allows navigation only within the app page', () => {
    expect(isAppUrl('file:///app/out/renderer/index.html#/aging', 'file:///app/out/renderer/index.html')).toBe(true);
    expect(isAppUrl('file:///etc/passwd', 'file:///app/out/renderer/index.html')).toBe(false);
    expect(isAppUrl('https://evil.example/', 'file:///app/out/renderer/index.html')).toBe(false);
    expect(isAppUrl('http://localhost:5173/#/x', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isAppUrl('not a url', 'http://localhost:5173/')).toBe(false);
  });

  it('serves the app from its own scheme and refuses other custom-scheme and data: pages', () => {
    expect(isAppUrl('app://ar-desk/index.html#/aging', APP_URL)).toBe(true);
    expect(isAppUrl('app://other/index.html', APP_URL)).toBe(false);
    expect(isAppUrl('data:text/html,<h1>x</h1>', APP_URL)).toBe(false);
    expect(isAppUrl('evil://ar-desk/index.html', APP_URL)).toBe(false);
  });

  it('maps app:// requests to files inside the renderer folder only', () => {
    const dir = '/opt/ar-desk/out/renderer';
    const map = (u: string) => appFileFor(u, dir, path.posix.join, path.posix.resolve);
    expect(map('app://ar-desk/index.html')).toBe('/opt/ar-desk/out/renderer/index.html');
    expect(map('app://ar-desk/')).toBe('/opt/ar-desk/out/renderer/index.html');
    expect(map('app://ar-desk/assets/index-abc.js')).toBe('/opt/ar-desk/out/renderer/assets/index-abc.js');
    // The URL parser already folds ../ away, so the request stays inside the folder.
    expect(map('app://ar-desk/../../../etc/passwd')).toBe('/opt/ar-desk/out/renderer/etc/passwd');
    expect(map('app://ar-desk/%2e%2e/%2e%2e/secrets.json')).toBe('/opt/ar-desk/out/renderer/secrets.json');
    expect(map('app://ar-desk/a%5C..%5C..%5Csecrets.json')).toBeNull();
    expect(map('app://ar-desk/x%00.html')).toBeNull();
    expect(map('app://elsewhere/index.html')).toBeNull();
    expect(map('file:///etc/passwd')).toBeNull();
  });

  it('honours the development server only in an unpackaged build', () => {
    expect(rendererUrl({ isPackaged: false, devServerUrl: 'http://localhost:5173/' })).toBe('http://localhost:5173/');
    expect(rendererUrl({ isPackaged: true, devServerUrl: 'http://localhost:5173/' })).toBe(APP_URL);
    expect(rendererUrl({ isPackaged: false, devServerUrl: undefined })).toBe(APP_URL);
  });

  it('opens outside only mail links and the office’s own https addresses', () => {
    const office = ['northwind.example'];
    expect(isAllowedExternalUrl('mailto:billing@northwind.example', office)).toBe(true);
    expect(isAllowedExternalUrl('https://northwind.example/pay', office)).toBe(true);
    expect(isAllowedExternalUrl('https://evil.example/', office)).toBe(false);
    expect(isAllowedExternalUrl('http://northwind.example/', office)).toBe(false);
    expect(isAllowedExternalUrl('https://user:pw@northwind.example/', office)).toBe(false);
    expect(isAllowedExternalUrl('file:///etc/passwd', office)).toBe(false);
    expect(isAllowedExternalUrl('javascript:alert(1)', office)).toBe(false);
  });
});
