import { useState } from 'react';
import { Button } from '@adobe/react-spectrum/Button';
import { Divider } from '@adobe/react-spectrum/Divider';
import { Flex } from '@adobe/react-spectrum/Flex';
import { Heading } from '@adobe/react-spectrum/Heading';
import { StatusLight } from '@adobe/react-spectrum/StatusLight';
import { Cell, Column, Row, TableBody, TableHeader, TableView } from '@adobe/react-spectrum/TableView';
import { Text } from '@adobe/react-spectrum/Text';
import Download from '@spectrum-icons/workflow/Download';
import type { ReconciliationStatus } from '../../../lib/admin/contract';
import { useApi } from '../components/ApiContext';
import { DayRange, lastDays } from '../components/DayRange';
import { saveFile } from '../components/download';
import { formatMoney } from '../components/formatting';
import { ErrorState, Resource } from '../components/Resource';
import { useDebounced } from '../components/useDebounced';
import { useResource } from '../components/useResource';
import { StockDrift } from './StockDrift';

const STATUS: Record<ReconciliationStatus, { label: string; variant: 'positive' | 'negative' | 'notice' }> = {
  matched: { label: 'Matched', variant: 'positive' },
  missing_in_heartland: { label: 'Missing in Heartland', variant: 'negative' },
  missing_in_magento: { label: 'Missing in Magento', variant: 'negative' },
  amount_mismatch: { label: 'Amounts differ', variant: 'notice' },
};

export default function Reports() {
  const api = useApi();
  const [range, setRange] = useState(() => lastDays(7));
  const [downloadError, setDownloadError] = useState<Error | null>(null);
  const period = useDebounced(range, 400);
  const state = useResource(() => api.reconciliation(period.from, period.to), [period.from, period.to]);
  const download = async () => {
    setDownloadError(null);
    try {
      saveFile(await api.reconciliationCsv(period.from, period.to), `reconciliation-${period.from}-${period.to}.csv`);
    } catch (error) {
      setDownloadError(error as Error);
    }
  };
  return (
    <Flex direction="column" gap="size-200">
      <Heading level={2} margin={0}>Orders, payments and refunds</Heading>
      <Flex gap="size-200" alignItems="end" wrap>
        <DayRange label="Period" value={range} onChange={setRange} />
        <Button variant="secondary" onPress={download}><Download /><Text>Download CSV</Text></Button>
      </Flex>
      {downloadError && <ErrorState title="Download failed" error={downloadError} />}
      <Resource state={state} label="the reconciliation" isEmpty={(d) => d.rows.length === 0} empty={{ title: 'Nothing to reconcile', body: 'No orders, payments or refunds in this period.' }}>
        {(data) => (
          <>
            <div role="group" aria-label="Reconciliation summary"><Flex gap="size-300" wrap>
              <Text><strong>{data.summary.total}</strong> records</Text>
              <StatusLight variant="positive">{data.summary.matched} matched</StatusLight>
              <StatusLight variant="negative">{data.summary.missingInHeartland} missing in Heartland</StatusLight>
              <StatusLight variant="negative">{data.summary.missingInMagento} missing in Magento</StatusLight>
              <StatusLight variant="notice">{data.summary.amountMismatch} amounts differ</StatusLight>
            </Flex></div>
            <TableView aria-label="Reconciliation" density="compact">
              <TableHeader>
                <Column key="kind" width={100}>Kind</Column>
                <Column key="magentoRef">Magento</Column>
                <Column key="heartlandRef">Heartland</Column>
                <Column key="magentoAmount" align="end">Magento amount</Column>
                <Column key="heartlandAmount" align="end">Heartland amount</Column>
                <Column key="status" width={220}>Status</Column>
              </TableHeader>
              <TableBody items={data.rows.map((r, i) => ({ ...r, id: i }))}>
                {(r) => (
                  <Row key={r.id}>
                    <Cell>{r.kind}</Cell>
                    <Cell>{r.magentoRef ?? '—'}</Cell>
                    <Cell>{r.heartlandRef ?? '—'}</Cell>
                    <Cell>{formatMoney(r.magentoAmount)}</Cell>
                    <Cell>{formatMoney(r.heartlandAmount)}</Cell>
                    <Cell><StatusLight variant={STATUS[r.status].variant}>{STATUS[r.status].label}</StatusLight></Cell>
                  </Row>
                )}
              </TableBody>
            </TableView>
          </>
        )}
      </Resource>
      <Divider size="S" marginTop="size-300" />
      <StockDrift />
    </Flex>
  );
}
