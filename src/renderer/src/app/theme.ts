import { createTheme, type CSSVariablesResolver } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  // Shade 7 keeps links and primary buttons above 4.5:1 contrast on white.
  primaryShade: { light: 7, dark: 5 },
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  // The ring shows for keyboard focus (:focus-visible), not after every mouse click.
  focusRing: 'auto',
  // Clerks who ask their system for less motion get dialogs and panels without animation.
  respectReducedMotion: true,
});

const LIGHT_VARIANT_TEXT: Record<string, string> = {
  teal: '#0b5e47',
  red: 'var(--mantine-color-red-9)',
  indigo: 'var(--mantine-color-indigo-9)',
  blue: 'var(--mantine-color-blue-9)',
  gray: 'var(--mantine-color-gray-8)',
  grape: 'var(--mantine-color-grape-9)',
  yellow: '#7a4a00',
  orange: '#9c3a0a',
};

/** Mantine's "dimmed" grey is too faint for small print read all day; this one passes WCAG AA. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': '#5c6670',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    // Text of light badges and alerts, dark enough for 4.5:1 on their tinted backgrounds.
    ...Object.fromEntries(
      Object.entries(LIGHT_VARIANT_TEXT).map(([color, value]) => [`--mantine-color-${color}-light-color`, value]),
    ),
  },
  dark: {},
});
