/** Window-wide requests between the shell and screens that do not share a parent state. */
const FOCUS_SEARCH = 'ardesk:focus-search';

export function requestSearchFocus(): void {
  window.dispatchEvent(new Event(FOCUS_SEARCH));
}

export function onSearchFocusRequest(listener: () => void): () => void {
  window.addEventListener(FOCUS_SEARCH, listener);
  return () => window.removeEventListener(FOCUS_SEARCH, listener);
}
