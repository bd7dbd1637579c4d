/**
 * The mapping document: per entity and direction, field rules and filters, plus named value maps
 * (status, payment method, shipping method, location ↔ source…). Defaults ship with the code
 * (defaults/document.ts); a merchant's document holds only overrides and is layered on top
 * (layering.ts). Unknown keys are rejected so a typo never silently does nothing.
 */
import { z } from 'zod';
import { type FieldIssue, zodIssues } from '../model/field-issues';
import { isValidPath } from './paths';
import { Transform } from './transforms';

export const MAPPING_SCHEMA_VERSION = 1;

export const ENTITIES = ['order', 'customer', 'product', 'stock', 'shipment', 'refund', 'giftcard'] as const;
export type EntityName = (typeof ENTITIES)[number];

/**
 * `from*` rules run after the built-in mapper: source = the raw payload, target = the canonical
 * entity. `to*` rules run on the way out: source = the canonical entity, target = the main request body.
 */
export const DIRECTIONS = ['fromCommerce', 'fromHeartland', 'toHeartland', 'toCommerce'] as const;
export type DirectionName = (typeof DIRECTIONS)[number];

export const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Scalar = z.infer<typeof Scalar>;

const path = (what: string, allowEach = true) =>
  z.string({ error: (iss) => (iss.input === undefined ? 'required' : `expected a ${what} path`) }).refine(
    (p) => isValidPath(p, { allowEach }),
    allowEach ? 'not a valid field path (e.g. customer.email, lines[0].sku, lines[].sku)' : 'not a valid target path (no [] in targets)',
  );

export const ValueMap = z.strictObject({
  description: z.string().optional(),
  /** Source value → target value. Keys are compared as text. */
  entries: z.record(z.string(), Scalar),
  /** Used when no entry matches; without it a miss leaves the value to the built-in mapping. */
  default: Scalar.optional(),
});
export type ValueMap = z.infer<typeof ValueMap>;

export const FILTER_OPS = ['eq', 'neq', 'in', 'gt', 'gte', 'lt', 'lte', 'regex', 'exists'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export interface FilterCondition {
  field: string;
  op: FilterOp;
  value?: unknown;
  description?: string;
}
export interface FilterGroup {
  all?: FilterNode[];
  any?: FilterNode[];
  description?: string;
}
export type FilterNode = FilterCondition | FilterGroup;

export const FilterNode: z.ZodType<FilterNode> = z.lazy(() =>
  z
    .strictObject({
      description: z.string().optional(),
      field: path('field').optional(),
      op: z.enum(FILTER_OPS).optional(),
      value: z.unknown().optional(),
      all: z.array(FilterNode).optional(),
      any: z.array(FilterNode).optional(),
    })
    .superRefine((node, ctx) => {
      const isGroup = node.all !== undefined || node.any !== undefined;
      if (isGroup) {
        if (node.all !== undefined && node.any !== undefined) ctx.addIssue({ code: 'custom', message: 'use either all or any, not both', path: ['any'] });
        if (node.field !== undefined || node.op !== undefined) ctx.addIssue({ code: 'custom', message: 'a group (all/any) has no field or op', path: ['field'] });
        return;
      }
      if (node.field === undefined) ctx.addIssue({ code: 'custom', message: 'required', path: ['field'] });
      if (node.op === undefined) {
        ctx.addIssue({ code: 'custom', message: 'required', path: ['op'] });
        return;
      }
      if (node.op === 'exists') {
        if (node.value !== undefined && typeof node.value !== 'boolean') ctx.addIssue({ code: 'custom', message: 'exists takes true or false', path: ['value'] });
        return;
      }
      if (node.value === undefined) ctx.addIssue({ code: 'custom', message: 'required', path: ['value'] });
      else if (node.op === 'in' && !Array.isArray(node.value)) ctx.addIssue({ code: 'custom', message: 'in takes a list of values', path: ['value'] });
      else if (node.op === 'regex') {
        if (typeof node.value !== 'string') ctx.addIssue({ code: 'custom', message: 'regex takes a pattern string', path: ['value'] });
        else {
          try {
            new RegExp(node.value);
          } catch {
            ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${node.value}`, path: ['value'] });
          }
        }
      } else if (['gt', 'gte', 'lt', 'lte'].includes(node.op) && typeof node.value !== 'number' && typeof node.value !== 'string') {
        ctx.addIssue({ code: 'custom', message: `${node.op} takes a number or a date string`, path: ['value'] });
      }
    }) as unknown as z.ZodType<FilterNode>,
);

const ruleBase = {
  /** Stable name; a merchant rule with the id of a default rule replaces it. */
  id: z.string().min(1).optional(),
  description: z.string().optional(),
  target: path('target', false),
  enabled: z.boolean().default(true),
  transforms: z.array(Transform).default([]),
  /** The rule applies only when this condition holds on the rule's source. */
  when: FilterNode.optional(),
};

export const Rule = z.discriminatedUnion('kind', [
  /** target ← value at a source path. */
  z.strictObject({ ...ruleBase, kind: z.literal('copy'), source: path('source') }),
  /** target ← a fixed value. */
  z.strictObject({ ...ruleBase, kind: z.literal('constant'), value: z.unknown() }),
  /** target ← text with `{{path}}` slots, e.g. `"Web order {{externalId}}"`. */
  z.strictObject({ ...ruleBase, kind: z.literal('template'), template: z.string() }),
  /** target ← value map entry for the value at a source path. */
  z.strictObject({ ...ruleBase, kind: z.literal('lookup'), source: path('source'), map: z.string().min(1) }),
]);
export type Rule = z.output<typeof Rule>;
export type RuleInput = z.input<typeof Rule>;

export const DirectionMapping = z.strictObject({
  rules: z.array(Rule).default([]),
  /** Decides whether a unit of work runs; a failing filter skips it with the reason. */
  filter: FilterNode.optional(),
});
export type DirectionMapping = z.output<typeof DirectionMapping>;

const entityShape = Object.fromEntries(DIRECTIONS.map((d) => [d, DirectionMapping.optional()])) as Record<
  DirectionName,
  z.ZodOptional<typeof DirectionMapping>
>;
export const EntityMapping = z.strictObject(entityShape);
export type EntityMapping = z.output<typeof EntityMapping>;

export const MappingOptions = z.strictObject({
  /** Rewrite street types ("Street" → "St") on addresses sent out; off by default. */
  abbreviateStreets: z.boolean().optional(),
  /** Heartland invoice custom fields that carry tracking (CONTRACTS.md). */
  trackingNumberField: z.string().min(1).optional(),
  shippingCarrierField: z.string().min(1).optional(),
  /** Value of the `source_system` tag written on records the connector creates. */
  sourceSystemTag: z.string().min(1).optional(),
  /** Heartland order custom field holding the Magento increment id. */
  ecommerceNumberField: z.string().min(1).optional(),
  /** Heartland customer custom field holding the Magento customer id. */
  customerIdField: z.string().min(1).optional(),
  /** Currency assumed when an event payload does not name one. */
  defaultCurrency: z.string().regex(/^[A-Z]{3}$/).optional(),
});
export type MappingOptions = z.output<typeof MappingOptions>;

export const MappingDocument = z.strictObject({
  schemaVersion: z.literal(MAPPING_SCHEMA_VERSION, { error: `expected ${MAPPING_SCHEMA_VERSION}` }).default(MAPPING_SCHEMA_VERSION),
  description: z.string().optional(),
  options: MappingOptions.default({}),
  valueMaps: z.record(z.string().regex(/^[A-Za-z][\w.-]*$/, 'map names are letters, digits, _ . -'), ValueMap).default({}),
  entities: z.strictObject(Object.fromEntries(ENTITIES.map((e) => [e, EntityMapping.optional()])) as Record<EntityName, z.ZodOptional<typeof EntityMapping>>).default({}),
});
export type MappingDocument = z.output<typeof MappingDocument>;
export type MappingDocumentInput = z.input<typeof MappingDocument>;

export type DocumentCheck = { ok: true; document: MappingDocument } | { ok: false; issues: FieldIssue[] };

/** Validates a document's shape; `checkReferences` then checks it against the value maps in force. */
export function parseMappingDocument(input: unknown): DocumentCheck {
  const result = MappingDocument.safeParse(input, { reportInput: true });
  if (!result.success) return { ok: false, issues: zodIssues(result.error) };
  return { ok: true, document: result.data };
}

/** Lookup rules must name a value map that exists in the effective (layered) document. */
export function checkReferences(document: MappingDocument): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const entity of ENTITIES) {
    const mapping = document.entities[entity];
    if (!mapping) continue;
    for (const direction of DIRECTIONS) {
      mapping[direction]?.rules.forEach((rule, i) => {
        if (rule.kind === 'lookup' && !document.valueMaps[rule.map]) {
          issues.push({ path: `entities.${entity}.${direction}.rules[${i}].map`, message: `no value map named "${rule.map}"` });
        }
      });
    }
  }
  return issues;
}
