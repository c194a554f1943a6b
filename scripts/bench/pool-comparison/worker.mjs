// piscina's and tinypool's worker: the same pure inspector the app's pool runs.
import { inspectCsd } from '../../../dist/src/certificates/inspection.js';

const asBuffer = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);

export default function inspect(task) {
  return inspectCsd({ cer: asBuffer(task.cer), key: asBuffer(task.key), password: task.password, now: task.now });
}
