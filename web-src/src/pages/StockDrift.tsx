import { useState } from 'react';
import { ActionButton } from '@adobe/react-spectrum/ActionButton';
import { Button } from '@adobe/react-spectrum/Button';
import { Content } from '@adobe/react-spectrum/Content';
import { Flex } from '@adobe/react-spectrum/Flex';
import { Heading } from '@adobe/react-spectrum/Heading';
import { InlineAlert } from '@adobe/react-spectrum/InlineAlert';
import { StatusLight } from '@adobe/react-spectrum/StatusLight';
import { Cell, Column, Row, TableBody, TableHeader, TableView } from '@adobe/react-spectrum/TableView';
import { Text } from '@adobe/react-spectrum/Text';
import Download from '@spectrum-icons/workflow/Download';
import type { DriftFixResponse, DriftResponse } from '../../../lib/admin/contract';
import { useApi } from '../components/ApiContext';
import { saveFile } from '../components/download';
import { formatDateTime, formatNumber } from '../components/formatting';
import { EmptyState, ErrorState, Resource } from '../components/Resource';
import { useResource } from '../components/useResource';

/** admin-api takes at most this many SKUs per fix; "Fix all shown" sends larger lists in parts. */
const SKUS_PER_FIX = 500;

type Notice = { variant: 'positive' | 'notice'; title: string; body: string };

const quantity = (n: number | null) => (n === null ? '—' : formatNumber(n));
const plural = (n: number, one: string, many = `${one}s`) => `${formatNumber(n)} ${n === 1 ? one : many}`;

/** Sums the answers of a fix sent in parts. */
function mergeFixes(parts: DriftFixResponse[]): DriftFixResponse {
  const held = parts.find((p) => p.held)?.held;
  return {
    fixed: parts.reduce((s, p) => s + p.fixed, 0),
    unknownSkus: parts.flatMap((p) => p.unknownSkus),
    sourceItems: parts.reduce((s, p) => s + p.sourceItems, 0),
    writeCalls: parts.reduce((s, p) => s + p.writeCalls, 0),
    ...(held ? { held } : {}),
  };
}

function fixNotice(result: DriftFixResponse): Notice {
  if (result.held) {
    return { variant: 'notice', title: 'Held for approval', body: `The wipe guard held this push (${result.held.reasons.join('; ')}). Approve it on the Anomalies page.` };
  }
  const unknown = result.unknownSkus.length ? ` Not in Heartland, so not pushed: ${result.unknownSkus.join(', ')}.` : '';
  return { variant: 'positive', title: 'Stock pushed', body: `${plural(result.fixed, 'SKU')} pushed from Heartland to Magento (${plural(result.sourceItems, 'source item')}).${unknown}` };
}

/**
 * Reports → Stock drift: what the last full inventory reconciliation found different between
 * Heartland (what the connector's formula gives) and Magento's source items, with a fix per SKU.
 * The reconciliation already repaired what it found; "Fix" pushes Heartland's current values again
 * for SKUs someone changed in Magento since.
 */
export function StockDrift() {
  const api = useApi();
  const state = useResource(() => api.drift(), []);
  /** What is in flight: 'run', 'all', 'download' or `sku:<sku>`; one action at a time. */
  const [busy, setBusy] = useState<string | null>(null);
  const [fixed, setFixed] = useState<Map<string, 'fixed' | 'held'>>(new Map());
  const [notice, setNotice] = useState<Notice | null>(null);
  const [actionError, setActionError] = useState<{ title: string; error: Error } | null>(null);

  const act = async (what: string, title: string, run: () => Promise<void>) => {
    setBusy(what);
    setNotice(null);
    setActionError(null);
    try {
      await run();
    } catch (error) {
      setActionError({ title, error: error as Error });
    } finally {
      setBusy(null);
    }
  };

  const fix = (skus: string[], what: string) =>
    act(what, 'Fix failed', async () => {
      const unique = [...new Set(skus)];
      const parts: DriftFixResponse[] = [];
      for (let i = 0; i < unique.length; i += SKUS_PER_FIX) parts.push(await api.fixDrift(unique.slice(i, i + SKUS_PER_FIX)));
      const result = mergeFixes(parts);
      const unknown = new Set(result.unknownSkus);
      setFixed((previous) => {
        const next = new Map(previous);
        for (const sku of unique) if (!unknown.has(sku)) next.set(sku, result.held ? 'held' : 'fixed');
        return next;
      });
      setNotice(fixNotice(result));
    });

  const runFull = () =>
    act('run', 'Could not start the reconciliation', async () => {
      const job = await api.syncNow('inventory', { full: true });
      setNotice({ variant: 'positive', title: 'Full reconciliation started', body: `Job ${job.jobId} compares every SKU with Magento and pushes the differences. Refresh when it has finished.` });
    });

  const download = (report: DriftResponse) =>
    act('download', 'Download failed', async () => saveFile(await api.driftCsv(report.runId), `stock-drift-${report.runId}.csv`));

  return (
    <section aria-labelledby="stock-drift-heading">
      <Flex direction="column" gap="size-200">
        <Heading level={2} id="stock-drift-heading" margin={0}>Stock drift</Heading>
        <Flex gap="size-200" alignItems="center" wrap>
          <Button variant="accent" onPress={runFull} isPending={busy === 'run'} isDisabled={busy !== null && busy !== 'run'}>Run full reconciliation</Button>
          <Button variant="secondary" onPress={() => { setFixed(new Map()); state.reload(); }} isDisabled={busy !== null}>Refresh</Button>
          {state.data && (
            <>
              <Button variant="secondary" onPress={() => download(state.data!)} isDisabled={busy !== null}><Download /><Text>Download drift CSV</Text></Button>
              <Button
                variant="primary"
                onPress={() => fix(state.data!.rows.map((r) => r.sku), 'all')}
                isPending={busy === 'all'}
                isDisabled={state.data.rows.length === 0 || (busy !== null && busy !== 'all')}
              >
                Fix all shown
              </Button>
            </>
          )}
        </Flex>
        {notice && (
          <InlineAlert variant={notice.variant === 'positive' ? 'positive' : 'notice'}>
            <Heading>{notice.title}</Heading>
            <Content>{notice.body}</Content>
          </InlineAlert>
        )}
        {actionError && <ErrorState title={actionError.title} error={actionError.error} />}
        <Resource
          state={state}
          label="the stock drift report"
          isEmpty={(d) => d === null}
          empty={{ title: 'No stock reconciliation yet', body: 'Run a full reconciliation to compare every SKU in Heartland with Magento.' }}
        >
          {(report) => report && <DriftTable report={report} fixed={fixed} busy={busy} onFix={(sku) => fix([sku], `sku:${sku}`)} />}
        </Resource>
      </Flex>
    </section>
  );
}

function DriftTable(props: { report: DriftResponse; fixed: Map<string, 'fixed' | 'held'>; busy: string | null; onFix: (sku: string) => void }) {
  const { report, fixed, busy } = props;
  const { summary } = report;
  return (
    <Flex direction="column" gap="size-200">
      <div role="group" aria-label="Stock drift summary"><Flex gap="size-300" wrap>
        <Text>Run of {formatDateTime(report.at)}: <strong>{formatNumber(summary.skus)}</strong> SKUs compared</Text>
        <StatusLight variant={summary.drifting ? 'notice' : 'positive'}>{plural(summary.drifting, 'source item')} drifting</StatusLight>
        <StatusLight variant={summary.missingInMagento ? 'notice' : 'neutral'}>{formatNumber(summary.missingInMagento)} missing in Magento</StatusLight>
        {!summary.complete && <StatusLight variant="info">Still running: refresh for the rest</StatusLight>}
        {summary.held.length > 0 && <StatusLight variant="negative">{plural(summary.held.length, 'batch', 'batches')} held (see Anomalies)</StatusLight>}
      </Flex></div>
      <Text>Heartland and Magento are per source. Available / salable is per SKU over all sources: Heartland's available quantity next to what Magento would sell, read before the run repaired it.</Text>
      {report.rows.length === 0 ? (
        <EmptyState title="No drift" body="Magento matched Heartland for every SKU in this run." />
      ) : (
        <TableView aria-label="Stock drift" density="compact">
          <TableHeader>
            <Column key="sku">SKU</Column>
            <Column key="source">Source</Column>
            <Column key="heartland" align="end">Heartland</Column>
            <Column key="magento" align="end">Magento</Column>
            <Column key="lastPushed" align="end">Last pushed</Column>
            <Column key="salable" align="end">Available / salable</Column>
            <Column key="fix" width={170}>Fix</Column>
          </TableHeader>
          <TableBody items={report.rows.map((r) => ({ ...r, id: `${r.sku}|${r.source}` }))}>
            {(r) => (
              <Row key={r.id}>
                <Cell>{r.sku}</Cell>
                <Cell>{r.source}</Cell>
                <Cell>{quantity(r.heartland)}</Cell>
                <Cell>{r.magento === null ? 'missing' : quantity(r.magento)}</Cell>
                <Cell>{r.lastPushed === null ? 'never' : quantity(r.lastPushed)}</Cell>
                <Cell>{r.heartlandAvailable === undefined ? '—' : `${quantity(r.heartlandAvailable)} / ${quantity(r.magentoSalable ?? null)}`}</Cell>
                <Cell>
                  {fixed.get(r.sku) === 'fixed' ? (
                    <StatusLight variant="positive">Pushed</StatusLight>
                  ) : fixed.get(r.sku) === 'held' ? (
                    <StatusLight variant="notice">Held</StatusLight>
                  ) : (
                    <ActionButton aria-label={`Fix ${r.sku} at ${r.source}`} onPress={() => props.onFix(r.sku)} isDisabled={busy !== null}>
                      {busy === `sku:${r.sku}` ? 'Fixing…' : 'Fix'}
                    </ActionButton>
                  )}
                </Cell>
              </Row>
            )}
          </TableBody>
        </TableView>
      )}
    </Flex>
  );
}
