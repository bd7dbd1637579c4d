// The panel arrives with the panel issue; this keeps `tsc -p web-src` meaningful until then.
export const PANEL_PAGES = ['Overview', 'Flows', 'Activity', 'Dead letters', 'Mappings', 'Anomalies', 'Settings', 'Reports', 'Insights'] as const;
