/**
 * An entry that bundle.test.ts bundles with the actions' webpack settings (webpack-config.cjs):
 * the FileStore adapter the actions use on App Builder (createAioFileStore → aio-lib-files →
 * aio-lib-core-tvm → the Azure SDK), with only the token exchange's URL pointed at a local stand-in
 * (aio-lib-files takes `tvm.apiUrl`; an action uses Adobe's). It proves that the minified chunk
 * still writes, reads, lists and deletes files, which loading a bundle alone would not show.
 */
import { createAioFileStore } from '../../lib/platform/files';

export interface FilesProbeParams {
  tvmUrl: string;
  namespace: string;
  auth: string;
  /** Where aio-lib-core-tvm caches the SAS credentials (a fresh file: the exchange must happen). */
  tvmCacheFile: string;
}

export async function main(params: FilesProbeParams) {
  const store = createAioFileStore({
    init: async () => {
      const { init } = await import('@adobe/aio-lib-files');
      return init({ ow: { namespace: params.namespace, auth: params.auth }, tvm: { apiUrl: params.tvmUrl, cacheFile: params.tvmCacheFile } });
    },
  });
  const text = JSON.stringify({ order: '000000042', note: 'payload of a dead letter' });
  const binary = Buffer.from([0, 1, 2, 250, 251, 252]);
  await store.write('dlq/order/0a1b2c3d.json', text);
  await store.write('dlq/order/bin/4e5f.dat', binary);
  const readText = (await store.read('dlq/order/0a1b2c3d.json'))?.toString('utf8');
  const readBinary = (await store.read('dlq/order/bin/4e5f.dat'))?.toString('hex');
  const listed = await store.list('dlq/order/');
  await store.delete('dlq/order/0a1b2c3d.json');
  const afterDelete = await store.read('dlq/order/0a1b2c3d.json');
  return { readText, readBinary, listed, deletedReadsUndefined: afterDelete === undefined, listedAfterDelete: await store.list('dlq/') };
}
