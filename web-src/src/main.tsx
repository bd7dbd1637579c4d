import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from '@adobe/react-spectrum/Provider';
import { defaultTheme } from '@adobe/react-spectrum/defaultTheme';
import { Flex } from '@adobe/react-spectrum/Flex';
import { ProgressCircle } from '@adobe/react-spectrum/ProgressCircle';
import { App, prefetchStartPageData } from './App';
import { ErrorState } from './components/Resource';
import { connectToHost, type PanelHost } from './host';
import { preloadStartPage } from './pages';

function Root() {
  const [host, setHost] = useState<PanelHost | Error | null>(null);
  useEffect(() => {
    hostReady.then(setHost, (error: unknown) => setHost(error instanceof Error ? error : new Error(String(error))));
  }, []);
  // No colorScheme on 'auto': the Provider then follows prefers-color-scheme.
  const colorScheme = host && !(host instanceof Error) && host.colorScheme !== 'auto' ? host.colorScheme : undefined;
  return (
    <Provider theme={defaultTheme} colorScheme={colorScheme} scale="medium" minHeight="100vh">
      {host === null && (
        <Flex justifyContent="center" marginTop="size-1000"><ProgressCircle aria-label="Connecting to the Commerce admin" isIndeterminate /></Flex>
      )}
      {host instanceof Error && <ErrorState title="The connector panel could not start" error={host} onRetry={() => window.location.reload()} />}
      {host && !(host instanceof Error) && <App host={host} />}
    </Provider>
  );
}

// Page code and page data load side by side, and both while the host attaches and the shell
// renders: the start page's chunk now, its data as soon as the host gives credentials.
const hostReady = connectToHost();
preloadStartPage(window.location.hash);
hostReady.then(prefetchStartPageData, () => undefined);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
