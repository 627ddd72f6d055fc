/** A real SMTP server (the smtp-server package) for tests that send e-mail, and a reader of the mails it keeps. */
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface Mail {
  from: string;
  to: string[];
  raw: string;
}

export interface SmtpServer {
  server: SMTPServer;
  port: number;
  url: string;
  /** Every mail received, in order. */
  mails: Mail[];
  close(): Promise<void>;
}

/** Keeps every mail, and refuses the recipients a test names (the map may change while it runs). */
export async function startSmtp(refuse: Map<string, { code: number; message: string }> = new Map()): Promise<SmtpServer> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = refuse.get(address.address);
      if (!refusal) return callback();
      callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const { mailFrom } = session.envelope;
        mails.push({
          // String(false) when the envelope had no sender, as before.
          from: mailFrom ? mailFrom.address : String(mailFrom),
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    server,
    port,
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Headers (unfolded) and the text body of a plain mail, decoding quoted-printable. */
export function parseMail(raw: string): { headers: Record<string, string>; text: string } {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of head!.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  let text = rest.join('\r\n\r\n').replace(/\r\n$/, '');
  if (headers['content-transfer-encoding'] === 'quoted-printable') {
    text = Buffer.from(
      text.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8');
  }
  return { headers, text };
}
