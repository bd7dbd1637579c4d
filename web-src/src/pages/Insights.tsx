import { useEffect, useState, type ReactNode } from 'react';
import { ActionButton } from '@adobe/react-spectrum/ActionButton';
import { Flex } from '@adobe/react-spectrum/Flex';
import { Grid, repeat } from '@adobe/react-spectrum/Grid';
import { Heading } from '@adobe/react-spectrum/Heading';
import { Cell, Column, Row, TableBody, TableHeader, TableView } from '@adobe/react-spectrum/TableView';
import { Text } from '@adobe/react-spectrum/Text';
import { View } from '@adobe/react-spectrum/View';
import Download from '@spectrum-icons/workflow/Download';
import type { Channel, ChannelTotals, InsightsResponse, InsightsTable } from '../../../lib/admin/contract';
import { AdminApiError } from '../api';
import { useApi } from '../components/ApiContext';
import { LineChart, StackedBarChart } from '../components/charts';
import { DayRange, lastDays, type DayRangeValue } from '../components/DayRange';
import { saveFile } from '../components/download';
import { formatMoney, formatNumber, formatPercent } from '../components/formatting';
import { ErrorState, Resource } from '../components/Resource';
import { useDebounced } from '../components/useDebounced';
import { useResource } from '../components/useResource';

const CHANNEL_LABELS: Record<Channel, string> = { web: 'Web', store: 'Store' };
/** The scheduler runs every minute and stores a few days a pass. */
const COLLECTING_RETRY_MS = 20_000;

function TotalsTile(props: { channel: Channel; totals: ChannelTotals }) {
  const { totals } = props;
  return (
    <View borderWidth="thin" borderColor="default" borderRadius="medium" padding="size-200" backgroundColor="gray-75">
      <section aria-label={`${CHANNEL_LABELS[props.channel]} totals`}>
        <Heading level={3} margin={0}>{CHANNEL_LABELS[props.channel]}</Heading>
        <Text UNSAFE_style={{ fontSize: 26, fontWeight: 700, display: 'block' }}>{formatMoney(totals.netSales)}</Text>
        <Text UNSAFE_style={{ fontSize: 13 }}>{formatNumber(totals.orders)} {props.channel === 'web' ? 'orders' : 'tickets'} · {formatNumber(totals.units)} units · AOV {formatMoney(totals.aov)}</Text>
      </section>
    </View>
  );
}

/** A table with its heading and a CSV export of the same table from admin-api. */
function ExportableTable(props: { title: string; table: InsightsTable; range: DayRangeValue; children: ReactNode }) {
  const api = useApi();
  const [error, setError] = useState<Error | null>(null);
  const download = async () => {
    setError(null);
    try {
      saveFile(await api.insightsCsv(props.range.from, props.range.to, props.table), `insights-${props.table}-${props.range.from}-${props.range.to}.csv`);
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <View>
      <Flex justifyContent="space-between" alignItems="center">
        <Heading level={3}>{props.title}</Heading>
        <ActionButton onPress={download} aria-label={`Export ${props.title} as CSV`}><Download /><Text>CSV</Text></ActionButton>
      </Flex>
      {props.children}
      {error && <ErrorState title="Export failed" error={error} />}
    </View>
  );
}

function Report(props: { data: InsightsResponse; range: DayRangeValue }) {
  const { data, range } = props;
  const dates = [...new Set(data.days.map((d) => d.date))].sort();
  const pick = (channel: Channel, key: 'netSales' | 'orders') => dates.map((date) => data.days.find((d) => d.date === date && d.channel === channel)?.[key] ?? 0);
  const labels = dates.map((d) => d.slice(5));
  const totalNet = data.totals.web.netSales + data.totals.store.netSales;
  return (
    <Flex direction="column" gap="size-300">
      <Grid columns={repeat('auto-fit', 'minmax(220px, 1fr)')} gap="size-200">
        <TotalsTile channel="web" totals={data.totals.web} />
        <TotalsTile channel="store" totals={data.totals.store} />
        <View borderWidth="thin" borderColor="default" borderRadius="medium" padding="size-200" backgroundColor="gray-75">
          <section aria-label="Customers in both channels">
            <Heading level={3} margin={0}>Customers in both channels</Heading>
            <Text UNSAFE_style={{ fontSize: 26, fontWeight: 700, display: 'block' }}>{formatNumber(data.customers.bothChannels)}</Text>
            <Text UNSAFE_style={{ fontSize: 13 }}>{formatPercent(data.customers.shareOfRevenue)} of {formatMoney(totalNet)} net sales</Text>
          </section>
        </View>
      </Grid>
      <Grid columns={repeat('auto-fit', 'minmax(360px, 1fr)')} gap="size-300">
        <View>
          <Heading level={3}>Net sales per day</Heading>
          <LineChart title="Net sales per day by channel" labels={labels} format={(n) => formatNumber(n)}
            series={[{ name: 'Web', color: 'blue', values: pick('web', 'netSales') }, { name: 'Store', color: 'seafoam', values: pick('store', 'netSales') }]} />
        </View>
        <View>
          <Heading level={3}>Orders and tickets per day</Heading>
          <StackedBarChart title="Web orders and store tickets per day" labels={labels}
            series={[{ name: 'Web orders', color: 'blue', values: pick('web', 'orders') }, { name: 'Store tickets', color: 'seafoam', values: pick('store', 'orders') }]} />
        </View>
      </Grid>
      <ExportableTable title="By day and channel" table="days" range={range}>
        <TableView aria-label="Sales by day and channel" density="compact" maxHeight="size-4600">
          <TableHeader>
            <Column key="date">Day</Column>
            <Column key="channel">Channel</Column>
            <Column key="netSales" align="end">Net sales</Column>
            <Column key="orders" align="end">Orders</Column>
            <Column key="units" align="end">Units</Column>
            <Column key="aov" align="end">Average order</Column>
          </TableHeader>
          <TableBody items={data.days.map((d) => ({ ...d, id: `${d.date}-${d.channel}` }))}>
            {(d) => (
              <Row key={d.id}>
                <Cell>{d.date}</Cell><Cell>{CHANNEL_LABELS[d.channel]}</Cell><Cell>{formatMoney(d.netSales)}</Cell>
                <Cell>{formatNumber(d.orders)}</Cell><Cell>{formatNumber(d.units)}</Cell><Cell>{formatMoney(d.aov)}</Cell>
              </Row>
            )}
          </TableBody>
        </TableView>
      </ExportableTable>
      <Grid columns={repeat('auto-fit', 'minmax(360px, 1fr)')} gap="size-300">
        <ExportableTable title="Top SKUs" table="topSkus" range={range}>
          <TableView aria-label="Top SKUs per channel" density="compact">
            <TableHeader>
              <Column key="channel" width={90}>Channel</Column>
              <Column key="sku">SKU</Column>
              <Column key="units" align="end">Units</Column>
              <Column key="netSales" align="end">Net sales</Column>
            </TableHeader>
            <TableBody items={(['web', 'store'] as const).flatMap((c) => data.topSkus[c].map((s) => ({ ...s, channel: c, id: `${c}-${s.sku}` })))}>
              {(s) => <Row key={s.id}><Cell>{CHANNEL_LABELS[s.channel]}</Cell><Cell>{s.sku}</Cell><Cell>{formatNumber(s.units)}</Cell><Cell>{formatMoney(s.netSales)}</Cell></Row>}
            </TableBody>
          </TableView>
        </ExportableTable>
        <ExportableTable title="Locations" table="locations" range={range}>
          <TableView aria-label="Sell-through and cover per location" density="compact">
            <TableHeader>
              <Column key="name">Location</Column>
              <Column key="sellThrough" align="end">Sell-through</Column>
              <Column key="daysOfCover" align="end">Days of cover</Column>
            </TableHeader>
            <TableBody items={data.locations.map((l) => ({ ...l, id: l.locationId }))}>
              {(l) => <Row key={l.id}><Cell>{l.name}</Cell><Cell>{formatPercent(l.sellThrough)}</Cell><Cell>{l.daysOfCover === null ? 'no sales' : formatNumber(l.daysOfCover)}</Cell></Row>}
            </TableBody>
          </TableView>
        </ExportableTable>
      </Grid>
      <ExportableTable title="Stock-outs that cost web orders" table="stockouts" range={range}>
        {data.stockouts.length === 0 ? <Text>No web order waited for stock in this period.</Text> : (
          <TableView aria-label="Stock-outs" density="compact">
            <TableHeader>
              <Column key="sku">SKU</Column>
              <Column key="ordersAffected" align="end">Web orders held or dead-lettered</Column>
            </TableHeader>
            <TableBody items={data.stockouts.map((s) => ({ ...s, id: s.sku }))}>
              {(s) => <Row key={s.id}><Cell>{s.sku}</Cell><Cell>{formatNumber(s.ordersAffected)}</Cell></Row>}
            </TableBody>
          </TableView>
        )}
      </ExportableTable>
    </Flex>
  );
}

export default function Insights() {
  const api = useApi();
  const [range, setRange] = useState(() => lastDays(14));
  const period = useDebounced(range, 400);
  const state = useResource(() => api.insights(period.from, period.to), [period.from, period.to]);
  // Days the scheduler has not collected yet (a period older than the month it keeps) answer 503
  // `insights_collecting`: the page asks again on its own while the scheduler catches up.
  const collecting = state.status === 'error' && state.error instanceof AdminApiError && state.error.code === 'insights_collecting';
  useEffect(() => {
    if (!collecting) return;
    const timer = setTimeout(state.reload, COLLECTING_RETRY_MS);
    return () => clearTimeout(timer);
  }, [collecting, state.reload]);
  return (
    <Flex direction="column" gap="size-200">
      <Flex><DayRange label="Period" value={range} onChange={setRange} /></Flex>
      <Resource state={state} label="insights" isEmpty={(d) => d.days.length === 0} empty={{ title: 'No sales in this period', body: 'Pick a wider date range; figures appear once the scheduler has collected a day.' }}>
        {(data) => <Report data={data} range={period} />}
      </Resource>
    </Flex>
  );
}
