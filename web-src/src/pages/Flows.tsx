import { Fragment, useState } from 'react';
import { ActionButton } from '@adobe/react-spectrum/ActionButton';
import { Button } from '@adobe/react-spectrum/Button';
import { ButtonGroup } from '@adobe/react-spectrum/ButtonGroup';
import { Content } from '@adobe/react-spectrum/Content';
import { Dialog } from '@adobe/react-spectrum/Dialog';
import { DialogTrigger } from '@adobe/react-spectrum/DialogTrigger';
import { Divider } from '@adobe/react-spectrum/Divider';
import { Flex } from '@adobe/react-spectrum/Flex';
import { Heading } from '@adobe/react-spectrum/Heading';
import { InlineAlert } from '@adobe/react-spectrum/InlineAlert';
import { Item, Picker } from '@adobe/react-spectrum/Picker';
import { StatusLight } from '@adobe/react-spectrum/StatusLight';
import { Switch } from '@adobe/react-spectrum/Switch';
import { Text } from '@adobe/react-spectrum/Text';
import { TextField } from '@adobe/react-spectrum/TextField';
import { View } from '@adobe/react-spectrum/View';
import ArrowRight from '@spectrum-icons/workflow/ArrowRight';
import Add from '@spectrum-icons/workflow/Add';
import Remove from '@spectrum-icons/workflow/Remove';
import type { FilterCondition, FilterPreviewResponse, FlowStatus, FlowStepName } from '../../../lib/admin/contract';
import { conditionOperator } from '../../../lib/admin/contract';
import { useApi } from '../components/ApiContext';
import { formatAgo, formatNumber } from '../components/formatting';
import { ErrorState, Resource } from '../components/Resource';
import { useResource } from '../components/useResource';

const STEP_LABELS: Record<FlowStepName, string> = { trigger: 'Trigger', filters: 'Filters', mapping: 'Mapping', target: 'Target' };
const OPERATOR_LABELS: Record<FilterCondition['op'], string> = {
  equals: 'equals', notEquals: 'does not equal', in: 'is one of', notIn: 'is not one of', contains: 'contains',
  greaterThan: 'is greater than', lessThan: 'is less than', exists: 'is present',
};

function StepChain(props: { flow: FlowStatus }) {
  return (
    <ol aria-label={`${props.flow.label} steps`} style={{ display: 'flex', alignItems: 'center', gap: 8, listStyle: 'none', padding: 0, margin: '8px 0', flexWrap: 'wrap' }}>
      {props.flow.steps.map((step, i) => (
        <Fragment key={step.name}>
          {i > 0 && <li aria-hidden style={{ display: 'flex' }}><ArrowRight size="S" /></li>}
          <li>
            <View borderWidth="thin" borderColor="default" borderRadius="medium" paddingX="size-200" paddingY="size-100" backgroundColor="gray-75" minWidth="size-1200">
              <Text UNSAFE_style={{ fontSize: 12, display: 'block', color: 'var(--spectrum-global-color-gray-700)' }}>{STEP_LABELS[step.name]}</Text>
              <Text UNSAFE_style={{ fontSize: 20, fontWeight: 700 }}>{formatNumber(step.count)}</Text>
            </View>
          </li>
        </Fragment>
      ))}
    </ol>
  );
}

function valueText(condition: FilterCondition): string {
  return Array.isArray(condition.value) ? condition.value.join(', ') : condition.value === undefined ? '' : String(condition.value);
}

/** Turns what the merchant typed into the condition value: lists for in/notIn, numbers for comparisons. */
function conditionFromText(field: string, op: FilterCondition['op'], text: string): FilterCondition {
  if (op === 'exists') return { field, op };
  if (op === 'in' || op === 'notIn') return { field, op, value: text.split(',').map((s) => s.trim()).filter(Boolean) };
  if ((op === 'greaterThan' || op === 'lessThan') && text.trim() !== '' && !Number.isNaN(Number(text))) return { field, op, value: Number(text) };
  return { field, op, value: text };
}

function FilterEditor(props: { flow: FlowStatus; conditions: FilterCondition[]; onSaved: () => void; close: () => void }) {
  const api = useApi();
  const [rows, setRows] = useState(props.conditions.map((c) => ({ field: c.field, op: c.op, text: valueText(c) })));
  const [preview, setPreview] = useState<FilterPreviewResponse | Error | null>(null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<Error | null>(null);
  const conditions = rows.filter((r) => r.field.trim() !== '').map((r) => conditionFromText(r.field.trim(), r.op, r.text));
  const update = (i: number, patch: Partial<(typeof rows)[number]>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const runPreview = () => api.previewFilters(props.flow.name, conditions).then(setPreview, (e: Error) => setPreview(e));
  const save = async () => {
    setSaving(true);
    setSaveError(null);
    try {
      await api.saveSettings({ flowFilters: { [props.flow.name]: conditions } });
      props.onSaved();
      props.close();
    } catch (error) {
      setSaveError(error as Error);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Dialog size="L">
      <Heading>Filters for {props.flow.label}</Heading>
      <Divider />
      <Content>
        <Text>A unit of work goes on to mapping only when every condition holds. Fields are dotted paths in the source record.</Text>
        <Flex direction="column" gap="size-100" marginTop="size-200">
          {rows.map((row, i) => (
            <Flex key={i} gap="size-100" alignItems="end" wrap>
              <TextField label="Field" value={row.field} onChange={(field) => update(i, { field })} width="size-2000" />
              <Picker label="Condition" selectedKey={row.op} onSelectionChange={(op) => update(i, { op: op as FilterCondition['op'] })} width="size-2000">
                {conditionOperator.options.map((op) => <Item key={op}>{OPERATOR_LABELS[op]}</Item>)}
              </Picker>
              <TextField label={row.op === 'in' || row.op === 'notIn' ? 'Values (comma-separated)' : 'Value'} value={row.text} onChange={(text) => update(i, { text })}
                isDisabled={row.op === 'exists'} width="size-2000" />
              <ActionButton aria-label={`Remove condition ${i + 1}`} onPress={() => setRows(rows.filter((_, j) => j !== i))}><Remove /></ActionButton>
            </Flex>
          ))}
          <Flex gap="size-100">
            <ActionButton onPress={() => setRows([...rows, { field: '', op: 'equals', text: '' }])}><Add /><Text>Add condition</Text></ActionButton>
            <ActionButton onPress={runPreview}>Preview on recent {props.flow.label.toLowerCase()}</ActionButton>
          </Flex>
          {preview instanceof Error && <ErrorState title="Preview failed" error={preview} />}
          {preview && !(preview instanceof Error) && (
            <View>
              <Text>{preview.passed} of {preview.evaluated} recent units would pass.</Text>
              <ul style={{ margin: '4px 0', paddingLeft: 18, fontSize: 13 }}>
                {preview.items.map((item) => (
                  <li key={item.key}>
                    <StatusLight variant={item.passes ? 'positive' : 'neutral'} UNSAFE_style={{ display: 'inline-flex' }}>
                      {item.entityId}: {item.passes ? 'passes' : `filtered out (${item.failedCondition ?? 'condition failed'})`}
                    </StatusLight>
                  </li>
                ))}
              </ul>
            </View>
          )}
          {saveError && <ErrorState title="Filters were not saved" error={saveError} />}
        </Flex>
      </Content>
      <ButtonGroup>
        <Button variant="secondary" onPress={props.close}>Cancel</Button>
        <Button variant="accent" onPress={save} isPending={saving}>Save filters</Button>
      </ButtonGroup>
    </Dialog>
  );
}

function FlowCard(props: { flow: FlowStatus; conditions: FilterCondition[]; onChanged: () => void }) {
  const api = useApi();
  const { flow } = props;
  const [enabled, setEnabled] = useState(flow.enabled);
  const [message, setMessage] = useState<{ variant: 'positive' | 'negative'; text: string } | null>(null);
  const toggle = async (next: boolean) => {
    setEnabled(next);
    try {
      await api.saveSettings({ flowsEnabled: { [flow.name]: next } });
      setMessage({ variant: 'positive', text: next ? `${flow.label} is on.` : `${flow.label} is paused; new work waits until it is on again.` });
    } catch (error) {
      setEnabled(!next);
      setMessage({ variant: 'negative', text: (error as Error).message });
    }
  };
  const runNow = async () => {
    try {
      const job = await api.syncNow(flow.name);
      setMessage({ variant: 'positive', text: `Sync started (job ${job.jobId}).` });
    } catch (error) {
      setMessage({ variant: 'negative', text: (error as Error).message });
    }
  };
  return (
    <View borderWidth="thin" borderColor="default" borderRadius="medium" padding="size-200">
      <section aria-label={`${flow.label} flow`}>
        <Flex justifyContent="space-between" alignItems="center" wrap gap="size-100">
          <Flex direction="column">
            <Heading level={3} margin={0}>{flow.label}</Heading>
            <Text UNSAFE_style={{ fontSize: 12, color: 'var(--spectrum-global-color-gray-700)' }}>{flow.name} · {flow.direction.replace(/-/g, ' ')} · last sync {formatAgo(flow.lastRunAt)}</Text>
          </Flex>
          <Flex gap="size-100" alignItems="center">
            <Switch isSelected={enabled} onChange={toggle}>{enabled ? 'Enabled' : 'Paused'}</Switch>
            <DialogTrigger type="modal">
              <ActionButton>Edit filters ({props.conditions.length})</ActionButton>
              {(close) => <FilterEditor flow={flow} conditions={props.conditions} onSaved={props.onChanged} close={close} />}
            </DialogTrigger>
            <ActionButton onPress={runNow} isDisabled={!enabled}>Sync now</ActionButton>
          </Flex>
        </Flex>
        <StepChain flow={flow} />
        {props.conditions.length > 0 && (
          <Text UNSAFE_style={{ fontSize: 12 }}>Filters: {props.conditions.map((c) => `${c.field} ${OPERATOR_LABELS[c.op]} ${valueText(c)}`.trim()).join('; ')}</Text>
        )}
        {message && <InlineAlert variant={message.variant} marginTop="size-100"><Content>{message.text}</Content></InlineAlert>}
      </section>
    </View>
  );
}

export default function Flows() {
  const api = useApi();
  const state = useResource(() => Promise.all([api.status(), api.settings()]), []);
  return (
    <Resource state={state} label="flows" isEmpty={([status]) => status.flows.length === 0} empty={{ title: 'No flows yet', body: 'Flows appear once the connector is configured.' }}>
      {([status, settings]) => (
        <Flex direction="column" gap="size-200">
          {status.flows.map((flow) => (
            <FlowCard key={flow.name} flow={flow} conditions={settings.flowFilters[flow.name] ?? []} onChanged={state.reload} />
          ))}
        </Flex>
      )}
    </Resource>
  );
}
