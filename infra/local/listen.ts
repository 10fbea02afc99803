import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A port another process (or another local stack) already holds. */
export class PortInUseError extends Error {
  readonly port: number;
  constructor(port: number) {
    super(`port ${port} is in use: stop the other process or pass --port N`);
    this.name = 'PortInUseError';
    this.port = port;
  }
}

/** Listens on 127.0.0.1; resolves with the bound port, rejects with PortInUseError on EADDRINUSE. */
export function listen(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(err.code === 'EADDRINUSE' ? new PortInUseError(port) : err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

const remembered = new Map<string, number>();

/**
 * The port a service had last time in this process, so a restarted stack keeps its endpoints:
 * handler modules stay imported and keep SDK clients built from the first endpoint values.
 */
export function preferredPort(service: string): number {
  return remembered.get(service) ?? 0;
}

/** Listens on the remembered port of `service` when free, else on any free port; remembers it. */
export async function listenSticky(server: Server, service: string): Promise<number> {
  const preferred = preferredPort(service);
  let port: number;
  try {
    port = await listen(server, preferred);
  } catch (err) {
    if (!(err instanceof PortInUseError) || preferred === 0) throw err;
    port = await listen(server, 0);
  }
  remembered.set(service, port);
  return port;
}

/** Remembers the port a service ended up on (for services started by other means). */
export function rememberPort(service: string, port: number): void {
  remembered.set(service, port);
}

/** Closes a server and every socket it still holds. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
