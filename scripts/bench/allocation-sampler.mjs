/**
 * Preloaded into the app by `probe.ts --alloc FILE` (node --import): V8's sampling heap profiler,
 * started and stopped by SIGUSR2, counting objects the GC has already collected too, so the
 * profile is what a request allocates, not what it keeps. Loaded only by the probe, never by the app.
 */
import fs from 'node:fs';
import inspector from 'node:inspector/promises';

const output = process.env.ALLOCATION_PROFILE_FILE;
const session = new inspector.Session();
session.connect();
let sampling = false;
process.on('SIGUSR2', async () => {
  if (!sampling) {
    sampling = true;
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    fs.writeFileSync(`${output}.started`, '');
    return;
  }
  sampling = false;
  const { profile } = await session.post('HeapProfiler.stopSampling');
  fs.writeFileSync(`${output}.tmp`, JSON.stringify(profile));
  fs.renameSync(`${output}.tmp`, output);
});
