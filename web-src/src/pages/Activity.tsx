import { useState } from 'react';
import { ActionButton } from '@adobe/react-spectrum/ActionButton';
import { Flex } from '@adobe/react-spectrum/Flex';
import { Item, Picker } from '@adobe/react-spectrum/Picker';
import { SearchField } from '@adobe/react-spectrum/SearchField';
import { StatusLight } from '@adobe/react-spectrum/StatusLight';
import { Cell, Column, Row, TableBody, TableHeader, TableView } from '@adobe/react-spectrum/TableView';
import { Text } from '@adobe/react-spectrum/Text';
import { TextField } from '@adobe/react-spectrum/TextField';
import type { ActivityItem, Outcome, RecordRef } from '../../../lib/admin/contract';
import { outcome as outcomeSchema } from '../../../lib/admin/contract';
import { useApi } from '../components/ApiContext';
import { FlowPicker } from '../components/FlowPicker';
import { formatDateTime, formatDuration, OUTCOME_LABELS, OUTCOME_VARIANTS } from '../components/formatting';
import { Resource } from '../components/Resource';
import { useResource } from '../components/useResource';

const PER_PAGE = 25;

function RefText(props: { value?: RecordRef }) {
  if (!props.value) return <>—</>;
  const text = props.value.label ?? `${props.value.system} ${props.value.id}`;
  return props.value.url ? <a href={props.value.url} target="_blank" rel="noreferrer">{text}</a> : <>{text}</>;
}

function describeResult(item: ActivityItem): string {
  if (item.error) return `${item.error.field ? `${item.error.field}: ` : ''}${item.error.message}`;
  return item.reason ?? '';
}

/** Accepts an empty value or a calendar day; anything else is flagged before it reaches the API. */
const isDay = (value: string) => value === '' || /^\d{4}-\d{2}-\d{2}$/.test(value);

export default function Activity() {
  const api = useApi();
  const [flow, setFlow] = useState('');
  const [outcome, setOutcome] = useState<Outcome | ''>('');
  const [entityId, setEntityId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [page, setPage] = useState(1);
  const datesValid = isDay(from) && isDay(to);
  const state = useResource(
    () => (datesValid
      ? api.activity({ flow: flow || undefined, outcome: outcome || undefined, entityId: entityId || undefined, from: from || undefined, to: to || undefined, page, perPage: PER_PAGE })
      : Promise.reject(new Error('Dates are written as YYYY-MM-DD.'))),
    [flow, outcome, entityId, from, to, page],
  );
  const resetPage = <T,>(set: (v: T) => void) => (v: T) => { set(v); setPage(1); };
  return (
    <Flex direction="column" gap="size-200">
      <div role="search" aria-label="Filter activity"><Flex gap="size-200" wrap alignItems="end">
        <FlowPicker value={flow} onChange={resetPage(setFlow)} />
        <Picker label="Outcome" selectedKey={outcome || 'all'} onSelectionChange={(k) => resetPage(setOutcome)(k === 'all' ? '' : (k as Outcome))} width="size-2000">
          {[<Item key="all">All outcomes</Item>, ...outcomeSchema.options.map((o) => <Item key={o}>{OUTCOME_LABELS[o]}</Item>)]}
        </Picker>
        <SearchField label="Order number, SKU or id" onSubmit={resetPage(setEntityId)} onClear={() => resetPage(setEntityId)('')} width="size-3000" />
        <TextField label="From (YYYY-MM-DD)" value={from} onChange={resetPage(setFrom)} validationState={isDay(from) ? undefined : 'invalid'} width="size-2000" />
        <TextField label="To (YYYY-MM-DD)" value={to} onChange={resetPage(setTo)} validationState={isDay(to) ? undefined : 'invalid'} width="size-2000" />
      </Flex></div>
      <Resource state={state} label="activity" isEmpty={(d) => d.items.length === 0} empty={{ title: 'Nothing matches', body: 'No units of work match these filters. Widen the dates or clear a filter.' }}>
        {(data) => (
          <>
            <TableView aria-label="Units of work" density="compact" overflowMode="wrap">
              <TableHeader>
                <Column key="startedAt" width={170}>Started</Column>
                <Column key="flow" width={110}>Flow</Column>
                <Column key="entity" width={150}>Entity</Column>
                <Column key="outcome" width={170}>Outcome</Column>
                <Column key="attempts" width={80} align="end">Attempts</Column>
                <Column key="duration" width={90} align="end">Duration</Column>
                <Column key="source">Source</Column>
                <Column key="target">Target</Column>
                <Column key="detail">Reason or error</Column>
              </TableHeader>
              <TableBody items={data.items}>
                {(item) => (
                  <Row key={item.id}>
                    <Cell>{formatDateTime(item.startedAt)}</Cell>
                    <Cell>{item.flow}</Cell>
                    <Cell>{item.entityId}</Cell>
                    <Cell><StatusLight variant={OUTCOME_VARIANTS[item.outcome]}>{OUTCOME_LABELS[item.outcome]}</StatusLight></Cell>
                    <Cell>{item.attempts}</Cell>
                    <Cell>{formatDuration(item.durationMs)}</Cell>
                    <Cell><RefText value={item.sourceRef} /></Cell>
                    <Cell><RefText value={item.targetRef} /></Cell>
                    <Cell>{describeResult(item)}</Cell>
                  </Row>
                )}
              </TableBody>
            </TableView>
            <Flex gap="size-100" alignItems="center" justifyContent="end">
              <ActionButton onPress={() => setPage(page - 1)} isDisabled={data.page <= 1}>Previous</ActionButton>
              <Text aria-live="polite">Page {data.page} of {Math.max(1, data.pages)} · {data.total} units</Text>
              <ActionButton onPress={() => setPage(page + 1)} isDisabled={data.page >= data.pages}>Next</ActionButton>
            </Flex>
          </>
        )}
      </Resource>
    </Flex>
  );
}
