import {
  PEPPOL_BILLING_PROFILE_ID,
  SEPA_CREDIT_TRANSFER,
  XRECHNUNG_CUSTOMIZATION_ID,
  checkFeeInvoice,
  computeTotals,
  money,
  type FeeInvoice,
  type FeeInvoiceAddress,
} from './fee-invoice';
import { el, opt, serialiseXml, type XmlNode } from './xml-writer';

const UBL_NS = {
  xmlns: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  'xmlns:cac': 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  'xmlns:cbc': 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
};

const address = (a: FeeInvoiceAddress): XmlNode =>
  el('cac:PostalAddress', [
    opt('cbc:StreetName', a.street),
    el('cbc:CityName', a.city),
    el('cbc:PostalZone', a.postalCode),
    el('cac:Country', [el('cbc:IdentificationCode', a.country)]),
  ]);

const vatScheme = (): XmlNode => el('cac:TaxScheme', [el('cbc:ID', 'VAT')]);

/** The fee invoice as a UBL 2.1 Invoice (XRechnung 3.0). */
export function generateUbl(inv: FeeInvoice): string {
  checkFeeInvoice(inv);
  const totals = computeTotals(inv);
  const cur = { currencyID: inv.currency };
  const { seller, buyer, payment } = inv;
  const lineRate = inv.vat.category === 'S' ? inv.vat.rate : undefined; // BR-O-05: no rate on O lines
  const root = el(
    'Invoice',
    [
      el('cbc:CustomizationID', XRECHNUNG_CUSTOMIZATION_ID),
      el('cbc:ProfileID', PEPPOL_BILLING_PROFILE_ID),
      el('cbc:ID', inv.number),
      el('cbc:IssueDate', inv.issueDate),
      el('cbc:DueDate', inv.dueDate),
      el('cbc:InvoiceTypeCode', '380'),
      opt('cbc:Note', inv.note),
      el('cbc:DocumentCurrencyCode', inv.currency),
      el('cbc:BuyerReference', inv.buyerReference),
      el('cac:AccountingSupplierParty', [
        el('cac:Party', [
          el('cbc:EndpointID', seller.electronicAddress, { schemeID: 'EM' }),
          el('cac:PartyIdentification', [el('cbc:ID', seller.identifier)]),
          address(seller.address),
          seller.vatId ? el('cac:PartyTaxScheme', [el('cbc:CompanyID', seller.vatId), vatScheme()]) : undefined,
          el('cac:PartyLegalEntity', [el('cbc:RegistrationName', seller.name)]),
          el('cac:Contact', [
            el('cbc:Name', seller.contact.name),
            el('cbc:Telephone', seller.contact.phone),
            el('cbc:ElectronicMail', seller.contact.email),
          ]),
        ]),
      ]),
      el('cac:AccountingCustomerParty', [
        el('cac:Party', [
          el('cbc:EndpointID', buyer.electronicAddress, { schemeID: 'EM' }),
          address(buyer.address),
          el('cac:PartyLegalEntity', [el('cbc:RegistrationName', buyer.name)]),
        ]),
      ]),
      inv.deliveryDate ? el('cac:Delivery', [el('cbc:ActualDeliveryDate', inv.deliveryDate)]) : undefined,
      el('cac:PaymentMeans', [
        el('cbc:PaymentMeansCode', SEPA_CREDIT_TRANSFER),
        el('cbc:PaymentID', payment.remittanceInformation),
        el('cac:PayeeFinancialAccount', [
          el('cbc:ID', payment.iban),
          opt('cbc:Name', payment.accountName),
          payment.bic ? el('cac:FinancialInstitutionBranch', [el('cbc:ID', payment.bic)]) : undefined,
        ]),
      ]),
      el('cac:PaymentTerms', [el('cbc:Note', inv.paymentTerms)]),
      el('cac:TaxTotal', [
        el('cbc:TaxAmount', totals.vatTotal, cur),
        el('cac:TaxSubtotal', [
          el('cbc:TaxableAmount', totals.breakdown.taxableAmount, cur),
          el('cbc:TaxAmount', totals.breakdown.taxAmount, cur),
          el('cac:TaxCategory', [
            el('cbc:ID', totals.breakdown.category),
            el('cbc:Percent', totals.breakdown.rate),
            opt('cbc:TaxExemptionReasonCode', totals.breakdown.exemptionReasonCode),
            vatScheme(),
          ]),
        ]),
      ]),
      el('cac:LegalMonetaryTotal', [
        el('cbc:LineExtensionAmount', totals.lineTotal, cur),
        el('cbc:TaxExclusiveAmount', totals.taxExclusive, cur),
        el('cbc:TaxInclusiveAmount', totals.taxInclusive, cur),
        el('cbc:PayableAmount', totals.payable, cur),
      ]),
      ...inv.lines.map((line, i) =>
        el('cac:InvoiceLine', [
          el('cbc:ID', line.id),
          el('cbc:InvoicedQuantity', line.quantity, { unitCode: line.unitCode }),
          el('cbc:LineExtensionAmount', totals.lineAmounts[i] ?? '0.00', cur),
          el('cac:Item', [
            opt('cbc:Description', line.description),
            el('cbc:Name', line.name),
            el('cac:ClassifiedTaxCategory', [el('cbc:ID', inv.vat.category), opt('cbc:Percent', lineRate), vatScheme()]),
          ]),
          el('cac:Price', [el('cbc:PriceAmount', money(line.unitPrice), cur)]),
        ]),
      ),
    ],
    UBL_NS,
  );
  return serialiseXml(root);
}
