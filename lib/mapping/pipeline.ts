/**
 * One entry point that maps a payload for any entity and direction: the built-in mapper, then the
 * document's `from*` rules, the `to*` filter, the target mapper and the `to*` rules on the main
 * request body. Flows, the CLI (`hcc map`) and the panel's live preview all call `mapEntity`.
 */
import { z } from 'zod';
import * as commerce from '../commerce/mappers';
import { unwrapEvent } from '../commerce/mappers/magento-input';
import type { ValueLookup } from '../commerce/mappers/lookup';
import * as heartland from '../heartland/mappers';
import { Customer } from '../model/customer';
import { type FieldIssue, zodIssues } from '../model/field-issues';
import { GiftCard } from '../model/gift-card';
import type { MapResult } from '../model/map-result';
import { Order } from '../model/order';
import type { PlannedRequest } from '../model/planned-request';
import { Product } from '../model/product';
import { Refund } from '../model/refund';
import { Shipment } from '../model/shipment';
import { StockLevel } from '../model/stock-level';
import type { DirectionName, EntityName, MappingDocument } from './document';
import { VALUE_MAP_NAMES } from './defaults/value-maps';
import { type FilterDecision, evaluateFilter } from './filters';
import { effectiveOptions } from './layering';
import { applyRules, lookupValue } from './rules';

export type SourceName = 'commerce' | 'heartland' | 'canonical';
export type TargetName = 'canonical' | 'heartland' | 'commerce';

/** Ids and settings a flow already knows; whatever is missing becomes a placeholder in the plan. */
export interface MapContext {
  stationId?: number;
  sourceLocationId?: number;
  shipFromLocationId?: number;
  customerId?: number;
  billingAddressId?: number;
  shippingAddressId?: number;
  /** Heartland order id (order resume) or Magento order entity id (shipments, refunds to Magento). */
  orderId?: number;
  parentInvoiceId?: number;
  itemIdFor?: (sku: string) => number | undefined;
  skuForItem?: (itemId: number) => string | undefined;
  orderItemIdFor?: (line: { sku: string | null; itemId?: string | null }) => number | undefined;
  orderExternalId?: string;
  /** The canonical Magento order: folds credit memo items, and gives order item ids to shipments and refunds. */
  order?: Order;
  paymentMethod?: string;
  notifyCustomer?: boolean;
  createProducts?: boolean;
  returnToStock?: boolean;
  magentoCustomerId?: number;
  giftCardAccountId?: number;
  safetyStock?: number | ((sku: string) => number);
  committedWebQty?: (sku: string, sourceCode: string) => number;
}

export interface MapRequest {
  entity: EntityName;
  from: SourceName;
  to: TargetName;
  input: unknown;
  /** The effective document (defaults with the merchant's overrides layered on). */
  document: MappingDocument;
  context?: MapContext;
}

export type MapOutcome =
  | {
      status: 'mapped';
      canonical: unknown;
      /** The canonical entity (to canonical) or the planned requests in order. */
      output: unknown;
      warnings: string[];
      /** Rules that changed something, by id. */
      applied: string[];
      /** The outbound filter's verdict, reported even when mapping to canonical only. */
      filter: { direction: DirectionName; decision: FilterDecision } | null;
    }
  | { status: 'skipped'; canonical: unknown; reason: string; direction: DirectionName; warnings: string[] }
  | { status: 'invalid'; issues: FieldIssue[]; warnings: string[] }
  | { status: 'unsupported'; message: string };

const CANONICAL_SCHEMAS: Record<EntityName, z.ZodType> = {
  order: Order,
  customer: Customer,
  product: Product,
  stock: z.array(StockLevel),
  shipment: Shipment,
  refund: Refund,
  giftcard: GiftCard,
};

/** Which source → target pairs exist (DESIGN.md §4). */
export const SUPPORTED: Record<EntityName, { from: Array<'commerce' | 'heartland'>; to: Array<'heartland' | 'commerce'> }> = {
  order: { from: ['commerce'], to: ['heartland'] },
  customer: { from: ['commerce', 'heartland'], to: ['heartland', 'commerce'] },
  product: { from: ['heartland'], to: ['commerce'] },
  stock: { from: ['heartland'], to: ['commerce'] },
  shipment: { from: ['heartland'], to: ['commerce'] },
  refund: { from: ['commerce', 'heartland'], to: ['heartland', 'commerce'] },
  giftcard: { from: ['commerce', 'heartland'], to: ['heartland', 'commerce'] },
};

const directionFrom = (from: 'commerce' | 'heartland'): DirectionName => (from === 'commerce' ? 'fromCommerce' : 'fromHeartland');
const directionTo = (to: 'commerce' | 'heartland'): DirectionName => (to === 'commerce' ? 'toCommerce' : 'toHeartland');

/** A value map of the document as a lookup function. */
export function valueLookup(document: MappingDocument, name: string): ValueLookup {
  const map = document.valueMaps[name];
  return (key: string) => (map ? (lookupValue(map, key) as ReturnType<ValueLookup>) : undefined);
}

function toCanonical(req: MapRequest): MapResult<unknown> {
  const { entity, input, document, context: ctx = {} } = req;
  const options = effectiveOptions(document);
  const lookup = (name: string) => valueLookup(document, name);
  if (req.from === 'canonical') {
    const result = CANONICAL_SCHEMAS[entity].safeParse(input, { reportInput: true });
    return result.success ? { ok: true, value: result.data, warnings: [] } : { ok: false, issues: zodIssues(result.error) };
  }
  const key = `${entity}:${req.from}`;
  switch (key) {
    case 'order:commerce':
      return commerce.orderFromMagento(input, { statusMap: lookup(VALUE_MAP_NAMES.orderStatusFromCommerce), defaultCurrency: options.defaultCurrency });
    case 'customer:commerce': return commerce.customerFromMagento(input);
    case 'customer:heartland': return heartland.customerFromHeartland(input);
    case 'product:heartland': return heartland.productFromHeartlandItem(input);
    case 'stock:heartland': return heartland.stockLevelsFromHeartland(input, { skuForItem: ctx.skuForItem });
    case 'shipment:heartland':
      return heartland.shipmentFromHeartlandInvoice(input, {
        trackingNumberField: options.trackingNumberField,
        shippingCarrierField: options.shippingCarrierField,
        carrierCodeFor: lookup(VALUE_MAP_NAMES.carrierCode),
        carrierTitleFor: lookup(VALUE_MAP_NAMES.carrierTitle),
        skuForItem: ctx.skuForItem,
        orderExternalId: ctx.orderExternalId,
      });
    case 'refund:commerce': return commerce.refundFromMagento(input, { order: ctx.order, returnToStock: ctx.returnToStock });
    case 'refund:heartland': return heartland.refundFromHeartlandReturn(input, { skuForItem: ctx.skuForItem, orderExternalId: ctx.orderExternalId });
    case 'giftcard:commerce': return commerce.giftCardFromMagento(input);
    case 'giftcard:heartland': return heartland.giftCardFromHeartland(input);
    default:
      return { ok: false, issues: [{ path: '', message: `${entity} is not read from ${req.from}` }] };
  }
}

/** The requests that write a canonical entity to a target, and which of them the `to*` rules shape. */
function plan(entity: EntityName, to: 'heartland' | 'commerce', canonical: unknown, document: MappingDocument, ctx: MapContext): { requests: PlannedRequest[]; primary: number } {
  const options = effectiveOptions(document);
  const lookup = (name: string) => valueLookup(document, name);
  const key = `${entity}:${to}`;
  switch (key) {
    case 'order:heartland': {
      const requests = heartland.orderToHeartlandRequests(canonical as Order, {
        ...ctx,
        paymentTypeFor: lookup(VALUE_MAP_NAMES.paymentTypeForMethod),
        shippingMethodFor: lookup(VALUE_MAP_NAMES.shippingMethodForCarrier),
        statusFor: lookup(VALUE_MAP_NAMES.orderStatusToHeartland),
        ecommerceNumberField: options.ecommerceNumberField,
        customerIdField: options.customerIdField,
        sourceSystemTag: options.sourceSystemTag,
        abbreviateStreets: options.abbreviateStreets,
      });
      return { requests, primary: requests.findIndex((r) => r.method === 'POST' && r.path === '/sales/orders') };
    }
    case 'customer:heartland':
      return {
        requests: heartland.customerToHeartlandRequests(canonical as Customer, { heartlandCustomerId: ctx.customerId, customerIdField: options.customerIdField, abbreviateStreets: options.abbreviateStreets }),
        primary: 0,
      };
    case 'customer:commerce':
      return { requests: [commerce.customerToMagentoRequest(canonical as Customer, { customerId: ctx.magentoCustomerId, abbreviateStreets: options.abbreviateStreets })], primary: 0 };
    case 'product:commerce':
      return { requests: [commerce.productToMagentoRequest(canonical as Product, { create: ctx.createProducts })], primary: 0 };
    case 'stock:commerce': {
      const { sourceItems } = commerce.stockLevelsToSourceItems(canonical as StockLevel[], {
        sourceForLocation: lookup(VALUE_MAP_NAMES.sourceForLocation),
        safetyStock: ctx.safetyStock,
        committedWebQty: ctx.committedWebQty,
      });
      return { requests: commerce.sourceItemsRequests(sourceItems), primary: -1 };
    }
    case 'shipment:commerce':
      return {
        requests: [
          commerce.shipmentToMagentoRequest(canonical as Shipment, {
            orderId: ctx.orderId,
            orderItemIdFor: ctx.orderItemIdFor ?? (ctx.order ? commerce.orderItemIdBySku(ctx.order) : undefined),
            sourceForLocation: lookup(VALUE_MAP_NAMES.sourceForLocation),
            notify: ctx.notifyCustomer,
          }),
        ],
        primary: 0,
      };
    case 'refund:heartland':
      return {
        requests: [
          heartland.refundToHeartlandReturnRequest(canonical as Refund, {
            ...ctx,
            paymentTypeFor: lookup(VALUE_MAP_NAMES.paymentTypeForMethod),
            paymentMethod: ctx.paymentMethod ?? ctx.order?.payment?.method,
          }),
        ],
        primary: 0,
      };
    case 'refund:commerce':
      return {
        requests: [
          commerce.refundToMagentoRequest(canonical as Refund, {
            orderId: ctx.orderId,
            orderItemIdFor: ctx.orderItemIdFor ?? (ctx.order ? commerce.orderItemIdBySku(ctx.order) : undefined),
            notify: ctx.notifyCustomer,
          }),
        ],
        primary: 0,
      };
    case 'giftcard:heartland':
      return { requests: [heartland.giftCardToHeartlandRequest(canonical as GiftCard)], primary: 0 };
    case 'giftcard:commerce':
      return { requests: [commerce.giftCardToMagentoRequest(canonical as GiftCard, { accountId: ctx.giftCardAccountId })], primary: 0 };
    default:
      throw new Error(`unreachable: ${key}`);
  }
}

/** The raw record(s) `from*` rules read: the entity inside an event, or the payload itself. */
function ruleSource(input: unknown): unknown {
  return unwrapEvent(input).value;
}

export function mapEntity(req: MapRequest): MapOutcome {
  const { entity, document } = req;
  const support = SUPPORTED[entity];
  if (!support) return { status: 'unsupported', message: `unknown entity ${JSON.stringify(entity)}` };
  if (req.from !== 'canonical' && !support.from.includes(req.from)) {
    return { status: 'unsupported', message: `${entity} is read from ${support.from.join(' or ')}, not ${req.from}` };
  }
  if (req.to !== 'canonical' && !support.to.includes(req.to)) {
    return { status: 'unsupported', message: `${entity} is written to ${support.to.join(' or ')}, not ${req.to}` };
  }
  if (req.from !== 'canonical' && req.from === req.to) return { status: 'unsupported', message: `${entity}: --from and --to are both ${req.from}` };

  const first = toCanonical(req);
  if (!first.ok) return { status: 'invalid', issues: first.issues, warnings: [] };
  const warnings = [...first.warnings];
  const applied: string[] = [];
  let canonical = first.value;

  // Merchant rules on the way in (e.g. Heartland custom fields → product attributes).
  if (req.from !== 'canonical') {
    const direction = directionFrom(req.from);
    const rules = document.entities[entity]?.[direction]?.rules ?? [];
    if (rules.length) {
      const raw = ruleSource(req.input);
      const where = `entities.${entity}.${direction}`;
      if (Array.isArray(canonical)) {
        const rows = Array.isArray(raw) ? raw : ((raw as { results?: unknown[] })?.results ?? []);
        const out: unknown[] = [];
        for (const [i, item] of canonical.entries()) {
          const r = applyRules(rules, rows[i], item as object, { valueMaps: document.valueMaps, where });
          if (!r.ok) return { status: 'invalid', issues: r.issues, warnings };
          out.push(r.value);
          applied.push(...r.applied);
        }
        canonical = out;
      } else {
        const r = applyRules(rules, raw, canonical as object, { valueMaps: document.valueMaps, where });
        if (!r.ok) return { status: 'invalid', issues: r.issues, warnings };
        canonical = r.value;
        applied.push(...r.applied);
      }
      const again = CANONICAL_SCHEMAS[entity].safeParse(canonical, { reportInput: true });
      if (!again.success) {
        return { status: 'invalid', issues: zodIssues(again.error).map((i) => ({ ...i, message: `${i.message} (after the ${direction} mapping rules)` })), warnings };
      }
      canonical = again.data;
    }
  }

  // The outbound direction whose filter decides: the requested target, or the entity's natural one.
  const outbound: 'heartland' | 'commerce' | undefined =
    req.to !== 'canonical' ? req.to : support.to.find((t) => t !== req.from) ?? undefined;
  const filterDirection = outbound ? directionTo(outbound) : null;
  const filterNode = filterDirection ? document.entities[entity]?.[filterDirection]?.filter : undefined;
  let decision = filterDirection ? evaluateFilter(filterNode, canonical) : null;
  if (Array.isArray(canonical) && filterNode) {
    // Stock levels are one unit of work per SKU and location: the filter keeps or drops each one.
    const kept: unknown[] = [];
    for (const level of canonical) {
      const verdict = evaluateFilter(filterNode, level);
      if (verdict.run) kept.push(level);
      else warnings.push(`${req.to === 'canonical' ? 'the filter would skip' : 'skipped'} ${(level as { sku?: string }).sku ?? 'an entry'}: ${verdict.reason}`);
    }
    decision = kept.length > 0 || canonical.length === 0 ? { run: true } : { run: false, reason: `every entry was filtered out (${canonical.length})` };
    if (req.to !== 'canonical') canonical = kept;
  }

  if (req.to === 'canonical') {
    return { status: 'mapped', canonical, output: canonical, warnings, applied, filter: filterDirection && decision ? { direction: filterDirection, decision } : null };
  }
  if (decision && !decision.run) return { status: 'skipped', canonical, reason: decision.reason, direction: filterDirection!, warnings };

  const { requests, primary } = plan(entity, req.to, canonical, document, req.context ?? {});
  const outRules = document.entities[entity]?.[directionTo(req.to)]?.rules ?? [];
  if (outRules.length) {
    if (primary < 0) warnings.push(`entities.${entity}.${directionTo(req.to)}.rules: not applied (this entity's requests have no single main body)`);
    else {
      const target = requests[primary];
      const r = applyRules(outRules, canonical, (target.body ?? {}) as object, { valueMaps: document.valueMaps, where: `entities.${entity}.${directionTo(req.to)}` });
      if (!r.ok) return { status: 'invalid', issues: r.issues, warnings };
      requests[primary] = { ...target, body: r.value };
      applied.push(...r.applied);
    }
  }
  return { status: 'mapped', canonical, output: requests, warnings, applied, filter: filterDirection && decision ? { direction: filterDirection, decision } : null };
}
