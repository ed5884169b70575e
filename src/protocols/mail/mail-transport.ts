import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type { AppConfig } from '../../config/app-config';

/** Where a message went: the relay, a file in the drop folder, or nowhere (no relay is set). */
export type Sent = { via: 'relay' } | { via: 'file'; file: string } | { via: 'none' };

/**
 * Sends mail through the relay at OUTBOUND_SMTP_URL; without one, renders each message to an .eml file
 * in INTAKE_MAIL_DIR (for development), or sends nothing.
 */
export class MailTransport {
  private relay: Transporter | null = null;
  private drop: Transporter | null = null;

  constructor(private readonly options: Pick<AppConfig['mail'], 'outboundSmtpUrl' | 'dropDir'>) {}

  open(): void {
    const { outboundSmtpUrl, dropDir } = this.options;
    if (outboundSmtpUrl) this.relay = nodemailer.createTransport(outboundSmtpUrl);
    else if (dropDir) this.drop = nodemailer.createTransport({ streamTransport: true, buffer: true });
  }

  close(): void {
    this.relay?.close();
    this.relay = null;
  }

  /** `name` names the file a message is written to when there is no relay. */
  async send(message: Mail.Options, name: string): Promise<Sent> {
    if (this.relay) {
      await this.relay.sendMail(message);
      return { via: 'relay' };
    }
    const dir = this.options.dropDir;
    if (!this.drop || !dir) return { via: 'none' };
    const info = (await this.drop.sendMail(message)) as { message: Buffer };
    const file = join(dir, `${name}.eml`);
    await mkdir(dir, { recursive: true });
    await writeFile(file, info.message, { mode: 0o600 });
    return { via: 'file', file };
  }
}
