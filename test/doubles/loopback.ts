import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A new HTTP server listening on a free loopback port, for a wire-protocol double. */
export async function listenOnLoopback(): Promise<{ server: http.Server; port: number; baseUrl: string }> {
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { server, port, baseUrl: `http://127.0.0.1:${port}` };
}
