import { useState } from 'react';
import { ActionButton } from '@adobe/react-spectrum/ActionButton';
import { Button } from '@adobe/react-spectrum/Button';
import { Content } from '@adobe/react-spectrum/Content';
import { Flex } from '@adobe/react-spectrum/Flex';
import { Grid, repeat } from '@adobe/react-spectrum/Grid';
import { Heading } from '@adobe/react-spectrum/Heading';
import { InlineAlert } from '@adobe/react-spectrum/InlineAlert';
import { Item, Picker } from '@adobe/react-spectrum/Picker';
import { Cell, Column, Row, TableBody, TableHeader, TableView } from '@adobe/react-spectrum/TableView';
import { Text } from '@adobe/react-spectrum/Text';
import { TextField } from '@adobe/react-spectrum/TextField';
import { View } from '@adobe/react-spectrum/View';
import type { Selection } from '@adobe/react-spectrum/Picker';
import type { DeadLetterStatus, ReplayResponse } from '../../../lib/admin/contract';
import { deadLetterStatus, discardRequest } from '../../../lib/admin/contract';
import { useApi } from '../components/ApiContext';
import { FlowPicker } from '../components/FlowPicker';
import { formatDateTime, OUTCOME_LABELS } from '../components/formatting';
import { JsonBlock } from '../components/JsonBlock';
import { ErrorState, Resource } from '../components/Resource';
import { useResource } from '../components/useResource';

const STATUS_LABELS: Record<DeadLetterStatus, string> = { open: 'Open', replayed: 'Replayed', discarded: 'Discarded' };

function ReplayResults(props: { results: ReplayResponse['results'] }) {
  const failed = props.results.filter((r) => r.outcome !== 'done');
  return (
    <InlineAlert variant={failed.length ? 'notice' : 'positive'}>
      <Heading>{props.results.length - failed.length} of {props.results.length} replayed to done</Heading>
      <Content>
        <ul style={{ margin: 0, paddingLeft: 18 }}>
          {props.results.map((r) => <li key={r.id}>{r.id}: {OUTCOME_LABELS[r.outcome]}{r.message ? ` — ${r.message}` : ''}</li>)}
        </ul>
      </Content>
    </InlineAlert>
  );
}

function Detail(props: { id: string; onChanged: (results?: ReplayResponse['results']) => void; onClose: () => void }) {
  const api = useApi();
  const state = useResource(() => api.deadLetter(props.id), [props.id]);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const [actionError, setActionError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setActionError(null);
    try { await work(); } catch (error) { setActionError(error as Error); } finally { setBusy(false); }
  };
  const replay = () => act(async () => props.onChanged((await api.replay({ ids: [props.id] })).results));
  const discard = () => {
    const check = discardRequest.safeParse({ reason });
    if (!check.success) { setReasonError(check.error.issues[0]?.message); return; }
    setReasonError(undefined);
    return act(async () => { await api.discard(props.id, reason); props.onChanged(); });
  };
  return (
    <View borderWidth="thin" borderColor="default" borderRadius="medium" padding="size-200">
      <section aria-label="Dead letter detail">
        <Resource state={state} label="the dead letter">
          {(data) => (
            <Flex direction="column" gap="size-150">
              <Flex justifyContent="space-between" alignItems="center">
                <Heading level={3} margin={0}>{data.summary.flow} {data.summary.entityId}</Heading>
                <ActionButton isQuiet onPress={props.onClose}>Close</ActionButton>
              </Flex>
              <InlineAlert variant="negative">
                <Heading>{data.error.system ? `${data.error.system} rejected it` : 'It failed'}{data.error.status ? ` (${data.error.status})` : ''}</Heading>
                <Content>{data.error.field ? <><strong>{data.error.field}</strong>: </> : null}{data.error.message}</Content>
              </InlineAlert>
              <Text>Key {data.summary.key} · {data.summary.attempts} attempts · first seen {formatDateTime(data.summary.firstSeen)} · last {formatDateTime(data.summary.lastSeen)}</Text>
              <Grid columns={repeat('auto-fit', 'minmax(300px, 1fr)')} gap="size-200">
                <View><Heading level={4}>Source payload</Heading><JsonBlock label="Source payload" value={data.sourcePayload} /></View>
                <View><Heading level={4}>Mapped payload</Heading><JsonBlock label="Mapped payload" value={data.mappedPayload} /></View>
              </Grid>
              {data.summary.status === 'open' && (
                <Flex gap="size-200" alignItems="end" wrap>
                  <Button variant="accent" onPress={replay} isPending={busy}>Replay this one</Button>
                  <TextField label="Reason to discard" value={reason} onChange={setReason} width="size-4600"
                    validationState={reasonError ? 'invalid' : undefined} errorMessage={reasonError} />
                  <Button variant="negative" onPress={discard} isDisabled={busy}>Discard</Button>
                </Flex>
              )}
              {actionError && <ErrorState title="That did not work" error={actionError} />}
            </Flex>
          )}
        </Resource>
      </section>
    </View>
  );
}

export default function DeadLetters() {
  const api = useApi();
  const [flow, setFlow] = useState('');
  const [status, setStatus] = useState<DeadLetterStatus>('open');
  const [selected, setSelected] = useState<Selection>(new Set());
  const [openId, setOpenId] = useState<string | null>(null);
  const [results, setResults] = useState<ReplayResponse['results'] | null>(null);
  const [replayError, setReplayError] = useState<Error | null>(null);
  const state = useResource(() => api.deadLetters({ flow: flow || undefined, status }), [flow, status]);
  const replay = async (body: Parameters<typeof api.replay>[0]) => {
    setReplayError(null);
    try {
      setResults((await api.replay(body)).results);
      setSelected(new Set());
      state.reload();
    } catch (error) {
      setReplayError(error as Error);
    }
  };
  const selectedIds = (items: { id: string }[]) => (selected === 'all' ? items.map((i) => i.id) : [...selected].map(String));
  return (
    <Flex direction="column" gap="size-200">
      <Flex gap="size-200" alignItems="end" wrap>
        <FlowPicker value={flow} onChange={setFlow} />
        <Picker label="Status" selectedKey={status} onSelectionChange={(k) => setStatus(k as DeadLetterStatus)} width="size-1600">
          {deadLetterStatus.options.map((s) => <Item key={s}>{STATUS_LABELS[s]}</Item>)}
        </Picker>
      </Flex>
      {results && <ReplayResults results={results} />}
      {replayError && <ErrorState title="Replay failed" error={replayError} />}
      <Resource state={state} label="dead letters" isEmpty={(d) => d.items.length === 0}
        empty={{ title: status === 'open' ? 'No dead letters' : `No ${STATUS_LABELS[status].toLowerCase()} dead letters`, body: 'Everything that failed for good shows up here with its payload and error.' }}>
        {(data) => (
          <Flex direction="column" gap="size-200">
            {status === 'open' && (
              <Flex gap="size-100">
                <Button variant="primary" isDisabled={selectedIds(data.items).length === 0} onPress={() => replay({ ids: selectedIds(data.items) })}>Replay selected ({selectedIds(data.items).length})</Button>
                <Button variant="secondary" onPress={() => replay(flow ? { flow } : { all: true })}>Replay all{flow ? ` ${flow}` : ''}</Button>
              </Flex>
            )}
            <TableView aria-label="Dead letters" selectionMode={status === 'open' ? 'multiple' : 'none'} selectedKeys={selected} onSelectionChange={setSelected}
              onAction={(key) => setOpenId(String(key))} density="compact" overflowMode="wrap">
              <TableHeader>
                <Column key="entity" width={140}>Entity</Column>
                <Column key="flow" width={100}>Flow</Column>
                <Column key="error">Error</Column>
                <Column key="field" width={140}>Field</Column>
                <Column key="attempts" width={90} align="end">Attempts</Column>
                <Column key="lastSeen" width={170}>Last seen</Column>
              </TableHeader>
              <TableBody items={data.items}>
                {(item) => (
                  <Row key={item.id}>
                    <Cell>{item.entityId}</Cell>
                    <Cell>{item.flow}</Cell>
                    <Cell>{item.error}</Cell>
                    <Cell>{item.field ?? '—'}</Cell>
                    <Cell>{item.attempts}</Cell>
                    <Cell>{formatDateTime(item.lastSeen)}</Cell>
                  </Row>
                )}
              </TableBody>
            </TableView>
            <Text UNSAFE_style={{ fontSize: 12 }}>Open a row (Enter or double-click) to see its payloads and error.</Text>
            {openId && <Detail key={openId} id={openId} onClose={() => setOpenId(null)} onChanged={(r) => { if (r) setResults(r); setOpenId(null); state.reload(); }} />}
          </Flex>
        )}
      </Resource>
    </Flex>
  );
}
