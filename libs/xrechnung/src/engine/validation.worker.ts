// The validation worker: loads the XSDs (libxml2-wasm) and the compiled Schematron (saxon-js SEF) once, then
// validates documents sent by XRechnungValidator. Runs only inside a worker thread; imports nothing but relative
// modules and npm packages so that it starts from dist/ and from source alike.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { type SaxonNode } from 'saxon-js';
import { type Finding, type FindingLayer, type InvoiceSummary, type InvoiceSyntax, severityOfFlag } from '../report/validation-report';
import { SaxonJS } from './saxon-runtime';
import { type LayerResult, type ValidateRequest, type WorkerInit, type WorkerMessage } from './worker-protocol';

type Libxml2 = typeof import('libxml2-wasm');
type XsdValidator = InstanceType<Libxml2['XsdValidator']>;

// libxml2-wasm is an ES module with top-level await: it can only be loaded with a real dynamic import(), which the
// CommonJS output of tsc/SWC would otherwise rewrite to require().
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const esmImport = new Function('specifier', 'return import(specifier)') as <T>(specifier: string) => Promise<T>;

const NS = {
  svrl: 'http://purl.oclc.org/dsdl/svrl',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  rsm: 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  ram: 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  udt: 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
};

const XSD_FILES: Record<InvoiceSyntax, string> = {
  'ubl-invoice': 'xsd/ubl21/maindoc/UBL-Invoice-2.1.xsd',
  'ubl-creditnote': 'xsd/ubl21/maindoc/UBL-CreditNote-2.1.xsd',
  cii: 'xsd/d16b/data/standard/CrossIndustryInvoice_100pD16B.xsd',
};

const SUMMARY_XPATHS: Record<'ubl' | 'cii', Record<keyof InvoiceSummary | 'customizationId', string>> = {
  ubl: {
    customizationId: '/*/cbc:CustomizationID',
    invoiceNumber: '/*/cbc:ID',
    issueDate: '/*/cbc:IssueDate',
    currency: '/*/cbc:DocumentCurrencyCode',
    buyerReference: '/*/cbc:BuyerReference',
    sellerName: '/*/cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName',
    sellerVatId: "/*/cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT']/cbc:CompanyID",
    payableAmount: '/*/cac:LegalMonetaryTotal/cbc:PayableAmount',
  },
  cii: {
    customizationId: '/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID',
    invoiceNumber: '/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID',
    issueDate: '/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString',
    currency: '//ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode',
    buyerReference: '//ram:ApplicableHeaderTradeAgreement/ram:BuyerReference',
    sellerName: '//ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty/ram:Name',
    sellerVatId: "//ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID[@schemeID = 'VA']",
    payableAmount: '//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:DuePayableAmount',
  },
};

interface LoadedRules {
  libxml2: Libxml2;
  xsd: Record<InvoiceSyntax, XsdValidator>;
  sef: Record<'en16931-ubl' | 'en16931-cii' | 'xrechnung-ubl' | 'xrechnung-cii', unknown>;
}

async function loadRules(rulesDir: string): Promise<LoadedRules> {
  const libxml2 = await esmImport<Libxml2>('libxml2-wasm');
  const nodejs = await esmImport<{ xmlRegisterFsInputProviders(): boolean }>('libxml2-wasm/lib/nodejs.mjs');
  nodejs.xmlRegisterFsInputProviders(); // only for the XSDs' own includes: instance documents never carry a DTD
  const compile = (file: string): XsdValidator => {
    const url = path.join(rulesDir, file);
    const doc = libxml2.XmlDocument.fromString(fs.readFileSync(url, 'utf8'), { url });
    return libxml2.XsdValidator.fromDoc(doc);
  };
  const sef = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(rulesDir, 'sef', `${name}.sef.json`), 'utf8'));
  return {
    libxml2,
    xsd: {
      'ubl-invoice': compile(XSD_FILES['ubl-invoice']),
      'ubl-creditnote': compile(XSD_FILES['ubl-creditnote']),
      cii: compile(XSD_FILES.cii),
    },
    sef: {
      'en16931-ubl': sef('en16931-ubl'),
      'en16931-cii': sef('en16931-cii'),
      'xrechnung-ubl': sef('xrechnung-ubl'),
      'xrechnung-cii': sef('xrechnung-cii'),
    },
  };
}

function detailsOf(err: unknown): { message: string; line?: number; col?: number; xpath?: string }[] {
  const details = (err as { details?: { message: string; line?: number; col?: number; xpath?: string }[] }).details;
  return details?.length ? details : [{ message: err instanceof Error ? err.message : String(err) }];
}

function xsdLayer(rules: LoadedRules, text: string, syntax: InvoiceSyntax): { wellFormed: boolean; findings: Finding[] } {
  const { XmlDocument, ParseOption } = rules.libxml2;
  let doc: InstanceType<Libxml2['XmlDocument']>;
  try {
    doc = XmlDocument.fromString(text, { option: ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE });
  } catch (err) {
    return {
      wellFormed: false,
      findings: detailsOf(err).map((d) => ({
        layer: 'input' as const,
        ruleId: 'XML-NOT-WELL-FORMED',
        severity: 'error' as const,
        location: d.line !== undefined ? `line ${d.line}:${d.col ?? 0}` : '/',
        message: d.message.trim(),
      })),
    };
  }
  try {
    rules.xsd[syntax].validate(doc);
    return { wellFormed: true, findings: [] };
  } catch (err) {
    return {
      wellFormed: true,
      findings: detailsOf(err).map((d) => ({
        layer: 'xsd' as const,
        ruleId: 'XSD',
        severity: 'error' as const,
        location: d.xpath ?? (d.line !== undefined ? `line ${d.line}:${d.col ?? 0}` : '/'),
        message: d.message.trim(),
      })),
    };
  } finally {
    doc.dispose();
  }
}

function schematronLayer(layer: FindingLayer, sef: unknown, source: unknown): Finding[] {
  let out: { principalResult: unknown };
  try {
    out = SaxonJS.transform({ stylesheetInternal: sef, sourceNode: source, destination: 'document' }, 'sync');
  } catch (err) {
    // A rule whose XPath cannot evaluate the document (e.g. xs:boolean('yes')) aborts the whole Schematron run, as
    // it does in Saxon/Java: the document is rejected with that error, and the other layer still runs.
    return [
      {
        layer,
        ruleId: 'SCHEMATRON-DYNAMIC-ERROR',
        severity: 'error',
        location: '/',
        message: `The ${layer} Schematron could not evaluate this document: ${err instanceof Error ? err.message : String(err)}`,
      },
    ];
  }
  const nodes = SaxonJS.XPath.evaluate('//svrl:failed-assert | //svrl:successful-report', out.principalResult, {
    namespaceContext: NS,
    resultForm: 'array',
  }) as SaxonNode[];
  return nodes.map((n) => ({
    layer,
    ruleId: n.getAttribute('id') ?? 'unknown',
    severity: severityOfFlag(n.getAttribute('flag') ?? n.getAttribute('role')),
    location: n.getAttribute('location') ?? '/',
    message: String(SaxonJS.XPath.evaluate('normalize-space(svrl:text)', n, { namespaceContext: NS })),
  }));
}

function readSummary(source: unknown, syntax: InvoiceSyntax): { customizationId?: string; summary: InvoiceSummary } {
  const xpaths = SUMMARY_XPATHS[syntax === 'cii' ? 'cii' : 'ubl'];
  const result: Record<string, string> = {};
  for (const [key, xpath] of Object.entries(xpaths)) {
    const value = String(SaxonJS.XPath.evaluate(`normalize-space(string((${xpath})[1]))`, source, { namespaceContext: NS }));
    if (value) result[key] = value;
  }
  const { customizationId, ...summary } = result;
  if (syntax === 'cii' && summary.issueDate && /^\d{8}$/.test(summary.issueDate)) {
    const d = summary.issueDate;
    summary.issueDate = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
  }
  return { ...(customizationId ? { customizationId } : {}), summary };
}

export function validateWith(rules: LoadedRules, request: ValidateRequest): LayerResult {
  const xsd = xsdLayer(rules, request.text, request.syntax);
  if (!xsd.wellFormed) return { findings: xsd.findings, summary: {} };
  const source = SaxonJS.getPlatform().parseXmlFromString(request.text);
  const kind = request.syntax === 'cii' ? 'cii' : 'ubl';
  const findings = [
    ...xsd.findings,
    ...schematronLayer('en16931', rules.sef[`en16931-${kind}`], source),
    ...schematronLayer('xrechnung', rules.sef[`xrechnung-${kind}`], source),
  ];
  return { findings, ...readSummary(source, request.syntax) };
}

function post(message: WorkerMessage): void {
  parentPort?.postMessage(message);
}

if (parentPort) {
  const { rulesDir } = workerData as WorkerInit;
  loadRules(rulesDir).then(
    (rules) => {
      parentPort?.on('message', (request: ValidateRequest) => {
        try {
          post({ type: 'result', id: request.id, result: validateWith(rules, request) });
        } catch (err) {
          post({ type: 'error', id: request.id, message: err instanceof Error ? err.message : String(err) });
        }
      });
      post({ type: 'ready' });
    },
    (err: unknown) => post({ type: 'init-failed', message: err instanceof Error ? err.message : String(err) }),
  );
}
