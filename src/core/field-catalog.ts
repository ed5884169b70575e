import { RecordType } from './record-type';

/**
 * The one source of truth for fields: keys, labels, which types have them, which are required,
 * how values are normalized, the alternate header names the mapper recognises, and template examples.
 */
export type FieldKey =
  | 'firstName'
  | 'lastName'
  | 'fullName'
  | 'name'
  | 'email'
  | 'phone'
  | 'company'
  | 'jobTitle'
  | 'website'
  | 'industry'
  | 'employees'
  | 'source'
  | 'status'
  | 'address'
  | 'city'
  | 'state'
  | 'postalCode'
  | 'country'
  | 'notes'
  | 'tags';

export type FieldKind = 'text' | 'email' | 'phone' | 'website' | 'integer' | 'tags' | 'fullName';

export interface FieldDef {
  readonly key: FieldKey;
  readonly label: string;
  readonly kind: FieldKind;
  readonly types: readonly RecordType[];
  readonly requiredFor: readonly RecordType[];
  /** Alternate header names (any language, any case); the mapper normalises them. */
  readonly aliases: readonly string[];
  /** Example values for the sample templates, two rows per type. */
  readonly examples: readonly [string, string];
}

const PEOPLE: readonly RecordType[] = ['clients', 'leads'];
const ALL: readonly RecordType[] = ['clients', 'leads', 'companies'];

export const FIELD_CATALOG: readonly FieldDef[] = [
  {
    key: 'firstName',
    label: 'First Name',
    kind: 'text',
    types: PEOPLE,
    requiredFor: PEOPLE,
    aliases: [
      'first name', 'firstname', 'first', 'fname', 'f name', 'given name', 'givenname', 'forename',
      'christian name', 'vorname', 'prénom', 'prenom', 'nombre', 'nombre de pila',
      'first names', 'forenames', 'given names', 'rufname', 'nombres', 'primer nombre', 'nome', 'voornaam',
    ],
    examples: ['Ana', 'Jürgen'],
  },
  {
    key: 'lastName',
    label: 'Last Name',
    kind: 'text',
    types: PEOPLE,
    requiredFor: [],
    aliases: [
      'last name', 'lastname', 'last', 'lname', 'l name', 'surname', 'family name', 'familyname',
      'nachname', 'familienname', 'nom de famille', 'nom', 'apellido', 'apellidos',
      'last names', 'surnames', 'family names', 'zuname', 'primer apellido', 'apellido paterno', 'cognome',
      'sobrenome', 'achternaam',
    ],
    examples: ['García', 'Müller'],
  },
  {
    key: 'fullName',
    label: 'Full Name',
    kind: 'fullName',
    types: PEOPLE,
    requiredFor: [],
    aliases: [
      'name', 'full name', 'fullname', 'contact name', 'contact', 'person', 'person name', 'display name',
      'client name', 'customer name', 'lead name', 'nombre completo', 'nom complet', 'vollständiger name',
      'full names', 'your name', 'contact person', 'member name', 'subscriber name', 'ansprechpartner',
      'kontaktperson', 'nom et prénom', 'nom prénom', 'prénom nom', 'nombre y apellidos', 'nombre y apellido',
      'persona de contacto', 'contacto', 'customer', 'client',
    ],
    examples: ['Ana García', 'Jürgen Müller'],
  },
  {
    key: 'name',
    label: 'Company Name',
    kind: 'text',
    types: ['companies'],
    requiredFor: ['companies'],
    aliases: [
      'name', 'company name', 'company', 'organization', 'organisation', 'organization name', 'org',
      'account name', 'account', 'business name', 'firma', 'firmenname', 'unternehmen', 'société',
      'societe', 'entreprise', 'empresa', 'nombre de la empresa',
      'company / account', 'legal name', 'trading name', 'org name', 'unternehmensname', 'firmierung',
      "nom de l'entreprise", 'nom de la société', 'raison sociale', 'nom', 'nombre', 'razón social',
      'compañía', 'nombre de la compañía', 'nombre de la cuenta', 'organización', 'cuenta',
    ],
    examples: ['Acme Analytics', 'Nordwind GmbH'],
  },
  {
    key: 'email',
    label: 'Email',
    kind: 'email',
    types: ALL,
    requiredFor: PEOPLE,
    aliases: [
      'email', 'e-mail', 'email address', 'e-mail address', 'mail', 'emailaddress', 'primary email',
      'work email', 'e-mail-adresse', 'courriel', 'adresse e-mail', 'correo', 'correo electrónico',
      'emails', 'email 1', 'mail address', 'business email', 'personal email', 'contact email',
      'mailadresse', 'e-mail adresse', 'adresse email', 'adresse mail', 'adresse électronique', 'mél',
      'dirección de correo', 'dirección de correo electrónico', 'e-mailadres', 'posta elettronica',
    ],
    examples: ['ana.garcia@example.com', 'j.mueller@example.de'],
  },
  {
    key: 'phone',
    label: 'Phone',
    kind: 'phone',
    types: ALL,
    requiredFor: [],
    aliases: [
      'phone', 'phone number', 'telephone', 'tel', 'mobile', 'mobile phone', 'mobile number', 'cell',
      'cell phone', 'mobile #', 'phone #', 'telefon', 'telefonnummer', 'handy', 'téléphone', 'portable',
      'teléfono', 'móvil', 'celular',
      'phones', 'telephone number', 'phone no', 'tel no', 'mobile phone number', 'cell number', 'cellphone',
      'primary phone', 'work phone', 'business phone', 'office phone', 'mobil', 'mobiltelefon',
      'mobilnummer', 'handynummer', 'rufnummer', 'telefon mobil', 'téléphone portable', 'téléphone mobile',
      'numéro de téléphone', 'teléfono móvil', 'número de teléfono', 'movil', 'telefono movil', 'cellulare',
      'telefoonnummer', 'telefone', 'telemóvel', 'sms', 'landline', 'landline number',
    ],
    examples: ['+34 612 345 678', '+49 30 1234567'],
  },
  {
    key: 'company',
    label: 'Company',
    kind: 'text',
    types: PEOPLE,
    requiredFor: [],
    aliases: [
      'company', 'company name', 'organization', 'organisation', 'org', 'employer', 'account',
      'account name', 'business', 'firma', 'unternehmen', 'société', 'entreprise', 'empresa',
      'company / account', 'organization name', 'organisation name', 'employer name', 'business name',
      'firmenname', 'unternehmensname', 'arbeitgeber', "nom de l'entreprise", 'nom de la société',
      'raison sociale', 'compañía', 'organización', 'nombre de la empresa', 'azienda', 'bedrijf',
    ],
    examples: ['Acme Analytics', 'Nordwind GmbH'],
  },
  {
    key: 'jobTitle',
    label: 'Job Title',
    kind: 'text',
    types: PEOPLE,
    requiredFor: [],
    aliases: [
      'job title', 'title', 'position', 'role', 'designation', 'jobtitle', 'berufsbezeichnung', 'position',
      'poste', 'fonction', 'titre', 'cargo', 'puesto',
      'job position', 'job role', 'title/position', 'funktion', 'stellung', 'jobbezeichnung',
      'intitulé du poste', 'titre du poste', 'puesto de trabajo',
    ],
    examples: ['Head of Operations', 'Einkaufsleiter'],
  },
  {
    key: 'website',
    label: 'Website',
    kind: 'website',
    types: ['clients', 'companies'],
    requiredFor: [],
    aliases: [
      'website', 'web site', 'url', 'web', 'homepage', 'home page', 'site', 'domain', 'webseite',
      'site web', 'sitio web', 'página web',
      'website url', 'web page', 'webpage', 'web address', 'homepage url', 'company website',
      'site internet', 'internetseite', 'internetadresse', 'sitio', 'página',
    ],
    examples: ['https://acme.example.com', 'nordwind.example.de'],
  },
  {
    key: 'industry',
    label: 'Industry',
    kind: 'text',
    types: ['companies'],
    requiredFor: [],
    aliases: [
      'industry', 'sector', 'vertical', 'branche', 'industrie', 'secteur', 'industria', 'sector',
      'industry type', 'business sector', "secteur d'activité", 'wirtschaftszweig', 'sector de actividad',
      'rubro',
    ],
    examples: ['Software', 'Logistics'],
  },
  {
    key: 'employees',
    label: 'Employees',
    kind: 'integer',
    types: ['companies'],
    requiredFor: [],
    aliases: [
      'employees', 'number of employees', 'employee count', 'headcount', 'staff', 'company size',
      'mitarbeiter', 'anzahl mitarbeiter', 'employés', 'effectif', 'empleados',
      'no. of employees', 'num employees', 'employee', 'employees count', 'number of staff', 'team size',
      'size', 'mitarbeiterzahl', 'anzahl der mitarbeiter', 'beschäftigte', "nombre d'employés",
      'nombre de salariés', 'salariés', 'número de empleados', 'plantilla',
    ],
    examples: ['120', '1,200'],
  },
  {
    key: 'source',
    label: 'Source',
    kind: 'text',
    types: ['leads'],
    requiredFor: [],
    aliases: [
      'source', 'lead source', 'origin', 'channel', 'quelle', 'herkunft', 'origine', 'fuente', 'origen',
      'lead origin', 'lead channel', 'referral source', 'original source', 'utm source',
      'how did you hear about us', 'leadquelle', 'source du lead', 'origen del lead', 'fuente del lead',
    ],
    examples: ['Website form', 'Trade fair'],
  },
  {
    key: 'status',
    label: 'Status',
    kind: 'text',
    types: ['leads'],
    requiredFor: [],
    aliases: [
      'status', 'lead status', 'stage', 'lifecycle stage', 'statut', 'estado',
      'lead stage', 'lead state', 'pipeline stage', 'leadstatus', 'phase', 'statut du lead',
      'estado del lead',
    ],
    examples: ['New', 'Contacted'],
  },
  {
    key: 'address',
    label: 'Address',
    kind: 'text',
    types: ALL,
    requiredFor: [],
    aliases: [
      'address', 'street', 'street address', 'address line 1', 'address 1', 'mailing street', 'adresse',
      'straße', 'strasse', 'rue', 'dirección', 'direccion', 'calle',
      'address line1', 'address1', 'addr', 'street 1', 'street line 1', 'street name', 'street and number',
      'billing street', 'mailing address', 'postal address', 'full address', 'straße und hausnummer',
      'anschrift', 'adresse postale', 'dirección postal', 'domicilio', 'indirizzo', 'adres', 'endereço',
      'straat',
    ],
    examples: ['Calle Mayor 1', 'Hauptstraße 5'],
  },
  {
    key: 'city',
    label: 'City',
    kind: 'text',
    types: ALL,
    requiredFor: [],
    aliases: [
      'city', 'town', 'locality', 'stadt', 'ort', 'ville', 'ciudad', 'localidad',
      'city/town', 'town/city', 'village', 'suburb', 'municipality', 'wohnort', 'commune', 'municipio',
      'población', 'città', 'plaats', 'woonplaats', 'cidade',
    ],
    examples: ['Madrid', 'Berlin'],
  },
  {
    key: 'state',
    label: 'State',
    kind: 'text',
    types: ALL,
    requiredFor: [],
    aliases: [
      'state', 'province', 'region', 'state/province', 'state/region', 'county', 'bundesland', 'région',
      'provincia', 'estado',
      'state code', 'province code', 'state/county', 'prefecture', 'territory', 'canton', 'département',
      'comunidad autónoma',
    ],
    examples: ['Madrid', 'Berlin'],
  },
  {
    key: 'postalCode',
    label: 'Postal Code',
    kind: 'text',
    types: ALL,
    requiredFor: [],
    aliases: [
      'postal code', 'postcode', 'post code', 'zip', 'zip code', 'zipcode', 'postleitzahl', 'plz',
      'code postal', 'código postal', 'codigo postal', 'cp',
      'zip/postal code', 'postal/zip code', 'postal', 'billing code', 'pin code', 'pincode', 'cap', 'cep',
    ],
    examples: ['28013', '10115'],
  },
  {
    key: 'country',
    label: 'Country',
    kind: 'text',
    types: ALL,
    requiredFor: [],
    aliases: [
      'country', 'country/region', 'nation', 'land', 'pays', 'país', 'pais',
      'country code', 'country name', 'country/territory', 'land/region', 'pays/région', 'paese', 'nazione',
    ],
    examples: ['Spain', 'Germany'],
  },
  {
    key: 'notes',
    label: 'Notes',
    kind: 'text',
    types: ALL,
    requiredFor: [],
    aliases: [
      'notes', 'note', 'comments', 'comment', 'description', 'remarks', 'notizen', 'bemerkungen',
      'commentaire', 'notas',
      'memo', 'about', 'background info', 'details', 'notiz', 'bemerkung', 'anmerkungen', 'kommentar', 'kommentare',
      'beschreibung', 'remarques', 'observations', 'observaciones', 'comentarios', 'nota', 'opmerkingen',
      'observações',
    ],
    examples: ['Met at the "Data Days", asked for a demo', 'Prefers email, not calls'],
  },
  {
    key: 'tags',
    label: 'Tags',
    kind: 'tags',
    types: ALL,
    requiredFor: [],
    aliases: [
      'tags', 'tag', 'labels', 'label', 'groups', 'categories', 'schlagwörter', 'étiquettes', 'etiquetas',
      'group', 'group membership', 'category', 'segment', 'segments', 'lists', 'schlagworte', 'gruppen',
      'kategorie', 'kategorien', 'catégories', 'categorías', 'grupos', 'etiqueta',
    ],
    examples: ['vip; newsletter', 'partner'],
  },
];

const BY_KEY = new Map<FieldKey, FieldDef>(FIELD_CATALOG.map((f) => [f.key, f]));

export function fieldDef(key: FieldKey): FieldDef {
  const def = BY_KEY.get(key);
  if (!def) throw new Error(`unknown field ${key}`);
  return def;
}

export function fieldsOf(type: RecordType): FieldDef[] {
  return FIELD_CATALOG.filter((f) => f.types.includes(type));
}

export function requiredFieldsOf(type: RecordType): FieldDef[] {
  return FIELD_CATALOG.filter((f) => f.requiredFor.includes(type));
}

export function isFieldOf(type: RecordType, key: string): key is FieldKey {
  return fieldsOf(type).some((f) => f.key === key);
}

/** A required field counts as mapped when a column feeds it; `fullName` feeds `firstName`. */
export function missingRequired(type: RecordType, mappedFields: Iterable<FieldKey | null>): FieldKey[] {
  const mapped = new Set<FieldKey>();
  for (const f of mappedFields) {
    if (f === null) continue;
    mapped.add(f);
    if (f === 'fullName') mapped.add('firstName');
  }
  return requiredFieldsOf(type)
    .map((f) => f.key)
    .filter((k) => !mapped.has(k));
}
