import { parseStringPromise, processors } from 'xml2js';
import { XRechnungErrorCode, XRechnungException } from '../xrechnung.exception';
import { type FeeInvoice, type FeeInvoiceAddress, type FeeInvoiceLine, type FeeInvoiceTotals, type FeeInvoiceVat } from './fee-invoice';

/** What a generated fee invoice says, read back from its XML (values exactly as written, never coerced to numbers). */
export interface ReadFeeInvoice {
  syntax: 'ubl' | 'cii';
  customizationId: string; // BT-24
  profileId: string; // BT-23
  typeCode: string; // BT-3
  paymentMeansCode: string; // BT-81
  invoice: FeeInvoice;
  totals: FeeInvoiceTotals;
}

type XmlValue = string | XmlObject;
interface XmlObject {
  _?: string;
  $?: Record<string, string>;
  [child: string]: XmlValue[] | string | Record<string, string> | undefined;
}

const unreadable = (what: string): XRechnungException =>
  new XRechnungException(XRechnungErrorCode.UnreadableInvoice, `cannot read ${what} from the invoice`);

/** All children named `name` (xml2js with explicitArray: every child is an array). */
function all(parent: XmlValue | undefined, name: string): XmlValue[] {
  if (parent === undefined || typeof parent === 'string') return [];
  const v = parent[name];
  return Array.isArray(v) ? v : [];
}

/** The node at a path of child names (first match at each step). */
function at(parent: XmlValue | undefined, ...names: string[]): XmlValue | undefined {
  let node = parent;
  for (const name of names) node = all(node, name)[0];
  return node;
}

function textOf(node: XmlValue | undefined): string | undefined {
  if (node === undefined) return undefined;
  return typeof node === 'string' ? node : node._;
}

const opt = (parent: XmlValue | undefined, ...names: string[]): string | undefined => textOf(at(parent, ...names));
function req(parent: XmlValue | undefined, ...names: string[]): string {
  const v = opt(parent, ...names);
  if (v === undefined) throw unreadable(names.join('/'));
  return v;
}
const attr = (node: XmlValue | undefined, name: string): string | undefined => (typeof node === 'object' ? node.$?.[name] : undefined);
const mapOpt = <T, R>(v: T | undefined, f: (v: T) => R): R | undefined => (v === undefined ? undefined : f(v));
const isoDate = (d102: string): string => `${d102.slice(0, 4)}-${d102.slice(4, 6)}-${d102.slice(6, 8)}`;
/** Builds an object without the keys whose value is undefined (so read-back equals the model field by field). */
const compact = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

function vatOf(category: string, rate: string | undefined): FeeInvoiceVat {
  if (category === 'O') return { category: 'O' };
  if (category === 'S' && rate !== undefined) return { category: 'S', rate };
  throw unreadable(`VAT category ${category}`);
}

function readUbl(root: XmlValue): ReadFeeInvoice {
  const seller = at(root, 'AccountingSupplierParty', 'Party');
  const buyer = at(root, 'AccountingCustomerParty', 'Party');
  const means = at(root, 'PaymentMeans');
  const account = at(means, 'PayeeFinancialAccount');
  const subtotal = at(root, 'TaxTotal', 'TaxSubtotal');
  const category = at(subtotal, 'TaxCategory');
  const totals = at(root, 'LegalMonetaryTotal');
  const address = (party: XmlValue | undefined): FeeInvoiceAddress =>
    compact({
      street: opt(party, 'PostalAddress', 'StreetName'),
      postalCode: req(party, 'PostalAddress', 'PostalZone'),
      city: req(party, 'PostalAddress', 'CityName'),
      country: req(party, 'PostalAddress', 'Country', 'IdentificationCode'),
    });
  const lines = all(root, 'InvoiceLine');
  const firstLineCategory = at(lines[0], 'Item', 'ClassifiedTaxCategory');
  const invoice: FeeInvoice = compact({
    number: req(root, 'ID'),
    issueDate: req(root, 'IssueDate'),
    dueDate: req(root, 'DueDate'),
    deliveryDate: opt(root, 'Delivery', 'ActualDeliveryDate'),
    currency: req(root, 'DocumentCurrencyCode') as 'EUR',
    buyerReference: req(root, 'BuyerReference'),
    note: opt(root, 'Note'),
    paymentTerms: req(root, 'PaymentTerms', 'Note'),
    seller: compact({
      name: req(seller, 'PartyLegalEntity', 'RegistrationName'),
      identifier: req(seller, 'PartyIdentification', 'ID'),
      address: address(seller),
      electronicAddress: req(seller, 'EndpointID'),
      contact: {
        name: req(seller, 'Contact', 'Name'),
        phone: req(seller, 'Contact', 'Telephone'),
        email: req(seller, 'Contact', 'ElectronicMail'),
      },
      vatId: opt(seller, 'PartyTaxScheme', 'CompanyID'),
    }),
    buyer: {
      name: req(buyer, 'PartyLegalEntity', 'RegistrationName'),
      address: address(buyer),
      electronicAddress: req(buyer, 'EndpointID'),
    },
    payment: compact({
      remittanceInformation: req(means, 'PaymentID'),
      iban: req(account, 'ID'),
      accountName: opt(account, 'Name'),
      bic: opt(account, 'FinancialInstitutionBranch', 'ID'),
    }),
    vat: vatOf(req(firstLineCategory, 'ID'), opt(firstLineCategory, 'Percent')),
    lines: lines.map(
      (line): FeeInvoiceLine =>
        compact({
          id: req(line, 'ID'),
          name: req(line, 'Item', 'Name'),
          description: opt(line, 'Item', 'Description'),
          quantity: req(line, 'InvoicedQuantity'),
          unitCode: attr(at(line, 'InvoicedQuantity'), 'unitCode') ?? '',
          unitPrice: req(line, 'Price', 'PriceAmount'),
        }),
    ),
  });
  return {
    syntax: 'ubl',
    customizationId: req(root, 'CustomizationID'),
    profileId: req(root, 'ProfileID'),
    typeCode: req(root, 'InvoiceTypeCode'),
    paymentMeansCode: req(means, 'PaymentMeansCode'),
    invoice,
    totals: {
      lineTotal: req(totals, 'LineExtensionAmount'),
      taxExclusive: req(totals, 'TaxExclusiveAmount'),
      vatTotal: req(root, 'TaxTotal', 'TaxAmount'),
      taxInclusive: req(totals, 'TaxInclusiveAmount'),
      payable: req(totals, 'PayableAmount'),
      lineAmounts: lines.map((l) => req(l, 'LineExtensionAmount')),
      breakdown: compact({
        taxableAmount: req(subtotal, 'TaxableAmount'),
        taxAmount: req(subtotal, 'TaxAmount'),
        category: req(category, 'ID') as 'O' | 'S',
        rate: req(category, 'Percent'),
        exemptionReasonCode: opt(category, 'TaxExemptionReasonCode'),
      }),
    },
  };
}

function readCii(root: XmlValue): ReadFeeInvoice {
  const doc = at(root, 'ExchangedDocument');
  const tx = at(root, 'SupplyChainTradeTransaction');
  const agreement = at(tx, 'ApplicableHeaderTradeAgreement');
  const seller = at(agreement, 'SellerTradeParty');
  const buyer = at(agreement, 'BuyerTradeParty');
  const settlement = at(tx, 'ApplicableHeaderTradeSettlement');
  const means = at(settlement, 'SpecifiedTradeSettlementPaymentMeans');
  const tax = at(settlement, 'ApplicableTradeTax');
  const sums = at(settlement, 'SpecifiedTradeSettlementHeaderMonetarySummation');
  const address = (party: XmlValue | undefined): FeeInvoiceAddress =>
    compact({
      street: opt(party, 'PostalTradeAddress', 'LineOne'),
      postalCode: req(party, 'PostalTradeAddress', 'PostcodeCode'),
      city: req(party, 'PostalTradeAddress', 'CityName'),
      country: req(party, 'PostalTradeAddress', 'CountryID'),
    });
  const lines = all(tx, 'IncludedSupplyChainTradeLineItem');
  const firstLineTax = at(lines[0], 'SpecifiedLineTradeSettlement', 'ApplicableTradeTax');
  const contact = at(seller, 'DefinedTradeContact');
  const invoice: FeeInvoice = compact({
    number: req(doc, 'ID'),
    issueDate: isoDate(req(doc, 'IssueDateTime', 'DateTimeString')),
    dueDate: isoDate(req(settlement, 'SpecifiedTradePaymentTerms', 'DueDateDateTime', 'DateTimeString')),
    deliveryDate: mapOpt(
      opt(tx, 'ApplicableHeaderTradeDelivery', 'ActualDeliverySupplyChainEvent', 'OccurrenceDateTime', 'DateTimeString'),
      isoDate,
    ),
    currency: req(settlement, 'InvoiceCurrencyCode') as 'EUR',
    buyerReference: req(agreement, 'BuyerReference'),
    note: opt(doc, 'IncludedNote', 'Content'),
    paymentTerms: req(settlement, 'SpecifiedTradePaymentTerms', 'Description'),
    seller: compact({
      name: req(seller, 'Name'),
      identifier: req(seller, 'ID'),
      address: address(seller),
      electronicAddress: req(seller, 'URIUniversalCommunication', 'URIID'),
      contact: {
        name: req(contact, 'PersonName'),
        phone: req(contact, 'TelephoneUniversalCommunication', 'CompleteNumber'),
        email: req(contact, 'EmailURIUniversalCommunication', 'URIID'),
      },
      vatId: opt(seller, 'SpecifiedTaxRegistration', 'ID'),
    }),
    buyer: { name: req(buyer, 'Name'), address: address(buyer), electronicAddress: req(buyer, 'URIUniversalCommunication', 'URIID') },
    payment: compact({
      remittanceInformation: req(settlement, 'PaymentReference'),
      iban: req(means, 'PayeePartyCreditorFinancialAccount', 'IBANID'),
      accountName: opt(means, 'PayeePartyCreditorFinancialAccount', 'AccountName'),
      bic: opt(means, 'PayeeSpecifiedCreditorFinancialInstitution', 'BICID'),
    }),
    vat: vatOf(req(firstLineTax, 'CategoryCode'), opt(firstLineTax, 'RateApplicablePercent')),
    lines: lines.map(
      (line): FeeInvoiceLine =>
        compact({
          id: req(line, 'AssociatedDocumentLineDocument', 'LineID'),
          name: req(line, 'SpecifiedTradeProduct', 'Name'),
          description: opt(line, 'SpecifiedTradeProduct', 'Description'),
          quantity: req(line, 'SpecifiedLineTradeDelivery', 'BilledQuantity'),
          unitCode: attr(at(line, 'SpecifiedLineTradeDelivery', 'BilledQuantity'), 'unitCode') ?? '',
          unitPrice: req(line, 'SpecifiedLineTradeAgreement', 'NetPriceProductTradePrice', 'ChargeAmount'),
        }),
    ),
  });
  return {
    syntax: 'cii',
    customizationId: req(root, 'ExchangedDocumentContext', 'GuidelineSpecifiedDocumentContextParameter', 'ID'),
    profileId: req(root, 'ExchangedDocumentContext', 'BusinessProcessSpecifiedDocumentContextParameter', 'ID'),
    typeCode: req(doc, 'TypeCode'),
    paymentMeansCode: req(means, 'TypeCode'),
    invoice,
    totals: {
      lineTotal: req(sums, 'LineTotalAmount'),
      taxExclusive: req(sums, 'TaxBasisTotalAmount'),
      vatTotal: req(sums, 'TaxTotalAmount'),
      taxInclusive: req(sums, 'GrandTotalAmount'),
      payable: req(sums, 'DuePayableAmount'),
      lineAmounts: lines.map((l) =>
        req(l, 'SpecifiedLineTradeSettlement', 'SpecifiedTradeSettlementLineMonetarySummation', 'LineTotalAmount'),
      ),
      breakdown: compact({
        taxableAmount: req(tax, 'BasisAmount'),
        taxAmount: req(tax, 'CalculatedAmount'),
        category: req(tax, 'CategoryCode') as 'O' | 'S',
        rate: req(tax, 'RateApplicablePercent'),
        exemptionReasonCode: opt(tax, 'ExemptionReasonCode'),
      }),
    },
  };
}

/** Reads a fee invoice written by `generateUbl` / `generateCii` back into the model (for round-trip checks and HTML). */
export async function readFeeInvoice(xml: string): Promise<ReadFeeInvoice> {
  const parsed = (await parseStringPromise(xml, {
    explicitArray: true,
    tagNameProcessors: [processors.stripPrefix],
  })) as Record<string, XmlValue>;
  if (parsed['Invoice']) return readUbl(parsed['Invoice']);
  if (parsed['CrossIndustryInvoice']) return readCii(parsed['CrossIndustryInvoice']);
  throw unreadable('the root element (expected UBL Invoice or CII CrossIndustryInvoice)');
}
