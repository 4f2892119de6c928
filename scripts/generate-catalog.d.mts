/** Types for scripts/generate-catalog.mjs, so tests can import it under `allowJs: false`. */

/** The text of src/okta/catalog-data.ts for a parsed okta-event-types.json catalog. */
export function renderCatalog(catalog: unknown): string;
