/**
 * Replies to Intake's mapping proposal shaped as mail clients write them: the person's instruction on
 * top, then the quoted original introduced the way each client and language introduces it (header
 * blocks, "wrote" lines, separators, HTML-only bodies), or a signature the reading must stop at. The
 * texts are written for Intake; only their shapes follow what those clients produce.
 */

export interface QuoteShape {
  name: string;
  /** The message's body under its headers: text/plain unless `html`. */
  body: (command: string) => string;
  html?: boolean;
}

export interface ReplyCommandCase {
  command: string;
  /** What the reply must be read as: the fields of ReplyCommand that matter here. */
  expected: {
    confirm: boolean;
    cancel: boolean;
    corrections: { header: string; field: string | null }[];
  };
}

export const REPLY_HEADERS = ['First Name', 'Last Name', 'Email', 'Mobile number', 'Notes'];

export const REPLY_COMMANDS: readonly ReplyCommandCase[] = [
  { command: 'yes', expected: { confirm: true, cancel: false, corrections: [] } },
  { command: 'cancel', expected: { confirm: false, cancel: true, corrections: [] } },
  {
    command: 'skip Notes',
    expected: { confirm: false, cancel: false, corrections: [{ header: 'Notes', field: null }] },
  },
  {
    command: 'Phone = Mobile number',
    expected: { confirm: false, cancel: false, corrections: [{ header: 'Mobile number', field: 'phone' }] },
  },
];

const ADDRESS = 'intake@import.localhost';

/** Intake's proposal as it is quoted: its instructions would be read as the person's if not cut off. */
const PROPOSAL = [
  'I read fair-clients.csv. This is how its columns would be imported:',
  '',
  'Column         Field       Confidence  Sample values',
  'First Name     First Name  100%        Ana, Bob',
  'Mobile number  Phone       95%         +34 612 345 678',
  'Notes          Notes       100%        VIP',
  '',
  'To import with this mapping, reply "yes".',
  'To correct it, reply with one change per line, as Field = Column, for example:',
  '  Phone = Mobile number',
  '  Notes = skip',
].join('\n');

const PROPOSAL_HTML =
  '<div><p>I read fair-clients.csv. This is how its columns would be imported:</p>' +
  '<table><tr><th>Column</th><th>Field</th></tr><tr><td>Mobile number</td><td>Phone</td></tr></table>' +
  '<p>To import with this mapping, reply "yes".<br>To correct it, reply with one change per line, ' +
  'as Field = Column, for example:<br>Phone = Mobile number<br>Notes = skip</p></div>';

const quoted = (intro: string) => (command: string) => `${command}\n\n${intro}\n\n${PROPOSAL}\n`;

export const QUOTE_SHAPES: readonly QuoteShape[] = [
  {
    name: 'Outlook (English), bare address',
    body: quoted(
      `________________________________\nFrom: ${ADDRESS}\nSent: Monday, November 23, 2026 6:14 PM\nTo: Ana Garcia <ana@example.com>\nSubject: Re: Clients`,
    ),
  },
  {
    name: 'Outlook (German), bare address',
    body: quoted(
      `Von: ${ADDRESS}\nGesendet: Montag, 23. November 2026 18:14\nAn: Ana García <ana@example.com>\nBetreff: AW: Kunden`,
    ),
  },
  {
    name: 'Outlook (German), display name, no address',
    body: quoted(
      'Von: Intake\nGesendet: Montag, 23. November 2026 18:14\nAn: Ana García\nBetreff: AW: Kunden',
    ),
  },
  {
    name: 'Outlook (French), bare address',
    body: quoted(
      `De : ${ADDRESS}\nEnvoyé : lundi 23 novembre 2026 18:14\nÀ : Ana Garcia\nObjet : RE: Clients`,
    ),
  },
  {
    name: 'Outlook (Spanish), bare address',
    body: quoted(
      `De: ${ADDRESS}\nEnviado el: lunes, 23 de noviembre de 2026 18:14\nPara: Ana\nAsunto: RE: Clientes`,
    ),
  },
  {
    name: 'Outlook (Portuguese)',
    body: quoted(
      'De: Intake\nEnviada em: segunda-feira, 23 de novembro de 2026 18:14\nPara: Ana\nAssunto: RE: Clientes',
    ),
  },
  {
    name: 'Outlook (Chinese)',
    body: quoted('发件人: Intake\n发送时间: 2026年11月23日 18:14\n收件人: Ana\n主题: 回复: 客户'),
  },
  {
    name: 'Outlook (Dutch), bare address',
    body: quoted(
      `Van: ${ADDRESS}\nVerzonden: maandag 23 november 2026 18:14\nAan: Ana\nOnderwerp: RE: Klanten`,
    ),
  },
  {
    name: 'Outlook (Danish)',
    body: quoted(
      `Fra: Intake <${ADDRESS}>\nSendt: 23. november 2026 18:14\nTil: Ana Garcia\nEmne: SV: Kunder`,
    ),
  },
  {
    name: 'Outlook (Swedish)',
    body: quoted(`Från: ${ADDRESS}\nSkickat: den 23 november 2026 18:14\nTill: Ana Garcia\nÄmne: SV: Kunder`),
  },
  {
    name: 'Outlook (Italian)',
    body: quoted(
      `Da: ${ADDRESS}\nInviato: lunedì 23 novembre 2026 18:14\nA: Ana Garcia\nOggetto: R: Clienti`,
    ),
  },
  {
    name: 'Outlook (Polish)',
    body: quoted(
      `Od: ${ADDRESS}\nWysłano: poniedziałek, 23 listopada 2026 18:14\nDo: Ana\nTemat: RE: Klienci`,
    ),
  },
  {
    name: 'Outlook, HTML rendered as text (bold labels)',
    body: quoted(
      `*From:* Intake\n*Sent:* Monday, November 23, 2026 6:14 PM\n*To:* Ana Garcia\n*Subject:* Re: Clients`,
    ),
  },
  {
    name: 'Outlook (Japanese)',
    body: quoted(`差出人: Intake\n送信日時: 2026年11月23日 18:14\n宛先: Ana\n件名: RE: 顧客`),
  },
  {
    name: 'Outlook (Hungarian): a language not listed, found by the name Intake signs with',
    body: quoted(
      `Feladó: Intake <${ADDRESS}>\nElküldve: 2026. november 23. 18:14\nCímzett: Ana\nTárgy: V: Ügyfelek`,
    ),
  },
  {
    name: 'Hungarian "wrote" line: a language not listed, found by the name Intake signs with',
    body: quoted(`Intake <${ADDRESS}> ezt írta (2026. nov. 23., h, 18:14):`),
  },
  {
    name: 'Russian "wrote" line',
    body: quoted(`23 нояб. 2026 г., в 18:14, Intake <${ADDRESS}> написал(а):`),
  },
  {
    name: 'Dutch "wrote" line',
    body: quoted(`Op 23 nov. 2026 om 18:14 heeft Intake <${ADDRESS}> het volgende geschreven:`),
  },
  {
    name: 'Gmail, date-first attribution',
    body: quoted(`2026-11-23 18:14 GMT+01:00 Intake <${ADDRESS}>:`),
  },
  { name: '"---- Name wrote ----"', body: quoted('---- Intake wrote ----') },
  { name: '"… sent:" attribution', body: quoted(`On 23.11.2026, at 18:14, ${ADDRESS} sent:`) },
  {
    name: 'Portuguese "wrote" line, wrapped',
    body: quoted(`Em seg., 23 de nov. de 2026 às 18:14, Intake <\n${ADDRESS}> escreveu:`),
  },
  {
    name: 'Polish "wrote" line',
    body: quoted(`W dniu 23.11.2026 o 18:14, Intake <${ADDRESS}> pisze:`),
  },
  { name: 'Chinese "wrote" line', body: quoted(`在 2026年11月23日 18:14，Intake <${ADDRESS}> 写道：`) },
  {
    name: 'Swedish "Original Message" separator',
    body: quoted(`-----Ursprungligt meddelande-----\nFrån: Intake\nSkickat: den 23 november 2026 18:14`),
  },
  {
    name: 'Hotmail, HTML only (Date/Subject first)',
    html: true,
    body: (command) =>
      `<html><body><div>${command}</div><div><hr><b>Date:</b> Thu, 23 Nov 2026 18:14:00 +0100<br>` +
      `<b>Subject:</b> Re: Clients<br><b>From:</b> ${ADDRESS}<br><b>To:</b> ana@example.com<br>` +
      `${PROPOSAL_HTML}</div></body></html>`,
  },
  {
    name: 'Outlook on the web, HTML only, bare address',
    html: true,
    body: (command) =>
      `<html><body><div>${command}</div><div id="appendonsend"></div><hr>` +
      `<div id="divRplyFwdMsg"><b>From:</b> ${ADDRESS}<br><b>Sent:</b> Monday, November 23, 2026 18:14<br>` +
      `<b>To:</b> Ana Garcia<br><b>Subject:</b> Clients</div>${PROPOSAL_HTML}</body></html>`,
  },
  {
    name: 'German sign-off with ß (Viele Grüße)',
    body: (command) =>
      `${command}\n\nViele Grüße\nAna García\nTelefon: +49 30 1234567, mobil 0151 2345678\nZentrale: Hauptstraße 5\n`,
  },
  {
    name: 'German sign-off with ß (Mit freundlichen Grüßen)',
    body: (command) =>
      `${command}\n\nMit freundlichen Grüßen\n\nAna García\nVertrieb: Region Süd\nTelefon: 030 / 123 45 - 67 (Durchwahl)\n`,
  },
];

/** A whole message as a mail client sends it. */
export function replyMessage(shape: QuoteShape, command: string): string {
  return [
    'From: Ana Garcia <ana@example.com>',
    'To: Intake <import+TOKEN@import.localhost>',
    'Subject: Re: Clients from the trade fair',
    'Date: Mon, 23 Nov 2026 18:20:00 +0100',
    'Message-ID: <reply@example.com>',
    'MIME-Version: 1.0',
    `Content-Type: ${shape.html ? 'text/html' : 'text/plain'}; charset="utf-8"`,
    'Content-Transfer-Encoding: 8bit',
    '',
    shape.body(command),
  ].join('\r\n');
}
