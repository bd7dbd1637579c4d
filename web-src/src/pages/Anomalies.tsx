import { useState } from 'react';
import { Button } from '@adobe/react-spectrum/Button';
import { Content } from '@adobe/react-spectrum/Content';
import { Flex } from '@adobe/react-spectrum/Flex';
import { Heading } from '@adobe/react-spectrum/Heading';
import { InlineAlert } from '@adobe/react-spectrum/InlineAlert';
import { Item, Picker } from '@adobe/react-spectrum/Picker';
import { StatusLight } from '@adobe/react-spectrum/StatusLight';
import { Text } from '@adobe/react-spectrum/Text';
import { TextField } from '@adobe/react-spectrum/TextField';
import { View } from '@adobe/react-spectrum/View';
import type { Anomaly, AnomalyStatus } from '../../../lib/admin/contract';
import { useApi } from '../components/ApiContext';
import { formatDateTime } from '../components/formatting';
import { Resource } from '../components/Resource';
import { useResource } from '../components/useResource';

const STATUS = { open: { label: 'Waiting for a decision', variant: 'notice' }, approved: { label: 'Approved', variant: 'positive' }, rejected: { label: 'Rejected', variant: 'negative' } } as const;
const KIND_LABELS: Record<string, string> = { 'wipe-guard': 'Held stock batch', 'pan-detected': 'Card number redacted', 'fraud-signal': 'Fraud signal' };

function AnomalyCard(props: { anomaly: Anomaly; onDecided: () => void }) {
  const api = useApi();
  const { anomaly } = props;
  const [reason, setReason] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const decide = async (decision: 'approve' | 'reject') => {
    setBusy(true);
    setError(null);
    try {
      await api.decideAnomaly(anomaly.id, decision, reason || undefined);
      props.onDecided();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <View borderWidth="thin" borderColor="default" borderRadius="medium" padding="size-200">
      <article aria-label={anomaly.summary}>
        <Flex justifyContent="space-between" wrap gap="size-100">
          <Heading level={3} margin={0}>{KIND_LABELS[anomaly.kind] ?? anomaly.kind} · {anomaly.flow}</Heading>
          <StatusLight variant={STATUS[anomaly.status].variant}>{STATUS[anomaly.status].label}</StatusLight>
        </Flex>
        <Text UNSAFE_style={{ display: 'block', margin: '6px 0' }}>{anomaly.summary}</Text>
        <Text UNSAFE_style={{ fontSize: 12, color: 'var(--spectrum-global-color-gray-700)' }}>Detected {formatDateTime(anomaly.detectedAt)}</Text>
        <dl style={{ display: 'grid', gridTemplateColumns: 'max-content auto', gap: '2px 12px', fontSize: 13 }}>
          {Object.entries(anomaly.details).map(([key, value]) => (
            <div key={key} style={{ display: 'contents' }}><dt>{key}</dt><dd style={{ margin: 0 }}>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</dd></div>
          ))}
        </dl>
        {anomaly.status === 'open' && (
          <Flex gap="size-150" alignItems="end" wrap>
            <TextField label="Reason (optional)" value={reason} onChange={setReason} width="size-4600" />
            <Button variant="accent" onPress={() => decide('approve')} isPending={busy}>Approve and apply</Button>
            <Button variant="negative" onPress={() => decide('reject')} isDisabled={busy}>Reject</Button>
          </Flex>
        )}
        {error && <InlineAlert variant="negative" marginTop="size-100"><Heading>Decision not saved</Heading><Content>{error.message}</Content></InlineAlert>}
      </article>
    </View>
  );
}

export default function Anomalies() {
  const api = useApi();
  const [status, setStatus] = useState<AnomalyStatus | 'all'>('open');
  const state = useResource(() => api.anomalies(status === 'all' ? undefined : status), [status]);
  return (
    <Flex direction="column" gap="size-200">
      <Picker label="Show" selectedKey={status} onSelectionChange={(k) => setStatus(k as AnomalyStatus | 'all')} width="size-2400">
        <Item key="open">Waiting for a decision</Item>
        <Item key="approved">Approved</Item>
        <Item key="rejected">Rejected</Item>
        <Item key="all">All</Item>
      </Picker>
      <Resource state={state} label="anomalies" isEmpty={(d) => d.items.length === 0}
        empty={{ title: 'Nothing held', body: 'Batches that look wrong (for example a stock update that would zero many SKUs) wait here for a decision.' }}>
        {(data) => <Flex direction="column" gap="size-200">{data.items.map((a) => <AnomalyCard key={a.id} anomaly={a} onDecided={state.reload} />)}</Flex>}
      </Resource>
    </Flex>
  );
}
