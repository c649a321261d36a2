// Computes the text bands (MinHash/LSH, src/domain/text-fingerprint.ts) of statement texts on a
// thread of its own, so that the duplicate-hint indexer never spends the event loop's time on
// them. Worker threads do not inherit the TypeScript loader: it is registered here, then the one
// pure module this thread needs is loaded through it.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { textBands } = await import('../domain/text-fingerprint.ts');

// One message per batch: { id, texts } → { id, bands } (one array of band keys per text).
parentPort.on('message', (message) => {
  if (message === 'stop') {
    parentPort.close();
    return;
  }
  parentPort.postMessage({ id: message.id, bands: message.texts.map((text) => textBands(text)) });
});
