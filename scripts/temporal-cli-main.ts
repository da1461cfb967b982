import { resolveTemporalCli } from './temporal-cli.js';

/** `npm run temporal:cli`: make sure the Temporal CLI exists (building it if needed) and print its path. */
const cli = await resolveTemporalCli({ allowDownload: false });
if (cli.kind === 'path') console.log(cli.path);
