import net from 'node:net';
import { tcpAddress } from '../domain/printer.js';

/**
 * Sends ZPL to a printer's raw port (9100): connect, write, close. Resolves when the printer
 * has taken every byte and the connection closed cleanly; rejects with the socket's error
 * (`connect ECONNREFUSED 10.0.0.5:9100`) or a timeout. Raw printing has no answer: a printer that
 * takes the bytes has the job.
 */
export function sendRaw(address: string, data: Uint8Array, timeoutMs: number): Promise<void> {
  const { host, port } = tcpAddress(address);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`no answer from ${address} within ${timeoutMs / 1000} s`)),
    );
    socket.once('error', (error) => reject(error));
    socket.once('connect', () => socket.end(data));
    socket.once('close', (hadError) => {
      if (!hadError) resolve();
    });
    // Bytes the printer sends back (none, usually) are read and dropped so the socket can close.
    socket.resume();
  });
}
