import { writeFile } from 'node:fs/promises';
import { UI_API_TYPES, uiApiTypes } from './openapi.js';

/** `npm run ui:api`: regenerates the web UI's API types after a route or schema changed. */
await writeFile(UI_API_TYPES, await uiApiTypes());
process.stdout.write(`wrote ${UI_API_TYPES}\n`);
