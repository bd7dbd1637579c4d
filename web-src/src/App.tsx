import { Component, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Flex } from '@adobe/react-spectrum/Flex';
import { Heading } from '@adobe/react-spectrum/Heading';
import { ProgressCircle } from '@adobe/react-spectrum/ProgressCircle';
import { Item, TabList, TabPanels, Tabs } from '@adobe/react-spectrum/Tabs';
import { View } from '@adobe/react-spectrum/View';
import { adminApiUrl, createAdminApi } from './api';
import { ApiContext } from './components/ApiContext';
import { prefetch } from './components/prefetch';
import { ErrorState } from './components/Resource';
import type { PanelHost } from './host';
import { PANEL_PAGES, pageKeyFromHash, RESEND_ORDERS_HASH, ResendOrdersPage } from './pages';

/** A page chunk that fails to load (deploy in progress, network) shows an error, not a blank panel. */
class PageBoundary extends Component<{ name: string; children: ReactNode }, { error?: Error }> {
  override state: { error?: Error } = {};
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    if (this.state.error) return <ErrorState title={`The ${this.props.name} page failed`} error={this.state.error} onRetry={() => this.setState({ error: undefined })} />;
    return this.props.children;
  }
}

function useHashPage(): [string, (key: string) => void] {
  const [key, setKey] = useState(() => pageKeyFromHash(window.location.hash));
  useEffect(() => {
    const onHash = () => setKey(pageKeyFromHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const select = (next: string) => {
    if (pageKeyFromHash(window.location.hash) !== next) window.location.hash = `#/${next}`;
    setKey(next);
  };
  return [key, select];
}

/**
 * Starts the Overview's one request (`GET status`) as soon as the host has given credentials,
 * before React has rendered the shell or the Overview's chunk has arrived; the page takes it.
 */
export function prefetchStartPageData(host: PanelHost, location: Location = window.location): void {
  if (location.hash.startsWith(RESEND_ORDERS_HASH) || pageKeyFromHash(location.hash) !== 'overview') return;
  const api = createAdminApi({ baseUrl: adminApiUrl(location), token: host.token, orgId: host.orgId });
  prefetch('status', () => api.status());
}

export function App(props: { host: PanelHost }) {
  const api = useMemo(
    () => createAdminApi({ baseUrl: adminApiUrl(), token: props.host.token, orgId: props.host.orgId }),
    [props.host],
  );
  const [pageKey, setPageKey] = useHashPage();
  if (window.location.hash.startsWith(RESEND_ORDERS_HASH)) {
    return (
      <ApiContext.Provider value={api}>
        <View padding="size-300">
          <PageBoundary name="Resend to Heartland">
            <Suspense fallback={<ProgressCircle aria-label="Loading" isIndeterminate />}>
              <ResendOrdersPage orderIds={props.host.selectedIds} />
            </Suspense>
          </PageBoundary>
        </View>
      </ApiContext.Provider>
    );
  }
  return (
    <ApiContext.Provider value={api}>
      <View paddingX="size-300" paddingY="size-200" minHeight="100vh" backgroundColor="gray-50">
        <Flex alignItems="baseline" gap="size-200">
          <Heading level={1} margin={0} UNSAFE_style={{ fontSize: 22 }}>Heartland Commerce Connector</Heading>
          {props.host.kind === 'standalone' && <span style={{ fontSize: 12, color: 'var(--spectrum-global-color-gray-700)' }}>sandbox</span>}
        </Flex>
        <Tabs aria-label="Connector pages" selectedKey={pageKey} onSelectionChange={(key) => setPageKey(String(key))} marginTop="size-100">
          <TabList>
            {PANEL_PAGES.map((page) => <Item key={page.key}>{page.name}</Item>)}
          </TabList>
          <TabPanels UNSAFE_style={{ border: 'none' }}>
            {PANEL_PAGES.map((page) => (
              <Item key={page.key}>
                <PageBoundary name={page.name}>
                  <Suspense fallback={<Flex justifyContent="center" marginTop="size-400"><ProgressCircle aria-label={`Loading ${page.name}`} isIndeterminate /></Flex>}>
                    <View paddingTop="size-200"><page.component /></View>
                  </Suspense>
                </PageBoundary>
              </Item>
            ))}
          </TabPanels>
        </Tabs>
      </View>
    </ApiContext.Provider>
  );
}
