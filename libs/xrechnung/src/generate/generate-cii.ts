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

const CII_NS = {
  'xmlns:rsm': 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  'xmlns:ram': 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  'xmlns:udt': 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
};

/** CII date format 102: YYYYMMDD. */
const date102 = (iso: string): XmlNode => el('udt:DateTimeString', iso.replaceAll('-', ''), { format: '102' });

const address = (a: FeeInvoiceAddress): XmlNode =>
  el('ram:PostalTradeAddress', [
    el('ram:PostcodeCode', a.postalCode),
    opt('ram:LineOne', a.street),
    el('ram:CityName', a.city),
    el('ram:CountryID', a.country),
  ]);

/** The fee invoice as a UN/CEFACT Cross Industry Invoice D16B (XRechnung 3.0). */
export function generateCii(inv: FeeInvoice): string {
  checkFeeInvoice(inv);
  const totals = computeTotals(inv);
  const { seller, buyer, payment } = inv;
  const lineRate = inv.vat.category === 'S' ? inv.vat.rate : undefined;
  const root = el(
    'rsm:CrossIndustryInvoice',
    [
      el('rsm:ExchangedDocumentContext', [
        el('ram:BusinessProcessSpecifiedDocumentContextParameter', [el('ram:ID', PEPPOL_BILLING_PROFILE_ID)]),
        el('ram:GuidelineSpecifiedDocumentContextParameter', [el('ram:ID', XRECHNUNG_CUSTOMIZATION_ID)]),
      ]),
      el('rsm:ExchangedDocument', [
        el('ram:ID', inv.number),
        el('ram:TypeCode', '380'),
        el('ram:IssueDateTime', [date102(inv.issueDate)]),
        inv.note !== undefined ? el('ram:IncludedNote', [el('ram:Content', inv.note)]) : undefined,
      ]),
      el('rsm:SupplyChainTradeTransaction', [
        ...inv.lines.map((line, i) =>
          el('ram:IncludedSupplyChainTradeLineItem', [
            el('ram:AssociatedDocumentLineDocument', [el('ram:LineID', line.id)]),
            el('ram:SpecifiedTradeProduct', [el('ram:Name', line.name), opt('ram:Description', line.description)]),
            el('ram:SpecifiedLineTradeAgreement', [el('ram:NetPriceProductTradePrice', [el('ram:ChargeAmount', money(line.unitPrice))])]),
            el('ram:SpecifiedLineTradeDelivery', [el('ram:BilledQuantity', line.quantity, { unitCode: line.unitCode })]),
            el('ram:SpecifiedLineTradeSettlement', [
              el('ram:ApplicableTradeTax', [
                el('ram:TypeCode', 'VAT'),
                el('ram:CategoryCode', inv.vat.category),
                opt('ram:RateApplicablePercent', lineRate),
              ]),
              el('ram:SpecifiedTradeSettlementLineMonetarySummation', [el('ram:LineTotalAmount', totals.lineAmounts[i] ?? '0.00')]),
            ]),
          ]),
        ),
        el('ram:ApplicableHeaderTradeAgreement', [
          el('ram:BuyerReference', inv.buyerReference),
          el('ram:SellerTradeParty', [
            el('ram:ID', seller.identifier),
            el('ram:Name', seller.name),
            el('ram:DefinedTradeContact', [
              el('ram:PersonName', seller.contact.name),
              el('ram:TelephoneUniversalCommunication', [el('ram:CompleteNumber', seller.contact.phone)]),
              el('ram:EmailURIUniversalCommunication', [el('ram:URIID', seller.contact.email)]),
            ]),
            address(seller.address),
            el('ram:URIUniversalCommunication', [el('ram:URIID', seller.electronicAddress, { schemeID: 'EM' })]),
            seller.vatId ? el('ram:SpecifiedTaxRegistration', [el('ram:ID', seller.vatId, { schemeID: 'VA' })]) : undefined,
          ]),
          el('ram:BuyerTradeParty', [
            el('ram:Name', buyer.name),
            address(buyer.address),
            el('ram:URIUniversalCommunication', [el('ram:URIID', buyer.electronicAddress, { schemeID: 'EM' })]),
          ]),
        ]),
        el('ram:ApplicableHeaderTradeDelivery', [
          inv.deliveryDate
            ? el('ram:ActualDeliverySupplyChainEvent', [el('ram:OccurrenceDateTime', [date102(inv.deliveryDate)])])
            : undefined,
        ]),
        el('ram:ApplicableHeaderTradeSettlement', [
          el('ram:PaymentReference', payment.remittanceInformation),
          el('ram:InvoiceCurrencyCode', inv.currency),
          el('ram:SpecifiedTradeSettlementPaymentMeans', [
            el('ram:TypeCode', SEPA_CREDIT_TRANSFER),
            el('ram:PayeePartyCreditorFinancialAccount', [el('ram:IBANID', payment.iban), opt('ram:AccountName', payment.accountName)]),
            payment.bic ? el('ram:PayeeSpecifiedCreditorFinancialInstitution', [el('ram:BICID', payment.bic)]) : undefined,
          ]),
          el('ram:ApplicableTradeTax', [
            el('ram:CalculatedAmount', totals.breakdown.taxAmount),
            el('ram:TypeCode', 'VAT'),
            el('ram:BasisAmount', totals.breakdown.taxableAmount),
            el('ram:CategoryCode', totals.breakdown.category),
            opt('ram:ExemptionReasonCode', totals.breakdown.exemptionReasonCode),
            el('ram:RateApplicablePercent', totals.breakdown.rate),
          ]),
          el('ram:SpecifiedTradePaymentTerms', [
            el('ram:Description', inv.paymentTerms),
            el('ram:DueDateDateTime', [date102(inv.dueDate)]),
          ]),
          el('ram:SpecifiedTradeSettlementHeaderMonetarySummation', [
            el('ram:LineTotalAmount', totals.lineTotal),
            el('ram:TaxBasisTotalAmount', totals.taxExclusive),
            el('ram:TaxTotalAmount', totals.vatTotal, { currencyID: inv.currency }),
            el('ram:GrandTotalAmount', totals.taxInclusive),
            el('ram:DuePayableAmount', totals.payable),
          ]),
        ]),
      ]),
    ],
    CII_NS,
  );
  return serialiseXml(root);
}
