/** Entry point: read the config, start the product, print where to open it, stop cleanly on signals. */
import { ConfigError, loadConfig } from './config.js';
import { startApp } from './app.js';
import { maskSecret } from './files.js';

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}

const app = await startApp(config);
const { secrets } = app;
console.log(`Integrity monitor listening on ${app.url}  (store: ${app.ctx.store.kind}, simulator: ${config.SIMULATE === '1' ? `on, ${config.SIMULATE_RATE} events/s` : 'off'})`);
if (secrets.generated.includes('ADMIN_PASSWORD')) console.log(`  login: admin / ${secrets.adminPassword}   (generated, kept in ${config.DATA_DIR}/secrets.json)`);
else console.log(`  login: admin (password from ${config.ADMIN_PASSWORD ? 'ADMIN_PASSWORD' : `${config.DATA_DIR}/secrets.json`})`);
// A generated token is shown once, on the start that made it; otherwise only masked (docs/security.md).
const ingestShown = secrets.generated.includes('INGEST_TOKEN') ? `${secrets.ingestToken}   (generated, kept in ${config.DATA_DIR}/secrets.json)` : `${maskSecret(secrets.ingestToken)}   (from ${config.INGEST_TOKEN ? 'INGEST_TOKEN' : `${config.DATA_DIR}/secrets.json`})`;
console.log(`  ingest: POST ${app.url}/api/events with Authorization: Bearer ${ingestShown}`);

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`\n${sig}: stopping…`);
    app.close().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
  });
}
