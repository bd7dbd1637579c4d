import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from '@adobe/react-spectrum/Provider';
import { defaultTheme } from '@adobe/react-spectrum/defaultTheme';
import { Flex } from '@adobe/react-spectrum/Flex';
import { ProgressCircle } from '@adobe/react-spectrum/ProgressCircle';
import { App } from './App';
import { ErrorState } from './components/Resource';
import { connectToHost, type PanelHost } from './host';
import { preloadStartPage } from './pages';

function Root() {
  const [host, setHost] = useState<PanelHost | Error | null>(null);
  useEffect(() => {
    connectToHost().then(setHost, (error: unknown) => setHost(error instanceof Error ? error : new Error(String(error))));
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

// The start page's chunk downloads while the host attaches and the shell renders.
preloadStartPage(window.location.hash);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
