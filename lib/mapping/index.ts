/** The mapping engine: documents, rules, filters, defaults, the versioned store and the one-call pipeline. */
export * from './document';
export * from './paths';
export * from './transforms';
export * from './rules';
export * from './filters';
export * from './layering';
export * from './repository';
export * from './pipeline';
export * from './defaults/document';
export * from './defaults/value-maps';
