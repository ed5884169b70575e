import { companyDomain } from './company-domain';

describe('companyDomain', () => {
  it.each([
    ['https://www.acme.com/', 'acme.com'],
    ['acme.com', 'acme.com'],
    ['ACME.COM.', 'acme.com'],
    ['acme.com...', 'acme.com'],
    ['http://acme.com:8080/about?x=1#top', 'acme.com'],
    ['www.acme.com/contact', 'acme.com'],
    ['https://shop.acme.co.uk/', 'acme.co.uk'],
    ['münchen-bau.de', 'xn--mnchen-bau-9db.de'],
    ['https://www.xn--mnchen-bau-9db.de', 'xn--mnchen-bau-9db.de'],
    ['acme.github.io', 'acme.github.io'],
    ['https://acme.wordpress.com/blog', 'acme.wordpress.com'],
    ['www.acme.wixsite.com/home', 'acme.wixsite.com'],
  ])('%s → %s', (cell, domain) => {
    expect(companyDomain(cell)).toBe(domain);
  });

  it.each([
    ['an IP address', 'http://192.168.1.10/'],
    ['an IPv6 address', 'http://[::1]/'],
    ['a dotless host', 'intranet'],
    ['localhost', 'http://localhost:3000'],
    ['an unknown suffix', 'acme.internal'],
    ['a social profile', 'https://www.linkedin.com/company/acme'],
    ['a free mail domain', 'gmail.com'],
    ['a site builder itself', 'https://wordpress.com'],
    ['an e-mail address', 'ana@acme.com'],
    ['a mailto link', 'mailto:ana@acme.com'],
    ['an address given a scheme', 'https://ana@acme.com'],
    ['a link with credentials', 'https://user:secret@acme.com'],
    ['a reserved example domain', 'https://www.example.org/'],
    ['words', 'see our site'],
    ['empty', '   '],
    ['a suffix alone', '.com'],
    ['a very long cell', `${'a'.repeat(3000)}.com`],
  ])('%s gives none', (_what, cell) => {
    expect(companyDomain(cell)).toBeNull();
  });
});
