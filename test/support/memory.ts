/**
 * Heap measurements that mean something: a full garbage collection first, so "memory stayed
 * bounded" compares live objects, not garbage the collector has not got round to yet.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Live heap and RSS after a full collection, in bytes. */
export function liveMemory(): { heapUsed: number; rss: number } {
  gc();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed, rss };
}
