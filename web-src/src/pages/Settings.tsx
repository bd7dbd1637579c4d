import { useId, useState } from 'react';
import { ActionButton } from '@adobe/react-spectrum/ActionButton';
import { Button } from '@adobe/react-spectrum/Button';
import { Content } from '@adobe/react-spectrum/Content';
import { Flex } from '@adobe/react-spectrum/Flex';
import { Form } from '@adobe/react-spectrum/Form';
import { Grid, repeat } from '@adobe/react-spectrum/Grid';
import { Heading } from '@adobe/react-spectrum/Heading';
import { InlineAlert } from '@adobe/react-spectrum/InlineAlert';
import { NumberField } from '@adobe/react-spectrum/NumberField';
import { Item, Picker } from '@adobe/react-spectrum/Picker';
import { Switch } from '@adobe/react-spectrum/Switch';
import { Text } from '@adobe/react-spectrum/Text';
import { TextField } from '@adobe/react-spectrum/TextField';
import { View } from '@adobe/react-spectrum/View';
import Add from '@spectrum-icons/workflow/Add';
import Remove from '@spectrum-icons/workflow/Remove';
import type { ReactNode } from 'react';
import type { Settings as SettingsData, SettingsUpdate, System } from '../../../lib/admin/contract';
import { commerceAuthKind } from '../../../lib/admin/contract';
import { AdminApiError } from '../api';
import { useApi } from '../components/ApiContext';
import { Resource } from '../components/Resource';
import { useResource } from '../components/useResource';

type Secrets = { heartlandApiToken: string; heartlandWebhookSecret: string; consumerSecret: string; accessToken: string; accessTokenSecret: string };
const NO_SECRETS: Secrets = { heartlandApiToken: '', heartlandWebhookSecret: '', consumerSecret: '', accessToken: '', accessTokenSecret: '' };
interface FieldError { field: string; message: string }

/** The message for a field when admin-api named it (or a field inside it) in a 400. */
function errorProps(error: FieldError | null, path: string) {
  if (!error) return {};
  const hit = error.field === path || error.field.startsWith(`${path}.`);
  return hit ? { validationState: 'invalid' as const, errorMessage: error.message.replace(new RegExp(`^${path.replace(/\./g, '\\.')}[^:]*:\\s*`), '') } : {};
}

function Section(props: { title: string; children: ReactNode }) {
  return (
    <View borderWidth="thin" borderColor="default" borderRadius="medium" padding="size-200">
      <section aria-label={props.title}>
        <Heading level={3} marginTop={0}>{props.title}</Heading>
        <Flex direction="column" gap="size-150" alignItems="start">{props.children}</Flex>
      </section>
    </View>
  );
}

function PairsEditor<K extends string>(props: {
  label: string; rows: Array<Record<K, string>>; keys: [K, K]; labels: [string, string]; path: string;
  error: FieldError | null; onChange: (rows: Array<Record<K, string>>) => void;
}) {
  const [a, b] = props.keys;
  const set = (i: number, key: K, value: string) => props.onChange(props.rows.map((r, j) => (j === i ? { ...r, [key]: value } : r)));
  return (
    <Flex direction="column" gap="size-100">
      <Text UNSAFE_style={{ fontWeight: 700 }}>{props.label}</Text>
      {props.rows.map((row, i) => (
        <Flex key={i} gap="size-100" alignItems="end">
          <TextField label={props.labels[0]} value={row[a]} onChange={(v) => set(i, a, v)} {...errorProps(props.error, `${props.path}.${i}.${a}`)} />
          <TextField label={props.labels[1]} value={row[b]} onChange={(v) => set(i, b, v)} {...errorProps(props.error, `${props.path}.${i}.${b}`)} />
          <ActionButton aria-label={`Remove ${props.label} row ${i + 1}`} onPress={() => props.onChange(props.rows.filter((_, j) => j !== i))}><Remove /></ActionButton>
        </Flex>
      ))}
      <ActionButton alignSelf="start" onPress={() => props.onChange([...props.rows, { [a]: '', [b]: '' } as Record<K, string>])}><Add /><Text>Add row</Text></ActionButton>
    </Flex>
  );
}

/** A switch with its one-line help below, wired with aria-describedby (Spectrum's Switch has no description slot). */
function SwitchWithHelp(props: { label: string; help: string; isSelected: boolean; onChange: (on: boolean) => void }) {
  const helpId = useId();
  return (
    <Flex direction="column" gap="size-50">
      <Switch isSelected={props.isSelected} onChange={props.onChange} aria-describedby={helpId}>{props.label}</Switch>
      <span id={helpId} style={{ fontSize: 'var(--spectrum-global-dimension-font-size-75)', color: 'var(--spectrum-global-color-gray-700)' }}>{props.help}</span>
    </Flex>
  );
}

function SecretField(props: { label: string; stored: boolean; value: string; onChange: (v: string) => void; error: FieldError | null; path: string }) {
  return (
    <TextField type="password" label={props.label} value={props.value} onChange={props.onChange} autoComplete="new-password"
      description={props.stored ? 'Stored. Type a new value to replace it.' : 'Not set.'} {...errorProps(props.error, props.path)} />
  );
}

function ConnectionTest(props: { system: System; label: string }) {
  const api = useApi();
  const [result, setResult] = useState<string | null>(null);
  const [ok, setOk] = useState(false);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const r = await api.testConnection(props.system);
      setOk(r.ok);
      setResult(`${r.message} (${Math.round(r.latencyMs)} ms)`);
    } catch (error) {
      setOk(false);
      setResult((error as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Flex gap="size-100" alignItems="center" wrap>
      <ActionButton onPress={run} isDisabled={busy}>Test {props.label} connection</ActionButton>
      {result && <span role="status" style={{ color: ok ? 'var(--spectrum-global-color-green-700)' : 'var(--spectrum-global-color-red-700)' }}>{result}</span>}
    </Flex>
  );
}

const num = (n: number) => (Number.isFinite(n) ? n : undefined);

function SettingsForm(props: { initial: SettingsData }) {
  const api = useApi();
  const [s, setS] = useState(props.initial);
  const [secrets, setSecrets] = useState<Secrets>(NO_SECRETS);
  const [statuses, setStatuses] = useState(props.initial.orderTriggerStatuses.join(', '));
  const [recipients, setRecipients] = useState(props.initial.alerts.mailTo.join(', '));
  const [error, setError] = useState<FieldError | null>(null);
  const [result, setResult] = useState<{ variant: 'positive' | 'negative'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const secret = (key: keyof Secrets) => (v: string) => setSecrets({ ...secrets, [key]: v });
  const typed = (v: string) => (v === '' ? undefined : v);

  const save = async () => {
    const update: SettingsUpdate = {
      heartland: { baseUrl: s.heartland.baseUrl, ratePerSecond: num(s.heartland.ratePerSecond), apiToken: typed(secrets.heartlandApiToken), webhookSecret: typed(secrets.heartlandWebhookSecret) },
      commerce: {
        baseUrl: s.commerce.baseUrl, authKind: s.commerce.authKind, consumerKey: s.commerce.consumerKey,
        consumerSecret: typed(secrets.consumerSecret), accessToken: typed(secrets.accessToken), accessTokenSecret: typed(secrets.accessTokenSecret),
      },
      stationId: s.stationId,
      sourceLocationId: s.sourceLocationId,
      locationToSource: s.locationToSource,
      paymentMethodMap: s.paymentMethodMap,
      shippingMethodMap: s.shippingMethodMap,
      orderTriggerStatuses: statuses.split(',').map((x) => x.trim()).filter(Boolean),
      safetyStock: num(s.safetyStock),
      outOfStockThreshold: num(s.outOfStockThreshold),
      wipeGuard: { maxSkuShare: num(s.wipeGuard.maxSkuShare), maxUnitShare: num(s.wipeGuard.maxUnitShare) },
      schedules: { pollSeconds: num(s.schedules.pollSeconds), nightlyHourUtc: num(s.schedules.nightlyHourUtc) },
      customers: s.customers,
      fraud: {
        enabled: s.fraud.enabled, holdAtScore: num(s.fraud.holdAtScore), flagAtScore: num(s.fraud.flagAtScore),
        maxOrdersInWindow: num(s.fraud.maxOrdersInWindow), windowMinutes: num(s.fraud.windowMinutes),
      },
      alerts: {
        webhookUrl: s.alerts.webhookUrl, mailEndpoint: s.alerts.mailEndpoint,
        mailTo: recipients.split(',').map((x) => x.trim()).filter(Boolean), dedupMinutes: num(s.alerts.dedupMinutes),
      },
      anomalies: {
        scanEnabled: s.anomalies.scanEnabled, dlqGrowthMin: num(s.anomalies.dlqGrowthMin),
        maxPriceChangeShare: num(s.anomalies.maxPriceChangeShare), holdPriceChanges: s.anomalies.holdPriceChanges,
      },
    };
    setSaving(true);
    setError(null);
    setResult(null);
    try {
      const saved = await api.saveSettings(update);
      setS(saved);
      setSecrets(NO_SECRETS);
      setResult({ variant: 'positive', text: 'Settings saved.' });
    } catch (e) {
      if (e instanceof AdminApiError && e.field) setError({ field: e.field, message: e.message });
      setResult({ variant: 'negative', text: `Not saved: ${(e as Error).message}` });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form aria-label="Connector settings" onSubmit={(e) => { e.preventDefault(); void save(); }} validationBehavior="aria" UNSAFE_style={{ maxWidth: 1100 }}>
      <Flex direction="column" gap="size-200">
        <Grid columns={repeat('auto-fit', 'minmax(340px, 1fr)')} gap="size-200">
          <Section title="Heartland Retail">
            <TextField label="API base URL" value={s.heartland.baseUrl} onChange={(baseUrl) => setS({ ...s, heartland: { ...s.heartland, baseUrl } })} {...errorProps(error, 'heartland.baseUrl')} width="100%" />
            <SecretField label="API token" stored={s.heartland.apiToken.set} value={secrets.heartlandApiToken} onChange={secret('heartlandApiToken')} error={error} path="heartland.apiToken" />
            <SecretField label="Webhook secret" stored={s.heartland.webhookSecret.set} value={secrets.heartlandWebhookSecret} onChange={secret('heartlandWebhookSecret')} error={error} path="heartland.webhookSecret" />
            <NumberField label="Requests per second" value={s.heartland.ratePerSecond} onChange={(ratePerSecond) => setS({ ...s, heartland: { ...s.heartland, ratePerSecond } })} {...errorProps(error, 'heartland.ratePerSecond')} />
            <ConnectionTest system="heartland" label="Heartland" />
          </Section>
          <Section title="Adobe Commerce">
            <TextField label="REST base URL" value={s.commerce.baseUrl} onChange={(baseUrl) => setS({ ...s, commerce: { ...s.commerce, baseUrl } })} {...errorProps(error, 'commerce.baseUrl')} width="100%" />
            <Picker label="Authentication" selectedKey={s.commerce.authKind} onSelectionChange={(k) => setS({ ...s, commerce: { ...s.commerce, authKind: k as SettingsData['commerce']['authKind'] } })}>
              {commerceAuthKind.options.map((k) => <Item key={k}>{k === 'oauth1' ? 'Integration (OAuth 1.0a)' : k === 'bearer' ? 'Integration token (bearer)' : 'Adobe IMS (SaaS)'}</Item>)}
            </Picker>
            <TextField label="Consumer key" value={s.commerce.consumerKey} onChange={(consumerKey) => setS({ ...s, commerce: { ...s.commerce, consumerKey } })} {...errorProps(error, 'commerce.consumerKey')} />
            <SecretField label="Consumer secret" stored={s.commerce.consumerSecret.set} value={secrets.consumerSecret} onChange={secret('consumerSecret')} error={error} path="commerce.consumerSecret" />
            <SecretField label="Access token" stored={s.commerce.accessToken.set} value={secrets.accessToken} onChange={secret('accessToken')} error={error} path="commerce.accessToken" />
            <SecretField label="Access token secret" stored={s.commerce.accessTokenSecret.set} value={secrets.accessTokenSecret} onChange={secret('accessTokenSecret')} error={error} path="commerce.accessTokenSecret" />
            <ConnectionTest system="commerce" label="Commerce" />
          </Section>
        </Grid>
        <Section title="Orders">
          <Flex gap="size-200" wrap>
            <TextField label="Heartland station id" value={s.stationId} onChange={(stationId) => setS({ ...s, stationId })} {...errorProps(error, 'stationId')} />
            <TextField label="Default Heartland location id" value={s.sourceLocationId} onChange={(sourceLocationId) => setS({ ...s, sourceLocationId })} {...errorProps(error, 'sourceLocationId')} />
            <TextField label="Magento statuses that send an order" description="Comma-separated, e.g. processing" value={statuses} onChange={setStatuses} {...errorProps(error, 'orderTriggerStatuses')} />
          </Flex>
          <Grid columns={repeat('auto-fit', 'minmax(340px, 1fr)')} gap="size-200" marginTop="size-200">
            <PairsEditor label="Payment methods" rows={s.paymentMethodMap} keys={['magentoCode', 'paymentTypeId']} labels={['Magento payment code', 'Heartland payment type id']} path="paymentMethodMap" error={error} onChange={(paymentMethodMap) => setS({ ...s, paymentMethodMap })} />
            <PairsEditor label="Shipping methods" rows={s.shippingMethodMap} keys={['magentoCode', 'heartlandShippingMethodId']} labels={['Magento shipping code', 'Heartland shipping method id']} path="shippingMethodMap" error={error} onChange={(shippingMethodMap) => setS({ ...s, shippingMethodMap })} />
          </Grid>
        </Section>
        <Section title="Stock">
          <PairsEditor label="Locations and MSI sources" rows={s.locationToSource} keys={['locationId', 'sourceCode']} labels={['Heartland location id', 'Commerce source code']} path="locationToSource" error={error} onChange={(locationToSource) => setS({ ...s, locationToSource })} />
          <Flex gap="size-200" wrap marginTop="size-200">
            <NumberField label="Safety stock (units held back)" value={s.safetyStock} onChange={(safetyStock) => setS({ ...s, safetyStock })} {...errorProps(error, 'safetyStock')} />
            <NumberField label="Out of stock at or below" value={s.outOfStockThreshold} onChange={(outOfStockThreshold) => setS({ ...s, outOfStockThreshold })} {...errorProps(error, 'outOfStockThreshold')} />
            <NumberField label="Hold batches zeroing more than this share of SKUs" step={0.05} value={s.wipeGuard.maxSkuShare} onChange={(maxSkuShare) => setS({ ...s, wipeGuard: { ...s.wipeGuard, maxSkuShare } })} {...errorProps(error, 'wipeGuard.maxSkuShare')} />
            <NumberField label="…or dropping more than this share of units" step={0.05} value={s.wipeGuard.maxUnitShare} onChange={(maxUnitShare) => setS({ ...s, wipeGuard: { ...s.wipeGuard, maxUnitShare } })} {...errorProps(error, 'wipeGuard.maxUnitShare')} />
          </Flex>
        </Section>
        <Grid columns={repeat('auto-fit', 'minmax(340px, 1fr)')} gap="size-200">
          <Section title="Schedules">
            <Flex gap="size-200" wrap>
              <NumberField label="Poll every (seconds)" value={s.schedules.pollSeconds} onChange={(pollSeconds) => setS({ ...s, schedules: { ...s.schedules, pollSeconds } })} {...errorProps(error, 'schedules.pollSeconds')} />
              <NumberField label="Nightly reconciliation hour (UTC)" value={s.schedules.nightlyHourUtc} onChange={(nightlyHourUtc) => setS({ ...s, schedules: { ...s.schedules, nightlyHourUtc } })} {...errorProps(error, 'schedules.nightlyHourUtc')} />
            </Flex>
          </Section>
          <Section title="Customers">
            <Switch isSelected={s.customers.createInMagento} onChange={(createInMagento) => setS({ ...s, customers: { ...s.customers, createInMagento } })}>Create store customers in Magento</Switch>
            <Picker label="When both sides changed" selectedKey={s.customers.conflictRule} onSelectionChange={(k) => setS({ ...s, customers: { ...s.customers, conflictRule: k as SettingsData['customers']['conflictRule'] } })}>
              <Item key="newest-wins">The newest change wins</Item>
              <Item key="commerce-wins">Commerce wins</Item>
              <Item key="heartland-wins">Heartland wins</Item>
            </Picker>
          </Section>
        </Grid>
        <Grid columns={repeat('auto-fit', 'minmax(340px, 1fr)')} gap="size-200">
          <Section title="Fraud review">
            <SwitchWithHelp label="Check web orders for fraud before sending" help="Scores each order on signals such as mismatched countries or many orders from one email." isSelected={s.fraud.enabled} onChange={(enabled) => setS({ ...s, fraud: { ...s.fraud, enabled } })} />
            <NumberField label="Hold for review at score" description="Orders scoring this or more (0–100) wait for your approval on the Anomalies page." value={s.fraud.holdAtScore} onChange={(holdAtScore) => setS({ ...s, fraud: { ...s.fraud, holdAtScore } })} {...errorProps(error, 'fraud.holdAtScore')} width="100%" />
            <NumberField label="Flag at score" description="Orders scoring this or more are sent, and listed on the Anomalies page." value={s.fraud.flagAtScore} onChange={(flagAtScore) => setS({ ...s, fraud: { ...s.fraud, flagAtScore } })} {...errorProps(error, 'fraud.flagAtScore')} width="100%" />
            <NumberField label="Orders in window" description="Orders from one email or address within the window that count as a burst." value={s.fraud.maxOrdersInWindow} onChange={(maxOrdersInWindow) => setS({ ...s, fraud: { ...s.fraud, maxOrdersInWindow } })} {...errorProps(error, 'fraud.maxOrdersInWindow')} width="100%" />
            <NumberField label="Window (minutes)" description="How far back repeat orders are counted, up to 1440 (a day)." value={s.fraud.windowMinutes} onChange={(windowMinutes) => setS({ ...s, fraud: { ...s.fraud, windowMinutes } })} {...errorProps(error, 'fraud.windowMinutes')} width="100%" />
          </Section>
          <Section title="Alerts">
            <TextField label="Alert webhook URL" description="Alerts are posted here as JSON (Slack-compatible). Leave empty for none." value={s.alerts.webhookUrl} onChange={(webhookUrl) => setS({ ...s, alerts: { ...s.alerts, webhookUrl } })} {...errorProps(error, 'alerts.webhookUrl')} width="100%" />
            <TextField label="Mail service URL" description="An HTTP endpoint that sends the alert emails. Leave empty for none." value={s.alerts.mailEndpoint} onChange={(mailEndpoint) => setS({ ...s, alerts: { ...s.alerts, mailEndpoint } })} {...errorProps(error, 'alerts.mailEndpoint')} width="100%" />
            <TextField label="Alert email recipients" description="Comma-separated email addresses." value={recipients} onChange={setRecipients} {...errorProps(error, 'alerts.mailTo')} width="100%" />
            <NumberField label="Repeat an alert at most every (minutes)" description="The same alert about the same thing is sent once in this time." value={s.alerts.dedupMinutes} onChange={(dedupMinutes) => setS({ ...s, alerts: { ...s.alerts, dedupMinutes } })} {...errorProps(error, 'alerts.dedupMinutes')} width="100%" />
          </Section>
          <Section title="Anomaly checks">
            <SwitchWithHelp label="Watch for unusual activity" help="Hourly checks of order rate, errors and sync times against their usual range." isSelected={s.anomalies.scanEnabled} onChange={(scanEnabled) => setS({ ...s, anomalies: { ...s.anomalies, scanEnabled } })} />
            <NumberField label="Alert after this many failed syncs in an hour" description="Records that could not sync (dead letters) added within one hour." value={s.anomalies.dlqGrowthMin} onChange={(dlqGrowthMin) => setS({ ...s, anomalies: { ...s.anomalies, dlqGrowthMin } })} {...errorProps(error, 'anomalies.dlqGrowthMin')} width="100%" />
            <NumberField label="Flag price changes larger than this share" description="0.5 = a change of more than 50% of the current price; 0 turns the check off." step={0.05} value={s.anomalies.maxPriceChangeShare} onChange={(maxPriceChangeShare) => setS({ ...s, anomalies: { ...s.anomalies, maxPriceChangeShare } })} {...errorProps(error, 'anomalies.maxPriceChangeShare')} width="100%" />
            <SwitchWithHelp label="Hold large price changes for approval" help="Off: the new price is written and the change is listed on the Anomalies page." isSelected={s.anomalies.holdPriceChanges} onChange={(holdPriceChanges) => setS({ ...s, anomalies: { ...s.anomalies, holdPriceChanges } })} />
          </Section>
        </Grid>
        {result && <InlineAlert variant={result.variant}><Content>{result.text}</Content></InlineAlert>}
        <Flex gap="size-100">
          <Button type="submit" variant="accent" isPending={saving}>Save settings</Button>
          <Button variant="secondary" onPress={() => { setS(props.initial); setRecipients(props.initial.alerts.mailTo.join(', ')); setSecrets(NO_SECRETS); setError(null); setResult(null); }}>Reset</Button>
        </Flex>
      </Flex>
    </Form>
  );
}

export default function Settings() {
  const api = useApi();
  const state = useResource(() => api.settings(), []);
  return <Resource state={state} label="settings">{(data) => <SettingsForm initial={data} />}</Resource>;
}
