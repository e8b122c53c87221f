// One probe = one connection to 127.0.0.1, never anywhere else: EHLO, XCLIENT ADDR=<probe>, EHLO,
// MAIL FROM, RCPT TO an outside domain, RSET, QUIT. Never DATA. The probe address only travels as text.
import * as net from 'node:net';

export const OUTSIDE_RECIPIENT = 'probe@outside.referee.invalid';
export const PROBE_SENDER = 'probe@sender.referee.invalid';

export interface ProbeReply {
  /** The reply that decided: RCPT's, or the first failing step's. */
  code: number;
  text: string;
  step: 'greeting' | 'ehlo' | 'xclient' | 'mail' | 'rcpt' | 'connection';
}

export async function probeRelay(port: number, address: string, timeoutMs = 15_000): Promise<ProbeReply> {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.setEncoding('latin1');
  let buffer = '';
  let waiter: (() => void) | undefined;
  let closed = false;
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    waiter?.();
  });
  socket.on('close', () => {
    closed = true;
    waiter?.();
  });
  socket.on('error', () => {
    closed = true;
    waiter?.();
  });
  const timer = setTimeout(() => socket.destroy(new Error('probe timed out')), timeoutMs);
  /** Reads one (possibly multi-line) reply. */
  const reply = async (): Promise<{ code: number; text: string }> => {
    for (;;) {
      const match = /^(?:\d{3}-[^\n]*\n)*(\d{3})(?: [^\n]*)?\r?\n/.exec(buffer);
      if (match) {
        buffer = buffer.slice(match[0].length);
        return { code: Number(match[1]), text: match[0].trim().split('\n').pop()!.trim() };
      }
      if (closed) return { code: 0, text: 'connection closed' };
      await new Promise<void>((resolve) => (waiter = resolve));
      waiter = undefined;
    }
  };
  const send = async (line: string) => {
    socket.write(`${line}\r\n`);
    return reply();
  };
  try {
    const steps: Array<[ProbeReply['step'], () => Promise<{ code: number; text: string }>]> = [
      ['greeting', reply],
      ['ehlo', () => send('EHLO referee.invalid')],
      ['xclient', () => send(`XCLIENT NAME=[UNAVAILABLE] ADDR=${address.includes(':') ? `IPV6:${address}` : address}`)],
      ['ehlo', () => send('EHLO probe.referee.invalid')],
      ['mail', () => send(`MAIL FROM:<${PROBE_SENDER}>`)],
      ['rcpt', () => send(`RCPT TO:<${OUTSIDE_RECIPIENT}>`)],
    ];
    for (const [step, action] of steps) {
      const { code, text } = await action();
      const ok = step === 'greeting' || step === 'xclient' ? code === 220 : code === 250;
      if (step === 'rcpt' || !ok) return { code, text, step: code === 0 ? 'connection' : step };
    }
    throw new Error('unreachable');
  } finally {
    if (!closed) {
      socket.write('RSET\r\nQUIT\r\n');
      socket.end();
    }
    clearTimeout(timer);
    setTimeout(() => socket.destroy(), 2000).unref();
  }
}
