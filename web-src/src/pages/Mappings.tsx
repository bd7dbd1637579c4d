import { useEffect, useMemo, useState } from 'react';
import { ActionButton } from '@adobe/react-spectrum/ActionButton';
import { Button } from '@adobe/react-spectrum/Button';
import { Content } from '@adobe/react-spectrum/Content';
import { Flex } from '@adobe/react-spectrum/Flex';
import { Grid, repeat } from '@adobe/react-spectrum/Grid';
import { Heading } from '@adobe/react-spectrum/Heading';
import { InlineAlert } from '@adobe/react-spectrum/InlineAlert';
import { Meter } from '@adobe/react-spectrum/Meter';
import { Item, Picker } from '@adobe/react-spectrum/Picker';
import { Cell, Column, Row, TableBody, TableHeader, TableView } from '@adobe/react-spectrum/TableView';
import { Text } from '@adobe/react-spectrum/Text';
import { TextArea } from '@adobe/react-spectrum/TextArea';
import { TextField } from '@adobe/react-spectrum/TextField';
import { View } from '@adobe/react-spectrum/View';
import Add from '@spectrum-icons/workflow/Add';
import Remove from '@spectrum-icons/workflow/Remove';
import type { EntityMapping, MappingDocument, MappingProblem, MappingRule, MappingsResponse, PreviewMappingResponse } from '../../../lib/admin/contract';
import { useApi } from '../components/ApiContext';
import { formatDateTime, formatPercent } from '../components/formatting';
import { JsonBlock } from '../components/JsonBlock';
import { ErrorState, Resource } from '../components/Resource';
import { useResource } from '../components/useResource';

const entityKey = (e: EntityMapping) => `${e.entity}:${e.direction}`;
const PREVIEW_DELAY_MS = 500;

function RulesEditor(props: { mapping: EntityMapping; onChange: (m: EntityMapping) => void; problems: MappingProblem[]; path: string }) {
  const { mapping } = props;
  const setRule = (i: number, patch: Partial<MappingRule>) =>
    props.onChange({ ...mapping, rules: mapping.rules.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const problemAt = (p: string) => props.problems.find((x) => x.path === `${props.path}.${p}` || x.path.startsWith(`${props.path}.${p}.`))?.message;
  const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  const blankToUndefined = (v: string) => (v.trim() === '' ? undefined : v);
  return (
    <Flex direction="column" gap="size-100">
      <Heading level={3} margin={0}>Field rules</Heading>
      {mapping.rules.map((rule, i) => (
        <Flex key={i} gap="size-100" alignItems="end" wrap>
          <TextField label="Target field" value={rule.target} onChange={(target) => setRule(i, { target })} width="size-2400"
            validationState={problemAt(`rules.${i}.target`) ? 'invalid' : undefined} errorMessage={problemAt(`rules.${i}.target`)} />
          <TextField label="Source field" value={text(rule.source)} onChange={(v) => setRule(i, { source: blankToUndefined(v) })} width="size-2400"
            validationState={problemAt(`rules.${i}.source`) ? 'invalid' : undefined} errorMessage={problemAt(`rules.${i}.source`)} />
          <Picker label="Value map" selectedKey={rule.valueMap ?? 'none'} onSelectionChange={(k) => setRule(i, { valueMap: k === 'none' ? undefined : String(k) })} width="size-2000">
            {[<Item key="none">None</Item>, ...Object.keys(mapping.valueMaps).map((name) => <Item key={name}>{name}</Item>)]}
          </Picker>
          <TextField label="Default" value={text(rule.default)} onChange={(v) => setRule(i, { default: blankToUndefined(v) })} width="size-1600" />
          <ActionButton aria-label={`Remove rule for ${rule.target || 'new field'}`} onPress={() => props.onChange({ ...mapping, rules: mapping.rules.filter((_, j) => j !== i) })}><Remove /></ActionButton>
        </Flex>
      ))}
      <ActionButton alignSelf="start" onPress={() => props.onChange({ ...mapping, rules: [...mapping.rules, { target: '' }] })}><Add /><Text>Add rule</Text></ActionButton>
    </Flex>
  );
}

function ValueMapsEditor(props: { mapping: EntityMapping; onChange: (m: EntityMapping) => void }) {
  const { mapping } = props;
  const [newMap, setNewMap] = useState('');
  const setMap = (name: string, entries: Array<[string, string | number]>) =>
    props.onChange({ ...mapping, valueMaps: { ...mapping.valueMaps, [name]: Object.fromEntries(entries) } });
  return (
    <Flex direction="column" gap="size-100">
      <Heading level={3} margin={0}>Value maps</Heading>
      {Object.entries(mapping.valueMaps).map(([name, map]) => {
        const entries = Object.entries(map);
        return (
          <View key={name} borderWidth="thin" borderColor="default" borderRadius="small" padding="size-150">
            <section aria-label={`Value map ${name}`}>
              <Text UNSAFE_style={{ fontWeight: 700 }}>{name}</Text>
              {entries.map(([from, to], i) => (
                <Flex key={i} gap="size-100" alignItems="end">
                  <TextField label="Source value" value={from} onChange={(v) => setMap(name, entries.map((e, j) => (j === i ? [v, e[1]] : e)))} width="size-2000" />
                  <TextField label="Target value" value={String(to)} onChange={(v) => setMap(name, entries.map((e, j) => (j === i ? [e[0], v] : e)))} width="size-2000" />
                  <ActionButton aria-label={`Remove ${from} from ${name}`} onPress={() => setMap(name, entries.filter((_, j) => j !== i))}><Remove /></ActionButton>
                </Flex>
              ))}
              <ActionButton marginTop="size-100" onPress={() => setMap(name, [...entries, ['', '']])}><Add /><Text>Add value</Text></ActionButton>
            </section>
          </View>
        );
      })}
      <Flex gap="size-100" alignItems="end">
        <TextField label="New value map name" value={newMap} onChange={setNewMap} width="size-2400" />
        <ActionButton isDisabled={!newMap.trim() || newMap in mapping.valueMaps} onPress={() => { setMap(newMap.trim(), []); setNewMap(''); }}>Add value map</ActionButton>
      </Flex>
    </Flex>
  );
}

function Suggestions(props: { mapping: EntityMapping; onAdd: (rule: MappingRule) => void }) {
  const api = useApi();
  const state = useResource(() => api.suggestions(props.mapping.entity, props.mapping.direction), [props.mapping.entity, props.mapping.direction]);
  const mapped = new Set(props.mapping.rules.map((r) => r.target));
  return (
    <View>
      <Heading level={3}>Suggestions</Heading>
      <Resource state={state} label="suggestions" isEmpty={(d) => d.length === 0} empty={{ title: 'No suggestions', body: 'Every field the connector recognises is mapped.' }}>
        {(data) => (
          <Flex direction="column" gap="size-100">
            {data.map((s) => (
              <Flex key={`${s.source}->${s.target}`} gap="size-150" alignItems="center" wrap>
                <Text UNSAFE_style={{ minWidth: 260 }}><code>{s.source}</code> → <code>{s.target}</code></Text>
                <Meter label="Confidence" value={s.confidence * 100} valueLabel={formatPercent(s.confidence)} variant={s.confidence >= 0.8 ? 'positive' : 'warning'} width="size-1600" />
                <Text UNSAFE_style={{ fontSize: 12, flex: 1 }}>{s.reason}</Text>
                <ActionButton isDisabled={mapped.has(s.target)} onPress={() => props.onAdd({ target: s.target, source: s.source })}>{mapped.has(s.target) ? 'Mapped' : 'Use'}</ActionButton>
              </Flex>
            ))}
          </Flex>
        )}
      </Resource>
    </View>
  );
}

/** Maps the sample with the unsaved document, shortly after the merchant stops typing. */
function LivePreview(props: { mapping: EntityMapping; document: MappingDocument }) {
  const api = useApi();
  const [sample, setSample] = useState('');
  const [result, setResult] = useState<PreviewMappingResponse | Error | null>(null);
  let parsedSample: Record<string, unknown> | undefined;
  let sampleError: string | undefined;
  if (sample.trim() !== '') {
    try {
      const value: unknown = JSON.parse(sample);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) parsedSample = value as Record<string, unknown>;
      else sampleError = 'The sample must be a JSON object.';
    } catch (error) {
      sampleError = `Not valid JSON: ${(error as Error).message}`;
    }
  }
  const request = sampleError ? null : JSON.stringify({ entity: props.mapping.entity, direction: props.mapping.direction, sample: parsedSample, document: props.document });
  useEffect(() => {
    if (!request) return;
    let current = true;
    const timer = setTimeout(() => {
      api.previewMapping(JSON.parse(request)).then((r) => current && setResult(r), (e: Error) => current && setResult(e));
    }, PREVIEW_DELAY_MS);
    return () => { current = false; clearTimeout(timer); };
  }, [api, request]);
  return (
    <View>
      <Heading level={3}>Live preview</Heading>
      <Grid columns={repeat('auto-fit', 'minmax(280px, 1fr)')} gap="size-200">
        <TextArea label="Sample source payload (JSON; empty uses the most recent real one)" value={sample} onChange={setSample} height="size-3600" width="100%"
          validationState={sampleError ? 'invalid' : undefined} errorMessage={sampleError} />
        <View>
          {result instanceof Error && <ErrorState title="Preview failed" error={result} />}
          {result && !(result instanceof Error) && (
            <Flex direction="column" gap="size-100">
              {result.skipped && <InlineAlert variant="notice"><Heading>Would be skipped</Heading><Content>{result.skipped.reason}</Content></InlineAlert>}
              {result.errors?.length ? (
                <InlineAlert variant="negative"><Heading>Mapping problems</Heading><Content><ul style={{ margin: 0, paddingLeft: 18 }}>{result.errors.map((e) => <li key={e.path}>{e.path}: {e.message}</li>)}</ul></Content></InlineAlert>
              ) : null}
              <JsonBlock label="Mapped output" value={result.output} />
            </Flex>
          )}
          {!result && <Text>Mapping the most recent {props.mapping.entity}…</Text>}
        </View>
      </Grid>
    </View>
  );
}

function History(props: { data: MappingsResponse; onRolledBack: (version: number) => void }) {
  const api = useApi();
  const [error, setError] = useState<Error | null>(null);
  return (
    <View>
      <Heading level={3}>History</Heading>
      <TableView aria-label="Mapping versions" density="compact">
        <TableHeader>
          <Column key="version" width={140}>Version</Column>
          <Column key="savedAt">Saved</Column>
          <Column key="savedBy">By</Column>
          <Column key="note">Note</Column>
          <Column key="action" width={150}>Action</Column>
        </TableHeader>
        <TableBody items={props.data.history.map((h) => ({ ...h, id: h.version }))}>
          {(h) => (
            <Row key={h.version}>
              <Cell>v{h.version}{h.version === props.data.version ? ' (current)' : ''}</Cell>
              <Cell>{formatDateTime(h.savedAt)}</Cell>
              <Cell>{h.savedBy ?? '—'}</Cell>
              <Cell>{h.note ?? ''}</Cell>
              <Cell>
                {h.version === props.data.version ? '' : (
                  <ActionButton isQuiet onPress={() => api.rollbackMapping(h.version).then((r) => props.onRolledBack(r.version), setError)}>Roll back to v{h.version}</ActionButton>
                )}
              </Cell>
            </Row>
          )}
        </TableBody>
      </TableView>
      {error && <ErrorState title="Rollback failed" error={error} />}
    </View>
  );
}

type Notice = { variant: 'positive' | 'negative' | 'notice'; text: string };

function Editor(props: { data: MappingsResponse; reload: () => void; onSaved: (notice: Notice) => void }) {
  const api = useApi();
  const [document, setDocument] = useState<MappingDocument>(props.data.document);
  const [selected, setSelected] = useState(() => (props.data.document.entities[0] ? entityKey(props.data.document.entities[0]) : ''));
  const [problems, setProblems] = useState<MappingProblem[]>([]);
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<Notice | null>(null);
  const index = document.entities.findIndex((e) => entityKey(e) === selected);
  const mapping = document.entities[index];
  const changed = useMemo(() => JSON.stringify(document) !== JSON.stringify(props.data.document), [document, props.data.document]);
  const setMapping = (m: EntityMapping) => setDocument({ ...document, entities: document.entities.map((e, i) => (i === index ? m : e)) });
  const validate = async () => {
    try {
      const result = await api.validateMapping(document);
      setProblems(result.errors);
      setMessage(result.valid ? { variant: 'positive', text: 'The mapping is valid.' } : { variant: 'negative', text: `${result.errors.length} problem(s): ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}` });
      return result.valid;
    } catch (error) {
      setMessage({ variant: 'negative', text: (error as Error).message });
      return false;
    }
  };
  const save = async () => {
    if (!(await validate())) return;
    try {
      const saved = await api.saveMapping(document, note || undefined);
      // The editor remounts on the new version, so the confirmation lives in the page.
      props.onSaved({ variant: 'positive', text: `Saved as version ${saved.version}. New work uses it from now on.` });
      props.reload();
    } catch (error) {
      setMessage({ variant: 'negative', text: (error as Error).message });
    }
  };
  return (
    <Flex direction="column" gap="size-300">
      <Flex gap="size-200" alignItems="end" wrap>
        <Picker label="Entity" selectedKey={selected} onSelectionChange={(k) => setSelected(String(k))} width="size-3600">
          {document.entities.map((e) => <Item key={entityKey(e)}>{`${e.entity} (${e.direction.replace(/-/g, ' ')})`}</Item>)}
        </Picker>
        <Text>Version {props.data.version}{changed ? ' · unsaved changes' : ''}</Text>
      </Flex>
      {mapping ? (
        <>
          <RulesEditor mapping={mapping} onChange={setMapping} problems={problems} path={`entities.${index}`} />
          <ValueMapsEditor mapping={mapping} onChange={setMapping} />
          <Flex gap="size-150" alignItems="end" wrap>
            <Button variant="secondary" onPress={validate}>Validate</Button>
            <TextField label="Note for this version" value={note} onChange={setNote} width="size-4600" />
            <Button variant="accent" onPress={save} isDisabled={!changed}>Save as new version</Button>
            <Button variant="secondary" onPress={() => { setDocument(props.data.document); setProblems([]); setMessage(null); }} isDisabled={!changed}>Discard changes</Button>
          </Flex>
          {message && <InlineAlert variant={message.variant}><Content>{message.text}</Content></InlineAlert>}
          <LivePreview mapping={mapping} document={document} />
          <Suggestions mapping={mapping} onAdd={(rule) => setMapping({ ...mapping, rules: [...mapping.rules, rule] })} />
        </>
      ) : (
        <Text>Choose an entity.</Text>
      )}
      <History data={props.data} onRolledBack={(v) => { props.onSaved({ variant: 'positive', text: `Rolled back; the old rules are now version ${v}.` }); props.reload(); }} />
    </Flex>
  );
}

export default function Mappings() {
  const api = useApi();
  const state = useResource(() => api.mappings(), []);
  const [saved, setSaved] = useState<Notice | null>(null);
  return (
    <Flex direction="column" gap="size-200">
      {saved && <InlineAlert variant={saved.variant}><Content>{saved.text}</Content></InlineAlert>}
      <Resource state={state} label="mappings" isEmpty={(d) => d.document.entities.length === 0} empty={{ title: 'No mappings yet', body: 'The connector has no mapping document; run `hcc setup` to create the defaults.' }}>
        {(data) => <Editor key={data.version} data={data} reload={state.reload} onSaved={setSaved} />}
      </Resource>
    </Flex>
  );
}
