import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, isLoopbackHostname } from './loopback.js';

describe('loopback', () => {
  it('when a peer address is loopback (IPv4 block, IPv6, IPv4-mapped), then it is recognised', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(address)).toBe(true);
  });

  it('when a peer address is anything else, then it is not loopback', () => {
    for (const address of [undefined, '', '10.0.0.1', '128.0.0.1', '::2', '::ffff:10.0.0.1', '127.0.0.1.evil', 'localhost']) expect(isLoopbackAddress(address)).toBe(false);
  });

  it('when a URL names this machine, then its hostname is loopback; other hosts are not', () => {
    for (const url of ['http://127.0.0.1:3001/v2', 'http://localhost/v2', 'http://[::1]:3001/v2']) expect(isLoopbackHostname(new URL(url).hostname)).toBe(true);
    for (const url of ['http://facturapi.example.com/v2', 'http://127.0.0.1.example.com/', 'http://[::2]/', 'http://localhost.example.com/']) expect(isLoopbackHostname(new URL(url).hostname)).toBe(false);
  });
});
