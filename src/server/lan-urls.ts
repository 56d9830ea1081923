import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

/** True for an address that listens on every interface (0.0.0.0, ::). */
export function isAnyAddress(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/**
 * The URLs other machines on the network can use for a server listening on `host`: one per
 * IPv4 address of this machine's network interfaces when it listens on all of them (IPv4
 * first: what people type on a phone), or `host` itself when it is not a loopback address.
 */
export function lanUrls(
  host: string,
  port: number,
  interfaces: Record<string, NetworkInterfaceInfo[] | undefined> = networkInterfaces(),
): string[] {
  if (!isAnyAddress(host)) return isLoopback(host) ? [] : [`http://${bracketed(host)}:${port}`];
  return Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((info) => !info.internal && info.family === 'IPv4')
    .map((info) => `http://${info.address}:${port}`);
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function bracketed(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
