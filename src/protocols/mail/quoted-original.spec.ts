import { headerLabel, quoteStart } from './quoted-original';

const at = (text: string) => quoteStart(text.split('\n'));

describe('quoteStart', () => {
  it.each([
    ['Outlook, bare address', 'yes\n\nFrom: intake@import.localhost\nSent: Monday\nTo: Ana\nSubject: Re: x'],
    ['Outlook, German, bare address', 'ja\n\nVon: intake@import.localhost\nGesendet: Montag\nAn: Ana'],
    ['Outlook, German, a name only', 'ja\n\nVon: Intake\nGesendet: Montag, 23. November 2026 18:14\nAn: Ana'],
    ['Danish', 'ja\n\nFra: Intake\nSendt: 23. november 2026\nTil: Ana\nEmne: SV: x'],
    ['Swedish', 'ja\n\nFrån: Intake\nSkickat: den 23 november 2026\nTill: Ana\nÄmne: SV: x'],
    ['bold labels', 'yes\n\n*From:* Intake\n*Sent:* Monday\n*To:* Ana'],
    [
      'Hotmail: date and subject first, blank lines between',
      'yes\n\nDate: Thu, 23 Nov 2026\n\nSubject: x\n\nFrom: Intake',
    ],
    ['Japanese', 'はい\n\n差出人: Intake\n送信日時: 2026年11月23日 18:14'],
    ['Russian', 'да\n\n23 нояб. 2026 г., в 18:14, Intake <intake@import.localhost> написал(а):'],
    ['Dutch', 'ja\n\nOp 23 nov. 2026 om 18:14 heeft Intake <intake@x.test> het volgende geschreven:'],
    ['Gmail, date first', 'yes\n\n2014-10-17 11:28 GMT+03:00 Intake <intake@x.test>:'],
    ['dashed', 'yes\n\n---- Intake wrote ----'],
    ['sent', 'yes\n\nOn 23.11.2026, at 18:14, intake@x.test sent:'],
    ['Polish', 'tak\n\nW dniu 23.11.2026 o 18:14, Intake <intake@x.test> pisze:'],
    ['Chinese', '好\n\n在 2026年11月23日 18:14，Intake <intake@x.test> 写道：'],
    [
      'wrapped attribution',
      'yes\n\nEm seg., 23 de nov. de 2026 às 18:14, Intake <\nintake@x.test> escreveu:',
    ],
    ['localized separator', 'yes\n\n-----Ursprüngliche Nachricht-----\nVon: Intake'],
    ['any language, naming Intake', 'igen\n\nFeladó: Intake\nElküldve: 2026. november 23.'],
    ['any attribution naming Intake', 'igen\n\nIntake <intake@x.test> ezt írta (2026. nov. 23.):'],
  ])('%s', (_name, text) => {
    expect(at(text)).toBe(2);
  });

  it.each([
    ['corrections written with colons', 'Phone: Mobile number\nNotes: skip\nEmail: Email'],
    ['a date and a subject column', 'Date: Created\nSubject: Topic'],
    ['a sender column', 'From: Source'],
    ['a greeting to Intake', 'Hi Intake:\nNotes: skip'],
    ['a column named after Intake', 'Intake date: Created\nNotes: skip'],
    ['a numbered instruction above an attribution', '1. yes\nOn Mon, 23 Nov 2026 Intake <i@x.test> wrote:'],
    ['a sentence ending in a colon', 'I wrote the notes in the last column:\nNotes = Comments'],
    ['a word that ends like "wrote"', 'rewrote 2:'],
  ])('is not fooled by %s', (_name, text) => {
    const start = at(text);
    const lines = text.split('\n');
    expect(start < 0 ? lines.length : start).toBeGreaterThanOrEqual(
      _name.startsWith('a numbered') ? 1 : lines.length,
    );
  });

  it('leaves `>` quotes to the library', () => {
    expect(at('yes\n\n> From: Intake\n> Sent: Monday')).toBe(-1);
  });
});

describe('headerLabel', () => {
  it('reads a label in bold, with a full-width colon, and its value', () => {
    expect(headerLabel('**Von:** intake@x.test')).toEqual({ label: 'von', value: 'intake@x.test' });
    expect(headerLabel('件名：RE: 顧客')).toEqual({ label: '件名', value: 'RE: 顧客' });
    expect(headerLabel('no colon here')).toBeNull();
  });
});
