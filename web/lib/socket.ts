import { backoffDelay } from './backoff.ts';
import type { ClientFrame, ServerFrame, Subscribe } from './types.ts';

export type SocketState = 'connecting' | 'open' | 'closed';

export interface SocketOptions {
  /** The URL to connect to, asked again before every attempt (tokens can change). */
  url: () => string | Promise<string>;
  onFrame: (frame: ServerFrame) => void;
  /**
   * What this socket listens to, sent on every connection before `onOpen` and again on
   * `resubscribe()`: the server then pushes only these frames, one message per event.
   */
  subscription?: () => Subscribe;
  /** Called on every successful connection; `reconnected` is true after the first one. */
  onOpen?: (reconnected: boolean) => void;
  onState?: (state: SocketState) => void;
  /** Keep-alive interval; API Gateway drops sockets idle for 10 minutes. */
  pingMs?: number;
  random?: () => number;
  createSocket?: (url: string) => WebSocket;
}

/**
 * A WebSocket that reconnects with exponential backoff and jitter until stopped, reconnects at
 * once when the browser comes back online, and keeps the connection alive with pings.
 */
export class ReconnectingSocket {
  private readonly options: SocketOptions;
  private socket: WebSocket | undefined;
  private attempt = 0;
  private opened = false;
  private stopped = true;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private readonly onOnline = () => this.reconnectNow();

  constructor(options: SocketOptions) {
    this.options = options;
  }

  /** Starts connecting (no-op when already started). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    if (typeof window !== 'undefined') window.addEventListener('online', this.onOnline);
    void this.connect();
  }

  /** Closes the socket for good. */
  stop(): void {
    this.stopped = true;
    if (typeof window !== 'undefined') window.removeEventListener('online', this.onOnline);
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const socket = this.socket;
    this.socket = undefined;
    socket?.close();
    this.options.onState?.('closed');
  }

  /** Drops the current connection and connects again now (e.g. after the token changed). */
  reconnectNow(): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = undefined;
    socket?.close();
    this.attempt = 0;
    void this.connect();
  }

  get isOpen(): boolean {
    return this.socket?.readyState === 1;
  }

  /** Sends the current subscription again (a conversation was opened or closed); sent on connect anyway. */
  resubscribe(): void {
    const subscription = this.options.subscription?.();
    if (subscription) this.send(subscription);
  }

  /** Sends a frame when connected; returns false when it could not be sent. */
  send(frame: ClientFrame): boolean {
    if (this.socket?.readyState !== 1) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.options.onState?.('connecting');
    let socket: WebSocket;
    try {
      const url = await this.options.url();
      if (this.stopped || this.socket) return;
      socket = this.options.createSocket ? this.options.createSocket(url) : new WebSocket(url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      const reconnected = this.opened;
      this.opened = true;
      this.attempt = 0;
      this.options.onState?.('open');
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.send({ type: 'ping' }), this.options.pingMs ?? 240_000);
      this.resubscribe();
      this.options.onOpen?.(reconnected);
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket || typeof event.data !== 'string') return;
      let frame: ServerFrame | { type: 'batch'; frames: ServerFrame[] };
      try {
        frame = JSON.parse(event.data) as ServerFrame | { type: 'batch'; frames: ServerFrame[] };
      } catch {
        return;
      }
      // A subscribed socket gets the frames of one event as one `batch` message, in order.
      for (const each of frame.type === 'batch' ? frame.frames : [frame]) this.options.onFrame(each);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      clearInterval(this.pingTimer);
      this.options.onState?.('closed');
      this.scheduleRetry();
    };
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    const delay = backoffDelay(this.attempt++, this.options.random);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }
}
