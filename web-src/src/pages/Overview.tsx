import type { ReactNode } from 'react';
import { Flex } from '@adobe/react-spectrum/Flex';
import { Grid, repeat } from '@adobe/react-spectrum/Grid';
import { Heading } from '@adobe/react-spectrum/Heading';
import { StatusLight } from '@adobe/react-spectrum/StatusLight';
import { Text } from '@adobe/react-spectrum/Text';
import { View } from '@adobe/react-spectrum/View';
import type { ConnectionStatus, FlowStatus, StatusHour } from '../../../lib/admin/contract';
import { LineChart, StackedBarChart } from '../components/charts';
import { useApi } from '../components/ApiContext';
import { formatAgo, formatNumber, OUTCOME_LABELS } from '../components/formatting';
import { takePrefetched } from '../components/prefetch';
import { EmptyState, Resource } from '../components/Resource';
import { useResource } from '../components/useResource';

function flowHealth(flow: FlowStatus): { variant: 'positive' | 'notice' | 'negative' | 'neutral'; text: string } {
  if (!flow.enabled) return { variant: 'neutral', text: 'Paused' };
  if (flow.dlqDepth > 0 || flow.lastOutcome === 'deadLettered') return { variant: 'negative', text: `${flow.dlqDepth} need attention` };
  if (flow.counts.retryScheduled > 0) return { variant: 'notice', text: 'Retrying' };
  return { variant: 'positive', text: 'Healthy' };
}

function Tile(props: { children: ReactNode; label: string }) {
  return (
    <View borderWidth="thin" borderColor="default" borderRadius="medium" padding="size-200" backgroundColor="gray-75">
      <section aria-label={props.label}>{props.children}</section>
    </View>
  );
}

function ConnectionTile(props: { name: string; status: ConnectionStatus }) {
  const { status } = props;
  const variant = !status.configured ? 'neutral' : status.ok ? 'positive' : 'negative';
  return (
    <Tile label={`${props.name} connection`}>
      <Heading level={3} margin={0}>{props.name}</Heading>
      <StatusLight variant={variant}>{!status.configured ? 'Not configured' : status.ok ? 'Connected' : 'Failing'}</StatusLight>
      <Text UNSAFE_style={{ fontSize: 12, display: 'block' }}>{status.message}</Text>
      <Text UNSAFE_style={{ fontSize: 12, color: 'var(--spectrum-global-color-gray-700)' }}>Checked {formatAgo(status.checkedAt)}</Text>
    </Tile>
  );
}

function Figure(props: { label: string; value: number; tone?: 'negative' }) {
  return (
    <Tile label={props.label}>
      <Text UNSAFE_style={{ fontSize: 12, display: 'block', color: 'var(--spectrum-global-color-gray-700)' }}>{props.label}</Text>
      <Text UNSAFE_style={{ fontSize: 28, fontWeight: 700, color: props.tone && props.value > 0 ? 'var(--spectrum-global-color-red-600)' : undefined }}>{formatNumber(props.value)}</Text>
    </Tile>
  );
}

function FlowTile(props: { flow: FlowStatus }) {
  const { flow } = props;
  const health = flowHealth(flow);
  return (
    <Tile label={`${flow.label} flow`}>
      <Flex justifyContent="space-between" alignItems="center" gap="size-100">
        <Heading level={3} margin={0}>{flow.label}</Heading>
        <StatusLight variant={health.variant}>{health.text}</StatusLight>
      </Flex>
      <Text UNSAFE_style={{ fontSize: 12, color: 'var(--spectrum-global-color-gray-700)' }}>Last sync {formatAgo(flow.lastRunAt)}</Text>
      <dl style={{ display: 'grid', gridTemplateColumns: 'auto auto', gap: '2px 12px', margin: '8px 0 0', fontSize: 13 }}>
        {(Object.keys(OUTCOME_LABELS) as Array<keyof typeof OUTCOME_LABELS>).map((outcome) => (
          <div key={outcome} style={{ display: 'contents' }}>
            <dt>{OUTCOME_LABELS[outcome]}</dt>
            <dd style={{ margin: 0, textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>{formatNumber(flow.counts[outcome])}</dd>
          </div>
        ))}
        <dt>Dead letters open</dt>
        <dd style={{ margin: 0, textAlign: 'right' }}>{flow.dlqDepth}</dd>
      </dl>
    </Tile>
  );
}

/** The status's hours (all flows summed by admin-api), as chart labels and series. */
function byHour(hours: StatusHour[]) {
  return {
    labels: hours.map((h) => `${new Date(h.hour).getHours().toString().padStart(2, '0')}:00`),
    done: hours.map((h) => h.done),
    skipped: hours.map((h) => h.skipped),
    retry: hours.map((h) => h.retryScheduled),
    dead: hours.map((h) => h.deadLettered),
    p95: hours.map((h) => h.p95Ms ?? 0),
  };
}

const hadWork = (h: StatusHour) => h.done + h.skipped + h.retryScheduled + h.deadLettered > 0;

function Throughput(props: { hours: StatusHour[] }) {
  if (!props.hours.some(hadWork)) return <EmptyState title="No activity in the last 24 hours" body="Charts appear once flows have run." />;
  const hourly = byHour(props.hours);
  return (
    <Grid columns={repeat('auto-fit', 'minmax(360px, 1fr)')} gap="size-300">
      <View>
        <Heading level={2}>Throughput per hour</Heading>
        <StackedBarChart
          title="Units of work per hour by outcome"
          labels={hourly.labels}
          series={[
            { name: OUTCOME_LABELS.done, color: 'green', values: hourly.done },
            { name: OUTCOME_LABELS.skipped, color: 'gray', values: hourly.skipped },
            { name: OUTCOME_LABELS.retryScheduled, color: 'orange', values: hourly.retry },
            { name: OUTCOME_LABELS.deadLettered, color: 'red', values: hourly.dead },
          ]}
        />
      </View>
      <View>
        <Heading level={2}>Errors and latency</Heading>
        <LineChart
          title="Retries and dead letters per hour"
          labels={hourly.labels}
          height={120}
          series={[
            { name: OUTCOME_LABELS.retryScheduled, color: 'orange', values: hourly.retry },
            { name: OUTCOME_LABELS.deadLettered, color: 'red', values: hourly.dead },
          ]}
        />
        <LineChart title="Slowest flow p95 latency per hour (ms)" labels={hourly.labels} height={120} series={[{ name: 'p95 latency (ms)', color: 'blue', values: hourly.p95 }]} />
      </View>
    </Grid>
  );
}

export default function Overview() {
  const api = useApi();
  // One request: status carries the 24 hourly points the charts need (App may have started it already).
  const status = useResource(() => takePrefetched('status', () => api.status()), []);
  return (
    <Flex direction="column" gap="size-300">
      <Resource state={status} label="connector status">
        {(data) => (
          <>
            <Grid columns={repeat('auto-fit', 'minmax(220px, 1fr)')} gap="size-200">
              <ConnectionTile name="Heartland Retail" status={data.connections.heartland} />
              <ConnectionTile name="Adobe Commerce" status={data.connections.commerce} />
              <Figure label="Dead letters waiting" value={data.dlqDepth} tone="negative" />
              <Figure label="Anomalies to review" value={data.anomaliesOpen} tone="negative" />
            </Grid>
            <Heading level={2} marginBottom={0}>Flows (last 24 hours)</Heading>
            {data.flows.length === 0 ? (
              <Text>No flows are configured yet.</Text>
            ) : (
              <Grid columns={repeat('auto-fill', 'minmax(260px, 1fr)')} gap="size-200">
                {data.flows.map((flow) => <FlowTile key={flow.name} flow={flow} />)}
              </Grid>
            )}
          </>
        )}
      </Resource>
      {/* Same answer as above: its loading and error states are shown once, by the tiles. */}
      {status.status !== 'error' && status.data !== undefined && <Throughput hours={status.data.hourly ?? []} />}
    </Flex>
  );
}
