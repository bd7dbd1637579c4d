/**
 * Target field lists for suggestions. Fields come from the zod payload schemas in
 * lib/heartland/payloads.ts and lib/commerce/payloads.ts (walked, so a schema change shows up
 * here without edits); what a schema cannot say (Heartland `public_id` on an item is the SKU,
 * Magento custom attributes by code, ids the connector resolves itself) is declared below.
 */
import type { z } from 'zod';
import * as heartland from '../../heartland/payloads';
import * as commerce from '../../commerce/payloads';
import { conceptOf, nameParts } from './names';
import type { ValueKind } from './values';

export type FieldType = 'string' | 'number' | 'boolean' | 'any';

export interface TargetField {
  /** Dotted path in the target payload: `email`, `addresses[].postal_code`, `custom.color`. */
  path: string;
  type: FieldType;
  /** What values should look like, when that is known (`email`, `money`, …). */
  kind?: ValueKind;
  /** Extra names this field answers to, with how strongly (1 = same thing). */
  alsoKnownAs?: Record<string, number>;
  /** A person-readable label (custom fields have one). */
  label?: string;
}

/** A Heartland custom field as listed by `GET /custom_fields` (name and type are [I] in heartland.md §3.3). */
export interface CustomFieldDefinition {
  key: string;
  name?: string | null;
  type?: string | null;
}

export type TargetSystem = 'heartland' | 'commerce';
export const TARGET_ENTITIES: Record<TargetSystem, readonly string[]> = {
  heartland: ['customer', 'address', 'item', 'product', 'order', 'inventory', 'ticket'],
  commerce: ['customer', 'address', 'order', 'product', 'item', 'inventory', 'creditmemo', 'invoice'],
};

/** Concepts whose values have a recognisable shape. */
const CONCEPT_KINDS: Record<string, ValueKind> = {
  email: 'email',
  phone: 'phone',
  country: 'country',
  postal_code: 'postal_code',
  created_at: 'date',
  updated_at: 'date',
  birthday: 'date',
  price: 'money',
  cost: 'money',
  original_price: 'money',
  total: 'money',
  tax: 'money',
  shipping_amount: 'money',
  discount: 'money',
  quantity: 'number',
  active: 'boolean',
  newsletter: 'boolean',
  sku: 'sku',
  barcode: 'barcode',
  currency: 'currency',
};

interface EntitySpec {
  schema: z.ZodType;
  /** Fields the connector fills itself (ids of the other system's records, bookkeeping). */
  exclude: RegExp;
  /** Knowledge about fields the schema cannot carry. */
  notes?: Record<string, Omit<TargetField, 'path' | 'type'>>;
  /** Extra fields that are not in the schema: custom fields the docs name, Magento custom attributes. */
  extra?: TargetField[];
}

const HEARTLAND_SKIP = /^(id|.*\.id|created_at|updated_at|customer_id|station_id|source_location_id|parent_transaction_id|.*\.(customer_id|order_id|item_id|invoice_id|location_id|station_id|payment_type_id)|payments\[\]\..*)$/;

const magentoAttribute = (code: string, type: FieldType, notes: Omit<TargetField, 'path' | 'type'> = {}): TargetField => ({ path: `custom_attributes.${code}`, type, ...notes });

const SPECS: Record<TargetSystem, Record<string, EntitySpec>> = {
  heartland: {
    customer: {
      schema: heartland.Customer,
      exclude: HEARTLAND_SKIP,
      notes: {
        public_id: { alsoKnownAs: { customer_number: 1 }, label: 'Customer #' },
        // heartland.md §3.2: `state` takes the abbreviation or the name; the code is the safer pick.
        'addresses[].state': { alsoKnownAs: { region_code: 1, state_code: 1 } },
      },
      // heartland.md §3.2 shows `custom.magento_customer_id` in the create body.
      extra: [{ path: 'custom.magento_customer_id', type: 'string', alsoKnownAs: { customer_id: 1 }, label: 'Magento customer id' }],
    },
    address: { schema: heartland.Address, exclude: HEARTLAND_SKIP, notes: { state: { alsoKnownAs: { region_code: 1, state_code: 1 } } } },
    item: {
      schema: heartland.Item,
      exclude: /^(id|grid_id|primary_vendor_id|default_lookup_id|created_at|updated_at|custom)$/,
      notes: {
        // heartland.md §3.3: `public_id` ("Item #") is the SKU; `description` prints on receipts.
        public_id: { kind: 'sku', alsoKnownAs: { sku: 1 }, label: 'Item # (SKU)' },
        description: { alsoKnownAs: { name: 1, description: 0.6 } },
        long_description: { alsoKnownAs: { description: 0.95 } },
        active: { alsoKnownAs: { status: 0.75 } },
        original_price: { kind: 'money' },
      },
    },
    order: {
      schema: heartland.SalesOrder,
      exclude: /^(id|status|customer_id|billing_address_id|shipping_address_id|source_location_id|station_id|shipping_method_id|balance|custom|customer|payments\[\]\..*|lines\[\]\.(id|order_id|item_id|ship_from_location_id|qty_invoiced|custom)|taxes\[\]\.id|discounts\[\]\.id)$/,
      notes: {
        public_id: { alsoKnownAs: { order_number: 0.6 } },
        'lines[].adjusted_unit_price': { kind: 'money', alsoKnownAs: { price: 0.95 } },
        'lines[].original_unit_price': { kind: 'money', alsoKnownAs: { original_price: 1 } },
        'lines[].total_tax': { kind: 'money' },
        'lines[].description': { alsoKnownAs: { name: 0.9 } },
        'taxes[].value': { kind: 'money', alsoKnownAs: { tax: 1 } },
        'discounts[].amount': { kind: 'money', alsoKnownAs: { discount: 1 } },
      },
      // CONTRACTS.md / DESIGN.md §1.2: the Magento increment id goes to `custom.ecommerce_number`.
      extra: [{ path: 'custom.ecommerce_number', type: 'string', alsoKnownAs: { order_number: 1 }, label: 'E-commerce order number' }],
    },
    inventory: {
      schema: heartland.InventoryValue,
      exclude: /^(item|location|item_id|location_id)(\..*)?$/,
      notes: { qty_available: { alsoKnownAs: { quantity: 0.9, available: 1 } }, unit_cost: { kind: 'money', alsoKnownAs: { cost: 1 } } },
    },
    ticket: { schema: heartland.Ticket, exclude: HEARTLAND_SKIP },
  },
  commerce: {
    customer: {
      schema: commerce.Customer,
      exclude: /^(id|group_id|default_billing|default_shipping|created_in|store_id|website_id|disable_auto_group_change|addresses\[\]\.(id|customer_id|region_id|region\.region_id|default_billing|default_shipping)|custom_attributes.*)$/,
      notes: { dob: { kind: 'date', alsoKnownAs: { birthday: 1 } }, 'extension_attributes.is_subscribed': { kind: 'boolean', alsoKnownAs: { newsletter: 1 } } },
    },
    address: {
      schema: commerce.CustomerAddress,
      exclude: /^(id|customer_id|region_id|region\.region_id|default_billing|default_shipping|custom_attributes.*)$/,
    },
    order: {
      schema: commerce.Order,
      exclude: /^(entity_id|quote_id|store_id|customer_id|billing_address_id|customer_group_id|.*\.(entity_id|parent_id|item_id|order_id|quote_item_id|product_id|parent_item_id|customer_address_id|region_id|customer_id|stock_id)|.*parent_item\..*|.*extension_attributes\.(gift_cards|applied).*|status_histories.*|.*product_option|.*\.extension_attributes)$/,
    },
    product: {
      schema: commerce.Product,
      exclude: /^(id|attribute_set_id|type_id|visibility|custom_attributes.*|extension_attributes.*)$/,
      notes: { status: { alsoKnownAs: { active: 0.9 } } },
      // Magento keeps most product data in EAV attributes (commerce.md §2.8); the core ones by code.
      extra: [
        magentoAttribute('description', 'string', { alsoKnownAs: { description: 1 } }),
        magentoAttribute('short_description', 'string'),
        magentoAttribute('url_key', 'string'),
        magentoAttribute('meta_title', 'string'),
        magentoAttribute('special_price', 'number', { kind: 'money', alsoKnownAs: { sale_price: 1 } }),
        magentoAttribute('cost', 'number', { kind: 'money' }),
        magentoAttribute('msrp', 'number', { kind: 'money', alsoKnownAs: { original_price: 1 } }),
        magentoAttribute('color', 'any'),
        magentoAttribute('size', 'any'),
        magentoAttribute('manufacturer', 'any', { alsoKnownAs: { brand: 1 } }),
        magentoAttribute('tax_class_id', 'any'),
        magentoAttribute('country_of_manufacture', 'string', { kind: 'country' }),
      ],
    },
    inventory: {
      schema: commerce.SourceItem,
      exclude: /^$/,
      notes: { quantity: { alsoKnownAs: { available: 0.9 } }, status: { alsoKnownAs: { in_stock: 1 } } },
    },
    creditmemo: { schema: commerce.CreditMemo, exclude: /^(entity_id|order_id|invoice_id|.*\.(entity_id|parent_id|order_item_id))$/ },
    invoice: { schema: commerce.Invoice, exclude: /^(entity_id|order_id|.*\.(entity_id|parent_id|order_item_id))$/ },
  },
};
SPECS.heartland.product = SPECS.heartland.item;
SPECS.commerce.item = SPECS.commerce.product;

interface ZodDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
  getter?: () => z.ZodType;
  checks?: unknown[];
}
const defOf = (schema: z.ZodType): ZodDef => (schema as unknown as { _zod: { def: ZodDef } })._zod.def;

/** Strips optional/nullable/default/pipe wrappers and picks a union's first useful member. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let guard = 0; guard < 20; guard++) {
    const def = defOf(current);
    if ((def.type === 'optional' || def.type === 'nullable' || def.type === 'default' || def.type === 'prefault' || def.type === 'readonly' || def.type === 'catch') && def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else if (def.type === 'union' && def.options?.length) {
      const members = def.options.map(unwrap);
      // number | numeric string → a number field; object | … → the object.
      current = members.find((m) => defOf(m).type === 'object') ?? members.find((m) => defOf(m).type === 'number') ?? members[0];
    } else return current;
  }
  return current;
}

function scalarType(schema: z.ZodType): FieldType | undefined {
  const type = defOf(schema).type;
  if (type === 'string' || type === 'enum' || type === 'literal' || type === 'template_literal') return 'string';
  if (type === 'number' || type === 'bigint' || type === 'int') return 'number';
  if (type === 'boolean') return 'boolean';
  if (type === 'unknown' || type === 'any') return 'any';
  return undefined;
}

/**
 * Walks a zod v4 object schema into leaf fields with dotted paths. Lazy members (an embedded
 * customer or item) are other entities, so they are not followed; arrays of objects become
 * `name[]`, arrays of strings (Magento `street`) their first two positions.
 */
export function fieldsOfSchema(schema: z.ZodType, prefix = '', depth = 0): TargetField[] {
  const object = unwrap(schema);
  const def = defOf(object);
  if (def.type !== 'object' || !def.shape || depth > 5) return [];
  const fields: TargetField[] = [];
  for (const [key, member] of Object.entries(def.shape)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const inner = unwrap(member);
    const innerDef = defOf(inner);
    if (innerDef.type === 'lazy' || innerDef.type === 'record') continue;
    if (innerDef.type === 'object') {
      fields.push(...fieldsOfSchema(inner, path, depth + 1));
      continue;
    }
    if (innerDef.type === 'array' && innerDef.element) {
      const element = unwrap(innerDef.element);
      if (defOf(element).type === 'object') fields.push(...fieldsOfSchema(element, `${path}[]`, depth + 1));
      else {
        const type = scalarType(element);
        if (type) fields.push({ path: `${path}[0]`, type }, { path: `${path}[1]`, type });
      }
      continue;
    }
    const type = scalarType(inner);
    if (type) fields.push({ path, type });
  }
  return fields;
}

function customFieldType(type: string | null | undefined): { type: FieldType; kind?: ValueKind } {
  const t = (type ?? '').toLowerCase();
  if (/bool|check|flag/.test(t)) return { type: 'boolean', kind: 'boolean' };
  if (/int|number|decimal|float|numeric/.test(t)) return { type: 'number', kind: 'number' };
  if (/money|currency|price/.test(t)) return { type: 'number', kind: 'money' };
  if (/date|time/.test(t)) return { type: 'string', kind: 'date' };
  // ASSUMED: other Heartland custom field types (text, select, …) hold text.
  return { type: t ? 'string' : 'any' };
}

/** Turns custom field definitions into targets: `custom.<key>` on Heartland, `custom_attributes.<key>` on Commerce. */
export function customFieldTargets(system: TargetSystem, customFields: readonly CustomFieldDefinition[]): TargetField[] {
  const prefix = system === 'heartland' ? 'custom' : 'custom_attributes';
  return customFields.map((field) => {
    const { type, kind } = customFieldType(field.type);
    const alsoKnownAs: Record<string, number> = {};
    if (field.name) alsoKnownAs[nameParts(field.name).leafWords.join('_')] = 1;
    return { path: `${prefix}.${field.key}`, type, ...(kind ? { kind } : {}), alsoKnownAs, label: field.name ?? field.key };
  });
}

/** Resolves `heartland:customer` (and friends) to its field list, with custom fields added. */
export function targetFields(target: string, customFields: readonly CustomFieldDefinition[] = []): TargetField[] {
  const match = /^(heartland|commerce):([a-z_-]+)$/.exec(target.trim());
  if (!match) throw new TargetError(`target "${target}" is not heartland:<entity> or commerce:<entity>`);
  const system = match[1] as TargetSystem;
  const entity = match[2].replace(/[-_]/g, '');
  const spec = SPECS[system][entity];
  if (!spec) throw new TargetError(`unknown ${system} entity "${match[2]}"; one of ${TARGET_ENTITIES[system].join(', ')}`);
  const fields = fieldsOfSchema(spec.schema).filter((field) => !spec.exclude.test(field.path));
  const byPath = new Map<string, TargetField>();
  for (const field of [...fields, ...(spec.extra ?? []), ...customFieldTargets(system, customFields)]) {
    const note = spec.notes?.[field.path];
    byPath.set(field.path, withKind({ ...field, ...note, alsoKnownAs: { ...field.alsoKnownAs, ...note?.alsoKnownAs } }));
  }
  return [...byPath.values()];
}

/**
 * Recognises a sample as a known payload (a Heartland item, a Magento order…) from its top-level
 * keys, so what we know about that payload's fields (Heartland `public_id` on an item is the SKU)
 * helps when it is the source. Undefined when no schema explains most of the keys.
 */
export function recogniseSource(topLevelKeys: readonly string[]): { entity: string; notes: Record<string, Omit<TargetField, 'path' | 'type'>> } | undefined {
  if (topLevelKeys.length < 4) return undefined;
  let best: { entity: string; share: number; notes: Record<string, Omit<TargetField, 'path' | 'type'>> } | undefined;
  for (const system of Object.keys(SPECS) as TargetSystem[]) {
    for (const [entity, spec] of Object.entries(SPECS[system])) {
      const shape = defOf(unwrap(spec.schema)).shape ?? {};
      const known = topLevelKeys.filter((key) => key in shape).length;
      const share = known / topLevelKeys.length;
      if (share >= 0.6 && (!best || share > best.share)) best = { entity: `${system}:${entity}`, share, notes: spec.notes ?? {} };
    }
  }
  return best && { entity: best.entity, notes: best.notes };
}

/** Fills in the expected value kind from the field's own name when nothing else declared it. */
function withKind(field: TargetField): TargetField {
  if (field.kind) return field;
  const concept = conceptOf(nameParts(field.path).coreWords);
  const kind = concept ? CONCEPT_KINDS[concept] : undefined;
  return kind ? { ...field, kind } : field;
}

export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

export { CONCEPT_KINDS };
