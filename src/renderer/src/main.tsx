import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import '@mantine/core/styles.css';
import '@mantine/dates/styles.css';
import '@mantine/notifications/styles.css';
import './app/app.css';
import { App } from './app/App';
import { cssVariablesResolver, theme } from './app/theme';
import { createQueryClient } from './lib/queries';
import { followLedgerChanges } from './lib/liveUpdates';
import { SettingsProvider } from './lib/settings';

const queryClient = createQueryClient();
// A change to the ledger, here or at another workstation, refreshes what every screen shows.
followLedgerChanges(queryClient);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={cssVariablesResolver}>
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <SettingsProvider>
          <App />
        </SettingsProvider>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
