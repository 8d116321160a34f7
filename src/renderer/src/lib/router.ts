import { useEffect, useState } from 'react';

/** Hash routes: #/customers, #/customers/CL1042, #/aging ... Works from file:// and over the bridge alike. */
export function currentRoute(): string[] {
  const hash = window.location.hash.replace(/^#\/?/, '');
  return hash === '' ? [] : hash.split('/').map(decodeURIComponent);
}

export function navigate(...parts: string[]): void {
  window.location.hash = '/' + parts.map(encodeURIComponent).join('/');
}

export function useRoute(): string[] {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const onChange = () => setRoute(currentRoute());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
