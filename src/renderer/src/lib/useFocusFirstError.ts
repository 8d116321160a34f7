import { useEffect, useState } from 'react';

/**
 * Returns a function that, once the next render has put the messages on screen, moves to the first
 * field marked invalid inside `container`: centred, so neither a header nor a footer covers it.
 */
export function useFocusFirstError(container: string): () => void {
  const [request, setRequest] = useState(0);
  useEffect(() => {
    if (request === 0) return;
    const el = document.querySelector<HTMLElement>(`${container} [aria-invalid="true"]`);
    if (!el) return;
    el.scrollIntoView({ block: 'center' });
    el.focus({ preventScroll: true });
  }, [request, container]);
  return () => setRequest((n) => n + 1);
}
